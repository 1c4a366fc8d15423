import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type AddressInfo } from 'node:net';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { parse, type FormattedExecutionResult } from 'graphql';
import { createClient } from 'graphql-sse';
import { createHandler as createSseHandler } from 'graphql-sse/lib/use/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, DEFAULT_LIMITS, limitsFromEnv, MAX_WAITING_EVENTS, serveGateway, type GatewayOptions, type OperationLimits } from '@hub/gateway';
import { AGENCIES } from '@hub/domain';
import { mintToken, Role, subgraphCallerVerifier, type Served, unauthenticated, type Viewer } from '@hub/server';

// A small federation of its own, so the gateway's machinery is tested apart
// from the hub's data: `ticks` owns `Subscription.ticks` and serves it over
// GraphQL over SSE, as a subgraph of the hub serves its change feed; `labels`
// adds fields to each Tick, resolved through the graph for every event.

const TICKS_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
  type Query { ticksVersion: String }
  type Tick @key(fields: "id") {
    id: ID!
    n: Int!
    "Who the ticks subgraph was told is subscribing."
    subscriber: String!
  }
  type Subscription { ticks(count: Int! = 3, everyMs: Int! = 10): Tick! }
`;

const LABELS_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@listSize"])
  type Query { labelsVersion: String }
  type Tick @key(fields: "id") {
    id: ID!
    label: String!
    "Only for a signed-in subscriber."
    secret: String
    padding(size: Int!): String!
    neighbours(first: Int!): [Tick!]! @listSize(slicingArguments: ["first"])
    "Takes its time: events arrive faster than it resolves."
    slowLabel: String!
  }
`;

/** The labels subgraph as it is deployed, a field ahead of the supergraph first composed. */
const LABELS_NEXT_SDL = LABELS_SDL.replace('label: String!', 'label: String!\n    shout: String!');

type Context = { viewer: Viewer };

// The copy of graphql-js that @apollo/subgraph builds its schemas with (CommonJS), which the test runner's
// own copy (ES modules) would refuse to execute against.
const { execute } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Polls until `check` passes or the time is up. */
async function eventually(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await sleep(25);
  }
}

interface TestSubgraph {
  url: string;
  /** Subscription streams opened on it so far, and open now. */
  opened: number;
  open: number;
  /** Breaks every open stream off, as a subgraph that crashes would. */
  drop(): void;
  close(): Promise<void>;
}

/**
 * A subgraph as the hub's are served: it answers only the gateway (its
 * secret, the user's token), queries as JSON and subscriptions over GraphQL over SSE.
 */
