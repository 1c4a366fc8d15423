import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, responseCacheFromEnv, serveGateway, type GatewayOptions } from '@hub/gateway';
import { routingUrl, SCHEMA_DIR } from '@hub/scripts/compose';
import { SUBGRAPHS } from '@hub/scripts/subgraphs';
import { Role, type Served } from '@hub/server';
import { FACT, identityFor } from '@hub/domain';
import { gatewayHeaders, graphql } from '@hub/toolkit/testing';
import { tokenFromArgs } from '../scripts/src/token.js';
import { deadUrl } from './support/dead-url.js';
import { tokenArgsOf } from './support/examples.js';
import { eventually, readiness } from './support/probes.js';
import { startTestHub, type TestHub } from './support/hub.js';

// Two gateway replicas over the same subgraphs, each with its response cache
// on and a TTL of a minute. Replica B hears every subgraph's change feed, so
// a committed change replaces B's cached answer within a second, whichever
// way it was made: through replica A, or straight to a subgraph. While a feed
// cannot be heard, B falls back to a short TTL and says so in its log and
// /ready; once the feed is back, B hears changes again.

const TTL_MS = 60_000;
const FALLBACK_TTL_MS = 1_500;
/** How soon a change must show on a replica that did not make it. */
const WITHIN_MS = 1_000;

const CENTRE = /* GraphQL */ `query Centre { peopleOrganization(id: "${FACT.nakhonPeopleCentre}") { id nameEn version } }`;
const PARTNERS = /* GraphQL */ `query Partners { privatePartners { totalCount } }`;
const RENAME_CENTRE = /* GraphQL */ `
  mutation Rename($version: Int!, $nameEn: String!) {
    updatePeopleOrganization(id: "${FACT.nakhonPeopleCentre}", expectedVersion: $version, input: { nameEn: $nameEn }) { version }
  }
`;
const REGISTER_PARTNER = /* GraphQL */ `
  mutation Register($name: String!) { createPrivatePartner(input: { name: $name, kind: COMPANY, provinceCode: "TH-80" }) { id } }
`;
const EXAMPLE = fileURLToPath(new URL('../examples/update-people-centre.graphql', import.meta.url));

interface Asked {
  hit: boolean;
  body: { data?: any; errors?: unknown[] };
}

/** An anonymous JSON POST, the kind of request the cache answers. */
async function ask(url: string, query: string): Promise<Asked> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { hit: response.headers.get('x-cache') === 'hit', body: (await response.json()) as Asked['body'] };
}

