import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, DEFAULT_RESPONSE_CACHE, serveGateway } from '@hub/gateway';
import { SCHEMA_DIR } from '@hub/scripts/compose';
import type { Served } from '@hub/server';
import { trustHeadersOf } from '@hub/toolkit/testing';
import { startTestHub, type TestHub } from './support/hub.js';

describe('observability: request ids and metrics', () => {
  let hub: TestHub;
  let gateway: Served;
  let recorder: Server;
  const seen: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    hub = await startTestHub();
    // In front of the partners subgraph: remembers the headers the gateway sends.
    const partners = hub.subgraphs.find((s) => s.name === 'partners')!;
    recorder = createServer(async (request, response) => {
      seen.push(request.headers);
      const body: Buffer[] = [];
      for await (const chunk of request) body.push(chunk as Buffer);
      await new Promise((r) => setTimeout(r, 30));
      const answer = await fetch(partners.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...trustHeadersOf(request.headers) },
        body: Buffer.concat(body),
      });
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(await answer.text());
    });
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
    const created = createGateway({
      supergraph: { path: SCHEMA_DIR + 'supergraph.graphql', watch: false },
      subgraphUrls: {
        ...Object.fromEntries(hub.subgraphs.map((s) => [s.name, s.url])),
        partners: `http://127.0.0.1:${(recorder.address() as AddressInfo).port}/graphql`,
      },
      // Every request here must reach the subgraphs.
      responseCache: { ...DEFAULT_RESPONSE_CACHE, ttlMs: 0 },
      log: () => {},
    });
    gateway = await serveGateway(created, { port: 0 });
  });
  afterAll(async () => {
    await gateway?.close();
    await new Promise<void>((resolve) => recorder?.close(() => resolve()));
    await hub?.stop();
  });

  const ask = (headers: Record<string, string> = {}) =>
    fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: '{ privatePartners { totalCount } }' }),
    });

  it("passes the client's request id to the subgraphs and returns it", async () => {
    const response = await ask({ 'x-request-id': 'dashboard-0001-abcdef' });
    expect(response.headers.get('x-request-id')).toBe('dashboard-0001-abcdef');
    expect(seen.at(-1)?.['x-request-id']).toBe('dashboard-0001-abcdef');
  });

  it('gives a request without a usable id a new one, the same at the gateway and the subgraph', async () => {
    const response = await ask({ 'x-request-id': 'bad id with spaces' });
    const id = response.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen.at(-1)?.['x-request-id']).toBe(id);
  });

  it('sends identical queries in flight at the same time to the subgraph once, and answers each caller', async () => {
    const before = seen.length;
    const answers = await Promise.all(Array.from({ length: 5 }, () => ask().then((r) => r.json())));
    expect(answers).toEqual(Array.from({ length: 5 }, () => ({ data: { privatePartners: { totalCount: 0 } } })));
    expect(seen.length - before).toBe(1);
  });

  it('exposes request and per-subgraph latency and error metrics for Prometheus', async () => {
    await ask();
    const text = await (await fetch(new URL('/metrics', gateway.url))).text();
    expect(text).toMatch(/hub_gateway_request_duration_seconds_count\{route="\/graphql",status="2xx"\} [1-9]/);
    expect(text).toMatch(/hub_subgraph_request_duration_seconds_count\{subgraph="partners",outcome="ok"\} [1-9]/);

    await new Promise<void>((resolve) => recorder.close(() => resolve()));
    recorder.closeAllConnections();
    const failed = await (await ask()).json();
    expect(failed.errors[0].extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'partners' });
    const after = await (await fetch(new URL('/metrics', gateway.url))).text();
    expect(after).toMatch(/hub_subgraph_errors_total\{subgraph="partners",outcome="error"\} [1-9]/);
  });
});