async function serveSubgraph(sdl: string, resolvers: GraphQLResolverMap<Context>): Promise<TestSubgraph> {
  const schema = buildSubgraphSchema([{ typeDefs: parse(sdl), resolvers }]);
  const viewers = new WeakMap<IncomingMessage, Viewer>();
  const sse = createSseHandler<Context>({ schema, context: (request) => ({ viewer: viewers.get(request.raw) ?? null }) });
  const streams = new Set<ServerResponse>();
  const state = { opened: 0 };
  const callerOf = subgraphCallerVerifier(AGENCIES);
  const server = createServer(async (request, response) => {
    let viewer: Viewer;
    try {
      viewer = await callerOf(request.headers);
    } catch {
      return void response.writeHead(401).end();
    }
    if (request.headers.accept === 'text/event-stream') {
      viewers.set(request, viewer);
      state.opened += 1;
      streams.add(response);
      response.once('close', () => streams.delete(response));
      // The gateway hangs up on streams it ends: writes after that fail, as they would in any subgraph.
      return void sse(request, response).catch(() => response.destroy());
    }
    let body = '';
    for await (const chunk of request) body += chunk;
    const { query, variables } = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
    const result = await execute({ schema, document: parse(query), variableValues: variables, contextValue: { viewer } });
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    get opened() {
      return state.opened;
    },
    get open() {
      return streams.size;
    },
    drop: () => streams.forEach((response) => response.socket?.destroy()),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const ticksResolvers: GraphQLResolverMap<Context> = {
  Subscription: {
    ticks: {
      subscribe: async function* (_: unknown, { count, everyMs }: { count: number; everyMs: number }, { viewer }: Context) {
        for (let n = 1; n <= count; n++) {
          await sleep(everyMs);
          yield { ticks: { id: `tick-${n}`, n, subscriber: viewer?.user ?? 'anonymous' } };
        }
      },
    },
  },
};

const labelsResolvers: GraphQLResolverMap<Context> = {
  Tick: {
    __resolveReference: (reference: { id: string }) => reference,
    label: ({ id }: { id: string }) => `label of ${id}`,
    shout: ({ id }: { id: string }) => `LABEL OF ${id.toUpperCase()}`,
    slowLabel: async ({ id }: { id: string }) => {
      await sleep(30);
      return `slow label of ${id}`;
    },
    secret: ({ id }: { id: string }, _: unknown, { viewer }: Context) => {
      if (!viewer) throw unauthenticated("Sign in to see a tick's secret.");
      return `secret of ${id} for ${viewer.user}`;
    },
    padding: (_: unknown, { size }: { size: number }) => 'x'.repeat(size),
    neighbours: ({ id }: { id: string }, { first }: { first: number }) => Array.from({ length: Math.min(first, 3) }, (_, i) => ({ id: `${id}-${i}` })),
  },
};

/** Every result of a graphql-sse subscription, until it ends. */
async function allOf(iterator: AsyncIterable<FormattedExecutionResult>): Promise<FormattedExecutionResult[]> {
  const results: FormattedExecutionResult[] = [];
  for await (const result of iterator) results.push(result);
  return results;
}

const codesOf = (result: FormattedExecutionResult | undefined) => result?.errors?.map((error) => error.extensions?.code);

describe('subscriptions through the gateway', () => {
  let ticks: TestSubgraph;
  let labels: TestSubgraph;
  let supergraphSdl: string;
  let nextSupergraphSdl: string;
  let gateway: Served;
  let token: string;
  const others: { close(): Promise<void> }[] = [];

  /**
   * The hub's gateway over a supergraph of test subgraphs, with limits of its
   * own. Its response cache is off: these subgraphs have no change feeds for
   * it to follow, and it has no part in subscriptions.
   */
  async function serve(supergraph: GatewayOptions['supergraph'], limits: Partial<OperationLimits> = {}): Promise<Served> {
    const gateway = createGateway({ supergraph, limits: { ...DEFAULT_LIMITS, ...limits }, responseCache: { ttlMs: 0, maxBytes: 0 }, log: () => {} });
    const served = await serveGateway(gateway, { port: 0 });
    others.push(served);
    return served;
  }

  /** A gateway over the test federation, with its own limits. */
  const gatewayWith = (limits: Partial<OperationLimits> = {}) => serve({ sdl: supergraphSdl }, limits);

  /** A subscription through graphql-sse's client, as a dashboard would open it. */
  const sse = (url: string, query: string, headers: Record<string, string> = {}) =>
    createClient({ url, headers, retryAttempts: 0, fetchFn: fetch }).iterate({ query }) as AsyncIterableIterator<FormattedExecutionResult>;

  beforeAll(async () => {
    ticks = await serveSubgraph(TICKS_SDL, ticksResolvers);
    labels = await serveSubgraph(LABELS_NEXT_SDL, labelsResolvers);
    const compose = (labelsSdl: string) => {
      const composed = composeServices([
        { name: 'ticks', url: ticks.url, typeDefs: parse(TICKS_SDL) },
        { name: 'labels', url: labels.url, typeDefs: parse(labelsSdl) },
      ]);
      expect(composed.errors).toBeUndefined();
      return composed.supergraphSdl!;
    };
    supergraphSdl = compose(LABELS_SDL);
    nextSupergraphSdl = compose(LABELS_NEXT_SDL);
    gateway = await gatewayWith();
    token = await mintToken({ user: 'analyst', agency: 'peo_th80_centre', sector: 'PEOPLE', role: Role.VIEWER, subgraphs: [] });
  });
  afterAll(async () => {
    for (const other of others) await other.close();
    await ticks?.close();
    await labels?.close();
  });

  it("streams over GraphQL over SSE (graphql-sse's client), each event's other fields resolved through the graph", async () => {
    const results = await allOf(sse(gateway.url, /* GraphQL */ `subscription { ticks(count: 3) { id n label } }`));
    expect(results).toEqual([1, 2, 3].map((n) => ({ data: { ticks: { id: `tick-${n}`, n, label: `label of tick-${n}` } } })));
  });

  it("streams over Apollo's multipart HTTP subscriptions (Apollo Client 4's HttpLink)", async () => {
    const client = new ApolloClient({ link: new HttpLink({ uri: gateway.url }), cache: new InMemoryCache() });
    const results = await new Promise<unknown[]>((resolve, reject) => {
      const seen: unknown[] = [];
      client.subscribe({ query: gql`subscription Ticks { ticks(count: 3) { id n label } }` }).subscribe({
        next: (result) => seen.push(result.error ?? result.data),
        error: reject,
        complete: () => resolve(seen),
      });
    });
    expect(results).toEqual([1, 2, 3].map((n) => ({ ticks: { __typename: 'Tick', id: `tick-${n}`, n, label: `label of tick-${n}` } })));
  });

  it("asks every subgraph as the subscriber: a field that needs a token is refused without one and present with one", async () => {
    const query = /* GraphQL */ `subscription { ticks(count: 1) { id subscriber secret } }`;
    const [anonymous] = await allOf(sse(gateway.url, query));
    expect(anonymous!.data).toEqual({ ticks: { id: 'tick-1', subscriber: 'anonymous', secret: null } });
    expect(anonymous!.errors).toMatchObject([{ path: ['ticks', 'secret'], extensions: { code: 'UNAUTHENTICATED' } }]);

    const [signedIn] = await allOf(sse(gateway.url, query, { authorization: `Bearer ${token}` }));
    expect(signedIn).toEqual({ data: { ticks: { id: 'tick-1', subscriber: 'analyst', secret: 'secret of tick-1 for analyst' } } });

    const refused = await allOf(sse(gateway.url, query, { authorization: 'Bearer not-a-token' }));
    expect(refused.map(codesOf)).toEqual([['UNAUTHENTICATED']]);
  });

  it('takes a subscription as a GET too, as EventSource sends it, and leaves queries that accept a stream to Apollo', async () => {
    const query = encodeURIComponent('subscription { ticks(count: 2) { id label } }');
    const stream = await fetch(`${gateway.url}?query=${query}`, { headers: { accept: 'text/event-stream' } });
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await stream.text();
    expect(text.match(/^event: next$/gm)).toHaveLength(2);
    expect(text).toContain('"label":"label of tick-2"');
    expect(text.trimEnd()).toMatch(/event: complete\ndata:$/);

    const answer = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream, application/json' },
      body: JSON.stringify({ query: '{ ticksVersion }' }),
    });
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await answer.json()).toEqual({ data: { ticksVersion: null } });
  });

  it('refuses a subscription sent as a plain JSON request, with a code that says how to send it', async () => {
    const answer = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'subscription { ticks { id } }' }),
    });
    expect(answer.status).toBe(406);
    const body = (await answer.json()) as FormattedExecutionResult;
    expect(codesOf(body)).toEqual(['SUBSCRIPTION_STREAM_REQUIRED']);
    expect(body.errors![0]!.message).toMatch(/text\/event-stream/);
  });

  it('refuses a subscription over the depth or cost limits before any subgraph is asked', async () => {
    const opened = ticks.opened;
    let deep = 'id';
    for (let i = 0; i < DEFAULT_LIMITS.maxDepth; i++) deep = `neighbours(first: 1) { ${deep} }`;
    const started = performance.now();
    const [tooDeep] = await allOf(sse(gateway.url, `subscription { ticks { ${deep} } }`));
    expect(codesOf(tooDeep)).toContain('GRAPHQL_VALIDATION_FAILED');

    const [tooDear] = await allOf(sse(gateway.url, `subscription { ticks { neighbours(first: 100000) { label } } }`));
    expect(codesOf(tooDear)).toEqual(['COST_ESTIMATED_TOO_EXPENSIVE']);

    const invalid = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed;subscriptionSpec="1.0", application/json' },
      body: JSON.stringify({ query: 'subscription { ticks { nothingHere } }' }),
    });
    expect(invalid.status).toBe(400);
    expect(codesOf((await invalid.json()) as FormattedExecutionResult)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(ticks.opened).toBe(opened);
  });

  it('takes its subscription limits from the environment, with defaults', () => {
    expect(limitsFromEnv({})).toMatchObject({ maxSubscriptionsPerClient: 20, maxSubscriptions: 10_000, subscriptionHeartbeatMs: 10_000, subscriptionMaxBufferBytes: 2 ** 20 });
    const env = { GATEWAY_MAX_SUBSCRIPTIONS: '3', GATEWAY_MAX_SUBSCRIPTIONS_TOTAL: '50', GATEWAY_SUBSCRIPTION_HEARTBEAT_MS: '5000', GATEWAY_SUBSCRIPTION_MAX_BUFFER_BYTES: '65536' };
    expect(limitsFromEnv(env)).toMatchObject({ maxSubscriptionsPerClient: 3, maxSubscriptions: 50, subscriptionHeartbeatMs: 5_000, subscriptionMaxBufferBytes: 65_536 });
    expect(() => limitsFromEnv({ GATEWAY_MAX_SUBSCRIPTIONS: 'many' })).toThrow(/GATEWAY_MAX_SUBSCRIPTIONS/);
  });

  it('holds no more subscriptions per client than GATEWAY_MAX_SUBSCRIPTIONS, counting a signed-in user apart', async () => {
    const capped = await gatewayWith({ maxSubscriptionsPerClient: 2 });
    const endless = /* GraphQL */ `subscription { ticks(count: 100000, everyMs: 20) { id } }`;
    const held = [sse(capped.url, endless), sse(capped.url, endless)];
    for (const subscription of held) expect((await subscription.next()).value).toMatchObject({ data: { ticks: { id: 'tick-1' } } });

    const [third] = await allOf(sse(capped.url, endless));
    expect(codesOf(third)).toEqual(['TOO_MANY_SUBSCRIPTIONS']);
    expect(third!.errors![0]!.message).toMatch(/GATEWAY_MAX_SUBSCRIPTIONS/);

    const signedIn = sse(capped.url, endless, { authorization: `Bearer ${token}` });
    expect((await signedIn.next()).value).toMatchObject({ data: { ticks: { id: 'tick-1' } } });
    await signedIn.return!();

    // Closing one gives its place back.
    await held[0]!.return!();
    await eventually(async () => {
      const again = sse(capped.url, endless);
      const first = (await again.next()).value as FormattedExecutionResult;
      await again.return!();
      return first.data !== undefined;
    });
    await held[1]!.return!();
  });

  it('sends heartbeats on both transports while no event comes', async () => {
    const quiet = await gatewayWith({ subscriptionHeartbeatMs: 100 });
    const body = JSON.stringify({ query: 'subscription { ticks(count: 1, everyMs: 5000) { id } }' });
    for (const [accept, heartbeat] of [
      ['text/event-stream', ':\n\n'],
      ['multipart/mixed;boundary=graphql;subscriptionSpec=1.0,application/json', '\r\ncontent-type: application/json\r\n\r\n{}\r\n--graphql'],
    ] as const) {
      const controller = new AbortController();
      const answer = await fetch(quiet.url, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body, signal: controller.signal });
      expect(answer.status).toBe(200);
      let text = '';
      const reader = answer.body!.pipeThrough(new TextDecoderStream()).getReader();
      const until = Date.now() + 650;
      while (Date.now() < until) {
        const read = await Promise.race([reader.read(), sleep(until - Date.now()).then(() => undefined)]);
        if (!read || read.done) break;
        text += read.value;
      }
      controller.abort();
      // Six are due in that time, every 100 ms: timers on a busy machine may run late.
      expect(text.split(heartbeat).length - 1, accept).toBeGreaterThanOrEqual(3);
    }
  });

  it('ends the stream with an error naming the subgraph when its upstream stream fails', async () => {
    const subscription = sse(gateway.url, /* GraphQL */ `subscription { ticks(count: 100000, everyMs: 20) { id label } }`);
    expect((await subscription.next()).value).toMatchObject({ data: { ticks: { id: 'tick-1', label: 'label of tick-1' } } });
    ticks.drop();
    const rest = await allOf(subscription);
    const last = rest.at(-1)!;
    expect(last.data).toBeUndefined();
    expect(last.errors).toMatchObject([{ extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'ticks' } }]);
    expect(last.errors![0]!.message).toMatch(/ticks subgraph/);
  });

  it('cuts off a subscriber whose events come faster than the graph resolves them, instead of queueing them', async () => {
    const results = await allOf(sse(gateway.url, /* GraphQL */ `subscription { ticks(count: 100000, everyMs: 0) { id slowLabel } }`));
    expect(codesOf(results.at(-1))).toEqual(['SUBSCRIPTION_BACKLOG']);
    expect(results.length).toBeLessThan(MAX_WAITING_EVENTS);
    await eventually(() => ticks.open === 0);
  });

  it("ends a signed-in subscriber's stream when the token expires", async () => {
    const shortLived = await mintToken({ user: 'analyst', agency: 'peo_th80_centre', sector: 'PEOPLE', role: Role.VIEWER, subgraphs: [] }, { expiresIn: '2s' });
    const endless = /* GraphQL */ `subscription { ticks(count: 100000, everyMs: 50) { id secret } }`;
    const results = await allOf(sse(gateway.url, endless, { authorization: `Bearer ${shortLived}` }));
    expect(results[0]).toEqual({ data: { ticks: { id: 'tick-1', secret: 'secret of tick-1 for analyst' } } });
    expect(codesOf(results.at(-1))).toEqual(['UNAUTHENTICATED']);
    expect(results.at(-1)!.errors![0]!.message).toMatch(/expired/);
  });

  it('follows the supergraph it serves: a new field is there after a switch, and open subscriptions keep theirs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hub-subscriptions-'));
    const file = join(dir, 'supergraph.graphql');
    await writeFile(file, supergraphSdl);
    const served = await serve({ path: file, pollIntervalMs: 50 });
    try {
      const shouting = /* GraphQL */ `subscription { ticks(count: 1) { shout } }`;
      expect(codesOf((await allOf(sse(served.url, shouting)))[0])).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      const before = sse(served.url, /* GraphQL */ `subscription { ticks(count: 100000, everyMs: 20) { id label } }`);
      expect((await before.next()).value).toMatchObject({ data: { ticks: { label: 'label of tick-1' } } });

      await writeFile(file, nextSupergraphSdl);
      await eventually(async () => (await allOf(sse(served.url, shouting)))[0]?.data !== undefined);
      expect(await allOf(sse(served.url, shouting))).toEqual([{ data: { ticks: { shout: 'LABEL OF TICK-1' } } }]);
      expect((await before.next()).value).toMatchObject({ data: { ticks: { label: expect.stringMatching(/^label of tick-\d+$/) } } });
      await before.return!();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('cuts off a client that does not read, with a reason, instead of buffering for it', async () => {
    const strict = await gatewayWith({ subscriptionMaxBufferBytes: 256 * 1024 });
    const { port } = new URL(strict.url);
    const body = JSON.stringify({ query: 'subscription { ticks(count: 100000, everyMs: 2) { id padding(size: 262144) } }' });
    const socket = connect(Number(port), '127.0.0.1');
    socket.write(
      `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\naccept: text/event-stream\r\n` +
        `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    socket.pause();
    const opened = ticks.opened;
    await eventually(() => ticks.opened > opened);
    // The gateway cut it: the subgraph's stream was closed while the client still reads nothing.
    await eventually(() => ticks.open === 0, 30_000);
    const metrics = await (await fetch(new URL('/metrics', strict.url))).text();
    expect(metrics).toMatch(/hub_gateway_subscriptions_ended_total\{reason="SLOW_CONSUMER"\} 1/);

    // What the client reads once it reads again ends with the reason.
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.resume();
    await new Promise((resolve) => socket.once('close', resolve));
    const tail = Buffer.concat(received).subarray(-2_000).toString('utf8');
    expect(tail).toMatch(/"code":"SLOW_CONSUMER"/);
    expect(tail).toMatch(/event: complete/);
  });

  it('frees everything for a client that leaves while its subscription is still being opened', async () => {
    // A subgraph that takes a second to accept a stream; the client gives up before.
    const upstreams = new Set<ServerResponse>();
    const slow = createServer((request, response) => {
      upstreams.add(response);
      response.once('close', () => upstreams.delete(response));
      setTimeout(() => response.destroyed || response.writeHead(200, { 'content-type': 'text/event-stream' }).write(':\n\n'), 1_000);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/graphql`;
    const composed = composeServices([{ name: 'ticks', url: slowUrl, typeDefs: parse(TICKS_SDL) }]);
    const served = await serve({ sdl: composed.supergraphSdl! });
    try {
      for (const accept of ['text/event-stream', 'multipart/mixed;subscriptionSpec=1.0,application/json']) {
        const body = JSON.stringify({ query: 'subscription { ticks { id } }' });
        const leaving = new AbortController();
        const asked = fetch(served.url, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body, signal: leaving.signal }).catch(() => undefined);
        await eventually(() => upstreams.size === 1);
        leaving.abort();
        await asked;
        await eventually(() => upstreams.size === 0);
      }
      await eventually(async () => /hub_gateway_subscriptions_ended_total\{reason="client"\} 2/.test(await (await fetch(new URL('/metrics', served.url))).text()));
      const metrics = await (await fetch(new URL('/metrics', served.url))).text();
      expect(metrics).toMatch(/^hub_gateway_subscriptions_open\{transport="sse"\} 0$/m);
      expect(metrics).toMatch(/^hub_gateway_subscriptions_open\{transport="multipart"\} 0$/m);
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });

  it('ends every stream cleanly on shutdown, telling each client why', async () => {
    const stopping = await gatewayWith();
    const endless = /* GraphQL */ `subscription Endless { ticks(count: 100000, everyMs: 20) { id label } }`;
    const overSse = sse(stopping.url, endless);
    expect((await overSse.next()).done).toBe(false);
    const client = new ApolloClient({ link: new HttpLink({ uri: stopping.url }), cache: new InMemoryCache() });
    const overMultipart = new Promise<unknown[]>((resolve, reject) => {
      const seen: unknown[] = [];
      // Not cached: the last result, the reason, has no data to write.
      client.subscribe({ query: gql(endless), fetchPolicy: 'no-cache' }).subscribe({ next: (result) => seen.push(result), error: reject, complete: () => resolve(seen) });
    });
    await eventually(() => ticks.open >= 2);

    const started = performance.now();
    await stopping.close();
    expect(performance.now() - started).toBeLessThan(3_000);
    const sseRest = await allOf(overSse);
    expect(codesOf(sseRest.at(-1))).toEqual(['SHUTTING_DOWN']);
    const multipartResults = (await overMultipart) as { error?: { errors?: { extensions?: { code?: string } }[] } }[];
    expect(multipartResults.at(-1)!.error!.errors!.map((error) => error.extensions?.code)).toEqual(['SHUTTING_DOWN']);
    await eventually(() => ticks.open === 0);
  });

  it('counts open subscriptions and events in /metrics', async () => {
    const subscription = sse(gateway.url, /* GraphQL */ `subscription { ticks(count: 100000, everyMs: 20) { id } }`);
    await subscription.next();
    await subscription.next();
    const metrics = await (await fetch(new URL('/metrics', gateway.url))).text();
    await subscription.return!();
    expect(Number(/^hub_gateway_subscription_events_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
    expect(metrics).toMatch(/^hub_gateway_subscriptions_open\{transport="sse"\} [1-9]/m);
  });
});
