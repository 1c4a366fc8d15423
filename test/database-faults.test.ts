import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { people } from '@hub/people';
import { createTestDatabase, gatewayHeaders, graphql, type TestDatabase } from '@hub/toolkit/testing';
import { startSubgraph, type RunningSubgraph } from '@hub/toolkit';

/** A TCP link to the database that the test can cut and restore, as a network or a restart would. */
class Link {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: URL) {}

  async open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(Number(this.target.port || 5432), this.target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
  }

  async cut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

describe('database faults: a subgraph answers clearly and recovers by itself', () => {
  let database: TestDatabase;
  let link: Link;
  let subgraph: RunningSubgraph;
  const count = async () => graphql(subgraph.url, `{ peopleOrganizations { totalCount } }`, {}, await gatewayHeaders());

  beforeAll(async () => {
    database = await createTestDatabase();
    const target = new URL(database.url);
    link = new Link(target);
    await link.open();
    const through = new URL(database.url);
    through.hostname = '127.0.0.1';
    through.port = String(link.port);
    subgraph = await startSubgraph(people, { databaseUrl: through.href, port: 0, seed: true });
  });
  afterAll(async () => {
    await subgraph?.stop();
    await database?.drop();
  });

  it('answers DATABASE_UNAVAILABLE quickly while the database is away, and its health check says so', async () => {
    expect(await count()).toEqual({ data: { peopleOrganizations: { totalCount: 3 } } });
    await link.cut();

    const started = performance.now();
    const result = await count();
    expect(performance.now() - started).toBeLessThan(6_000);
    expect(result).toEqual({
      data: { peopleOrganizations: null },
      errors: [
        {
          message: 'The database behind this part of the graph is unavailable; try again shortly.',
          path: ['peopleOrganizations'],
          extensions: { code: 'DATABASE_UNAVAILABLE' },
        },
      ],
    });
    expect((await fetch(new URL('/ready', subgraph.url))).status).toBe(503);
    // Alive all the same: restarting it would not bring the database back.
    expect((await fetch(new URL('/health', subgraph.url))).status).toBe(200);
  });

  it('recovers without a restart when the database is back', async () => {
    await link.open();
    expect(await count()).toEqual({ data: { peopleOrganizations: { totalCount: 3 } } });
    expect((await fetch(new URL('/ready', subgraph.url))).status).toBe(200);
  });
});
