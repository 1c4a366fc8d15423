import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, DEFAULT_RESPONSE_CACHE, serveGateway } from '@hub/gateway';
import { SCHEMA_DIR } from '@hub/scripts/compose';
import type { Served } from '@hub/server';
import { graphql, trustHeadersOf } from '@hub/toolkit/testing';
import { tokenFromArgs } from '../scripts/src/token.js';
import { startTestHub, type TestHub } from './support/hub.js';

const PROVINCE_AND_PARTNERS = /* GraphQL */ `{
  province(code: "TH-80") { nameEn partners { totalCount } peopleOrganizations { totalCount } }
  privatePartners { totalCount }
}`;

/** Passes a request on to a subgraph (with the gateway's secret and the user's token) and its answer back. */
async function forward(target: string, request: IncomingMessage, response: ServerResponse, delayMs = 0) {
  const body: Buffer[] = [];
  for await (const chunk of request) body.push(chunk as Buffer);
  await new Promise((r) => setTimeout(r, delayMs));
  try {
    const answer = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...trustHeadersOf(request.headers) },
      body: Buffer.concat(body),
    });
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(await answer.text());
  } catch {
    response.writeHead(502).end();
  }
}

async function listening(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

/** A stand-in for a subgraph that takes `delayMs` to forward each request. */
async function slowProxy(target: string, delayMs: number): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => void forward(target, request, response, delayMs));
  return { url: await listening(server), server };
}

/**
 * A stand-in for a subgraph that keeps connections open and resets each one
 * when its second request arrives, before reading it: what a subgraph closing
 * an idle connection just as the gateway reuses it looks like to the gateway.
 */
async function resettingProxy(target: string): Promise<{ url: string; server: Server; forwarded: () => number }> {
  const requestsOn = new WeakMap<Socket, number>();
  let forwarded = 0;
  const server = createServer((request, response) => {
    const seen = (requestsOn.get(request.socket) ?? 0) + 1;
    requestsOn.set(request.socket, seen);
    if (seen === 2) return void request.socket.resetAndDestroy();
    forwarded++;
    void forward(target, request, response);
  });
  return { url: await listening(server), server, forwarded: () => forwarded };
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
      // Its proxies count the calls they pass on: no change feed streams among them.
      responseCache: { ...DEFAULT_RESPONSE_CACHE, followChanges: false },
      log: () => {},
    });
    const served = await serveGateway(gateway, { port: 0 });
    others.push(served);
    return served;
  }

  it('is ready once its supergraph is loaded, says which subgraphs are, and is alive regardless', async () => {
    const base = new URL('/', hub.gatewayUrl);
    expect(await (await fetch(new URL('/health', base))).json()).toEqual({ status: 'ok' });
    const ready = await fetch(new URL('/ready', base));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      supergraph: 'loaded',
      subgraphs: { people: 'up', government: 'up', partners: 'up', initiatives: 'up', search: 'up' },
    });
    expect(await (await fetch(new URL('/health', hub.subgraphs[0]!.url))).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(new URL('/ready', hub.subgraphs[0]!.url))).json()).toEqual({ status: 'ok', database: 'up' });
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

    // Still ready: one owner's outage must not take the gateway out of its balancer.
    const ready = await fetch(new URL('/ready', gateway.url));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'degraded', unavailable: ['partners'] });
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

  it('sends a query again when a kept-open connection is reset as it is sent, but never a mutation', async () => {
    const partners = hub.subgraphs.find((s) => s.name === 'partners')!;
    const proxy = await resettingProxy(partners.url);
    others.push({ close: () => new Promise<void>((resolve) => proxy.server.close(() => resolve())) });
    const gateway = await gatewayWith({ partners: proxy.url });
    // Each question differs, so none is answered from the gateway's response cache.
    const count = (alias: string) => `{ ${alias}: privatePartners { totalCount } }`;

    // The first query opens a connection; the second, sent on it, is reset and sent again on a new one.
    const first = await graphql(gateway.url, count('first'));
    const second = await graphql(gateway.url, count('second'));
    expect(first.errors).toBeUndefined();
    expect(second).toEqual({ data: { second: first.data.first } });
    expect(proxy.forwarded()).toBe(2);

    // A mutation on a connection that is reset is not sent again: it may have been read.
    const admin = { authorization: `Bearer ${await tokenFromArgs(['--agency', 'gov_national_centre', '--role', 'admin', '--subgraphs', 'partners'])}` };
    const create = `mutation { createPrivatePartner(input: { name: "บริษัท ทดลองเชื่อมต่อ จำกัด", kind: COMPANY, provinceCode: "TH-80" }) { id } }`;
    expect((await graphql(gateway.url, count('third'))).errors).toBeUndefined();
    const refused = await graphql(gateway.url, create, {}, admin);
    expect(refused.data).toEqual({ createPrivatePartner: null });
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    expect(proxy.forwarded()).toBe(3);
    const written = await hub.query('{ privatePartners(search: "ทดลองเชื่อมต่อ") { totalCount } }');
    expect(written.data).toEqual({ privatePartners: { totalCount: 0 } });
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
