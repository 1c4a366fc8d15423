import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, serveGateway } from '@hub/gateway';
import { SCHEMA_DIR } from '@hub/scripts/compose';
import { INTERNAL_IDENTITY_HEADER, type Served } from '@hub/server';
import { graphql } from '@hub/toolkit/testing';
import { startTestHub, type TestHub } from './support/hub.js';

const PROVINCE_AND_PARTNERS = /* GraphQL */ `{
  province(code: "TH-80") { nameEn partners { totalCount } peopleOrganizations { totalCount } }
  privatePartners { totalCount }
}`;

/** A stand-in for a subgraph that takes `delayMs` to forward each request. */
async function slowProxy(target: string, delayMs: number): Promise<{ url: string; server: Server }> {
  const server = createServer(async (request, response) => {
    const body: Buffer[] = [];
    for await (const chunk of request) body.push(chunk as Buffer);
    await new Promise((r) => setTimeout(r, delayMs));
    try {
      const answer = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [INTERNAL_IDENTITY_HEADER]: String(request.headers[INTERNAL_IDENTITY_HEADER]) },
        body: Buffer.concat(body),
      });
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(await answer.text());
    } catch {
      response.writeHead(502).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}

describe('subgraph faults: the gateway keeps answering', () => {
  let hub: TestHub;
  const others: { close(): Promise<void> | void }[] = [];

  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => {
    for (const other of others) await other.close();
    await hub?.stop();
  });

  /** A second gateway over the same subgraphs, with some of them replaced. */
  async function gatewayWith(replace: Record<string, string>, timeouts: Record<string, number> = {}): Promise<Served> {
    const gateway = createGateway({
      supergraph: { path: SCHEMA_DIR + 'supergraph.graphql', watch: false },
      subgraphUrls: { ...Object.fromEntries(hub.subgraphs.map((s) => [s.name, s.url])), ...replace },
      subgraphTimeouts: { bySubgraph: timeouts },
      log: () => {},
    });
    const served = await serveGateway(gateway, { port: 0 });
    others.push(served);
    return served;
  }

  it('is ready when every subgraph and its database answer, and alive regardless', async () => {
    const base = new URL('/', hub.gatewayUrl);
    expect(await (await fetch(new URL('/health', base))).json()).toEqual({ status: 'ok' });
    const ready = await fetch(new URL('/ready', base));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      supergraph: 'loaded',
      subgraphs: { people: 'up', government: 'up', partners: 'up', initiatives: 'up' },
    });
    const subgraphHealth = await fetch(new URL('/health', hub.subgraphs[0]!.url));
    expect(await subgraphHealth.json()).toEqual({ status: 'ok', database: 'up' });
  });

  it('starts and serves with a subgraph down, answering the rest with an error that names it', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/graphql`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const gateway = await gatewayWith({ partners: deadUrl });
    const result = await graphql(gateway.url, PROVINCE_AND_PARTNERS);
    expect(result).toEqual({
      data: {
        province: { nameEn: 'Nakhon Si Thammarat', partners: null, peopleOrganizations: { totalCount: 2 } },
        privatePartners: null,
      },
      errors: [
        {
          message: 'The partners subgraph is unavailable; the rest of the answer is complete.',
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'partners' },
        },
        {
          message: 'The partners subgraph is unavailable; the rest of the answer is complete.',
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'partners' },
        },
      ],
    });
    expect(JSON.stringify(result)).not.toContain('127.0.0.1');

    const ready = await fetch(new URL('/ready', gateway.url));
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not ready', unavailable: ['partners'] });
  });

  it('gives up on a slow subgraph at its timeout and answers the rest in time', async () => {
    const partners = hub.subgraphs.find((s) => s.name === 'partners')!;
    const slow = await slowProxy(partners.url, 2_000);
    others.push({ close: () => new Promise<void>((resolve) => slow.server.close(() => resolve())) });
    const gateway = await gatewayWith({ partners: slow.url }, { partners: 300 });

    const started = performance.now();
    const result = await graphql(gateway.url, PROVINCE_AND_PARTNERS);
    const elapsed = performance.now() - started;
    expect(result.data).toEqual({
      province: { nameEn: 'Nakhon Si Thammarat', partners: null, peopleOrganizations: { totalCount: 2 } },
      privatePartners: null,
    });
    expect(result.errors?.map((e) => e.extensions)).toEqual([
      { code: 'SUBGRAPH_TIMEOUT', serviceName: 'partners' },
      { code: 'SUBGRAPH_TIMEOUT', serviceName: 'partners' },
    ]);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('answers partially when a subgraph stops mid-run', async () => {
    const before = await hub.query(PROVINCE_AND_PARTNERS);
    expect(before.errors).toBeUndefined();
    await hub.subgraphs.find((s) => s.name === 'partners')!.stop();
    const after = await hub.query(PROVINCE_AND_PARTNERS);
    expect(after.data).toEqual({
      province: { nameEn: 'Nakhon Si Thammarat', partners: null, peopleOrganizations: { totalCount: 2 } },
      privatePartners: null,
    });
    expect(after.errors?.every((e) => e.extensions?.serviceName === 'partners')).toBe(true);
  });
});