/** Asks again and again until an answer passes `fresh`: every answer, and how long it took. */
async function askUntil(url: string, query: string, fresh: (body: Asked['body']) => boolean, withinMs: number) {
  const started = performance.now();
  const answers: Asked[] = [];
  while (performance.now() - started < withinMs) {
    const answer = await ask(url, query);
    answers.push(answer);
    if (fresh(answer.body)) return { answers, ms: performance.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no fresh answer within ${withinMs} ms; the last: ${JSON.stringify(answers.at(-1))}`);
}


/**
 * Passes every request on to a subgraph, but can cut its change feed off and
 * refuse it (requests that accept an event stream get 503), as a feed that is
 * down looks to the gateway while the subgraph still answers queries.
 */
async function feedGate(target: string) {
  const streams = new Set<ServerResponse>();
  let open = true;
  let feedRequests = 0;
  const server = createServer((request, response) => {
    if ((request.headers.accept ?? '').includes('text/event-stream')) {
      feedRequests++;
      if (!open) return void response.writeHead(503, { 'content-type': 'application/json' }).end('{"errors":[{"message":"feed down"}]}');
      streams.add(response);
      response.once('close', () => streams.delete(response));
    }
    const upstream = httpRequest(new URL(request.url ?? '/', target), { method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.once('error', () => response.destroy());
    response.once('close', () => upstream.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    feedRequests: () => feedRequests,
    cut() {
      open = false;
      for (const stream of streams) stream.destroy();
    },
    reopen() {
      open = true;
    },
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('the response cache hears every change', () => {
  let hub: TestHub;
  let gate: Awaited<ReturnType<typeof feedGate>>;
  let replicaB: Served;
  const logOfB: string[] = [];
  const others: { close(): Promise<void> }[] = [];

  const subgraphUrl = (name: string) => hub.subgraphs.find((s) => s.name === name)!.url;
  /** A second gateway over the hub's subgraphs, the partners subgraph reached through `gate`. */
  async function replica(
    options: { followChanges?: boolean; log?: (message: string) => void; supergraph?: GatewayOptions['supergraph'] } = {},
  ): Promise<Served> {
    const gateway = createGateway({
      supergraph: options.supergraph ?? { path: SCHEMA_DIR + 'supergraph.graphql', watch: false },
      subgraphUrls: { ...Object.fromEntries(hub.subgraphs.map((s) => [s.name, s.url])), partners: gate.url },
      responseCache: { ttlMs: TTL_MS, maxBytes: 8 * 2 ** 20, fallbackTtlMs: FALLBACK_TTL_MS, followChanges: options.followChanges ?? true },
      log: options.log ?? (() => {}),
    });
    return serveGateway(gateway, { port: 0 });
  }

  beforeAll(async () => {
    hub = await startTestHub({ responseCache: { ttlMs: TTL_MS, maxBytes: 8 * 2 ** 20 } });
    gate = await feedGate(subgraphUrl('partners'));
    replicaB = await replica({ log: (message) => logOfB.push(message) });
    // Every feed heard: until then, answers are kept for the fallback TTL only.
    await eventually(() => readiness(replicaB.url), ({ body }) => body.responseCache?.mode === 'change-feed', 10_000);
    await eventually(() => readiness(hub.gatewayUrl), ({ body }) => body.responseCache?.mode === 'change-feed', 10_000);
  });
  afterAll(async () => {
    for (const other of others) await other.close();
    await replicaB?.close();
    await gate?.close();
    await hub?.stop();
  });

  it('says in /ready that it follows every feed', async () => {
    const { status, body } = await readiness(replicaB.url);
    expect(status).toBe(200);
    expect(body.responseCache).toEqual({
      mode: 'change-feed',
      ttlMs: TTL_MS,
      feeds: Object.fromEntries(hub.subgraphs.map((s) => [s.name, 'following'])),
    });
  });

  it('shows a mutation made through replica A on replica B within a second, and never the cached answer again', async () => {
    const before = await ask(replicaB.url, CENTRE);
    expect(before.body.errors).toBeUndefined();
    expect(await ask(replicaB.url, CENTRE)).toEqual({ hit: true, body: before.body });

    const source = await readFile(EXAMPLE, 'utf8');
    const token = await tokenFromArgs(tokenArgsOf(source)!);
    const { version } = before.body.data.peopleOrganization;
    const changed = await graphql(hub.gatewayUrl, source, { expectedVersion: version }, { authorization: `Bearer ${token}` });
    expect(changed.errors).toBeUndefined();
    expect(changed.data.updatePeopleOrganization.version).toBe(version + 1);

    const { answers, ms } = await askUntil(replicaB.url, CENTRE, (body) => body.data?.peopleOrganization.version === version + 1, WITHIN_MS);
    expect(ms).toBeLessThan(WITHIN_MS);
    // Computed afresh, not expired: the TTL is a minute.
    expect(answers.at(-1)!.hit).toBe(false);
    const after = answers.at(-1)!.body.data.peopleOrganization;
    expect(after).toEqual({ id: FACT.nakhonPeopleCentre, nameEn: changed.data.updatePeopleOrganization.nameEn, version: version + 1 });
    // From then on, only the new answer, kept again.
    const later = await Promise.all(Array.from({ length: 5 }, () => ask(replicaB.url, CENTRE)));
    expect(later.map((answer) => answer.body.data.peopleOrganization)).toEqual(Array(5).fill(after));
    expect(later.some((answer) => answer.hit)).toBe(true);
  });

  it('shows a write made straight to a subgraph, which no gateway saw, on both replicas within a second', async () => {
    const replicas = [hub.gatewayUrl, replicaB.url];
    for (const url of replicas) await ask(url, CENTRE);
    const cached = await Promise.all(replicas.map((url) => ask(url, CENTRE)));
    expect(cached.map((answer) => answer.hit)).toEqual([true, true]);
    const { version } = cached[0]!.body.data.peopleOrganization;

    const editor = identityFor(FACT.nakhonPeopleCentre, Role.EDITOR);
    const nameEn = `Renamed straight at the subgraph ${Date.now()}`;
    const straight = await graphql(subgraphUrl('people'), RENAME_CENTRE, { version, nameEn }, await gatewayHeaders(editor));
    expect(straight.errors).toBeUndefined();

    for (const url of replicas) {
      const { answers, ms } = await askUntil(url, CENTRE, (body) => body.data?.peopleOrganization.nameEn === nameEn, WITHIN_MS);
      expect(ms).toBeLessThan(WITHIN_MS);
      expect(answers.at(-1)!.body.data.peopleOrganization).toEqual({ id: FACT.nakhonPeopleCentre, nameEn, version: version + 1 });
    }
  });

  it('falls back to its short TTL while a feed is down, says so, and hears changes again once it is back', async () => {
    const admin = identityFor(FACT.nationalGovernmentCentre, Role.ADMIN, ['partners']);
    const register = async (name: string) => {
      const answer = await graphql(subgraphUrl('partners'), REGISTER_PARTNER, { name }, await gatewayHeaders(admin));
      expect(answer.errors).toBeUndefined();
    };
    const total = (body: Asked['body']) => body.data?.privatePartners.totalCount as number;
    const before = await ask(replicaB.url, PARTNERS);
    expect((await ask(replicaB.url, PARTNERS)).hit).toBe(true);

    const attempts = gate.feedRequests();
    gate.cut();
    const down = await eventually(() => readiness(replicaB.url), ({ body }) => body.responseCache.mode === 'ttl-fallback', 5_000);
    // Still ready: answers are right within the fallback TTL, as before there were feeds.
    expect(down.status).toBe(200);
    expect(down.body.responseCache).toMatchObject({ mode: 'ttl-fallback', ttlMs: FALLBACK_TTL_MS, feedsDown: ['partners'] });
    expect(down.body.responseCache.feeds).toMatchObject({ partners: 'down', people: 'following' });
    expect(down.body.responseCache.detail).toContain('partners');

    // A change B cannot hear of: its answer is still served, and gives way when the fallback TTL runs out.
    const written = performance.now();
    await register(`Registered while the feed is down ${Date.now()}`);
    const { answers } = await askUntil(replicaB.url, PARTNERS, (body) => total(body) === total(before.body) + 1, FALLBACK_TTL_MS + 1_500);
    expect(performance.now() - written).toBeLessThan(FALLBACK_TTL_MS + 1_500);
    expect(answers.every((answer) => answer.body.errors === undefined)).toBe(true);
    // Several attempts to reconnect meanwhile, one line in the log.
    await eventually(async () => gate.feedRequests(), (requests) => requests >= attempts + 3, 5_000);
    expect(logOfB.filter((line) => line.includes('change feed of partners'))).toEqual([expect.stringMatching(/unreachable.*TTL fallback/)]);

    gate.reopen();
    const back = await eventually(() => readiness(replicaB.url), ({ body }) => body.responseCache.mode === 'change-feed', 10_000);
    expect(back.status).toBe(200);
    expect(logOfB.filter((line) => line.includes('change feed of partners'))).toEqual([
      expect.stringMatching(/unreachable/),
      expect.stringMatching(/is back after/),
    ]);

    const cached = await ask(replicaB.url, PARTNERS);
    expect((await ask(replicaB.url, PARTNERS)).hit).toBe(true);
    await register(`Registered once the feed is back ${Date.now()}`);
    const { ms } = await askUntil(replicaB.url, PARTNERS, (body) => total(body) === total(cached.body) + 1, WITHIN_MS);
    expect(ms).toBeLessThan(WITHIN_MS);
  });

  it('follows the feed of each subgraph a supergraph switch brings, and lets go of those it drops', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hub-cache-feed-'));
    others.push({ close: () => rm(directory, { recursive: true, force: true }) });
    const file = join(directory, 'supergraph.graphql');
    const served = await readFile(SCHEMA_DIR + 'supergraph.graphql', 'utf8');
    await writeFile(file, served);
    const switching = await replica({ supergraph: { path: file, pollIntervalMs: 50 } });
    others.push(switching);
    const following = await eventually(() => readiness(switching.url), ({ body }) => body.responseCache.mode === 'change-feed', 10_000);
    const names = SUBGRAPHS.map((definition) => definition.name).sort();
    expect(Object.keys(following.body.responseCache.feeds).sort()).toEqual(names);

    // A new owner joins, whose feed cannot be reached: the cache falls back to its short TTL for it.
    const services = await Promise.all(
      SUBGRAPHS.map(async (definition) => ({ name: definition.name, url: routingUrl(definition), typeDefs: parse(await readFile(`${SCHEMA_DIR}${definition.name}.graphql`, 'utf8')) })),
    );
    services.push({
      name: 'welfare',
      url: await deadUrl(),
      typeDefs: parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"]) type Query { welfareStatus: String }`),
    });
    const joined = composeServices(services);
    expect(joined.errors).toBeUndefined();
    await writeFile(file, joined.supergraphSdl!);
    const withWelfare = await eventually(() => readiness(switching.url), ({ body }) => body.responseCache.feeds.welfare === 'down', 10_000);
    expect(withWelfare.body.responseCache).toMatchObject({ mode: 'ttl-fallback', feedsDown: ['welfare'], ttlMs: FALLBACK_TTL_MS });

    // It leaves again: its feed is let go, and every feed left is heard.
    await writeFile(file, served);
    const left = await eventually(() => readiness(switching.url), ({ body }) => body.responseCache.mode === 'change-feed', 10_000);
    expect(Object.keys(left.body.responseCache.feeds).sort()).toEqual(names);
  });

  it('listens to no feed with GATEWAY_CACHE_FEED=off, and keeps answers for its TTL alone', async () => {
    expect(responseCacheFromEnv({ GATEWAY_CACHE_FEED: 'off' }).followChanges).toBe(false);
    expect(responseCacheFromEnv({}).followChanges).toBe(true);
    expect(() => responseCacheFromEnv({ GATEWAY_CACHE_FEED: 'sometimes' })).toThrow(/GATEWAY_CACHE_FEED must be "on" or "off"/);

    const feedRequests = gate.feedRequests();
    const deaf = await replica({ followChanges: false });
    others.push(deaf);
    const { status, body } = await readiness(deaf.url);
    expect(status).toBe(200);
    expect(body.responseCache).toEqual({ mode: 'ttl', ttlMs: TTL_MS });
    await ask(deaf.url, PARTNERS);
    expect((await ask(deaf.url, PARTNERS)).hit).toBe(true);
    expect(gate.feedRequests()).toBe(feedRequests);
  });
});
