import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseCache } from '@hub/gateway';
import { mintToken, Role } from '@hub/server';
import { FACT } from '@hub/domain';
import { startTestHub, type TestHub } from './support/hub.js';

// The gateway's response cache, through the real gateway: what it serves
// again, what it never shares, and that a change empties it.

const TTL_MS = 400;
const ORGANIZATION = `query Centre { peopleOrganization(id: "${FACT.nakhonPeopleCentre}") { id nameEn version } }`;

describe('the response cache', () => {
  let hub: TestHub;
  let statements = 0;
  let editor: string;

  beforeAll(async () => {
    hub = await startTestHub({ responseCache: { ttlMs: TTL_MS, maxBytes: 1_000_000 }, onQuery: () => statements++ });
    editor = await mintToken({ user: 'editor', agency: FACT.nakhonPeopleCentre, sector: 'PEOPLE', role: Role.EDITOR, subgraphs: [] });
  });
  afterAll(() => hub?.stop());

  async function post(query: string, headers: Record<string, string> = {}, variables: Record<string, unknown> = {}) {
    const before = statements;
    const response = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { hit: response.headers.get('x-cache') === 'hit', body: (await response.json()) as any, sql: statements - before };
  }

  it('serves an anonymous query again without asking a subgraph, until it expires', async () => {
    const first = await post(ORGANIZATION);
    expect(first.hit).toBe(false);
    expect(first.sql).toBeGreaterThan(0);
    const again = await post(ORGANIZATION);
    expect(again).toEqual({ hit: true, body: first.body, sql: 0 });
    await new Promise((resolve) => setTimeout(resolve, TTL_MS + 100));
    expect((await post(ORGANIZATION)).hit).toBe(false);
  });

  it('answers identical requests that arrive together from one computation', async () => {
    const query = `{ province(code: "TH-80") { nameEn peopleOrganizations { totalCount } initiatives { totalCount } } }`;
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(query)));
    expect(answers.filter((a) => !a.hit)).toHaveLength(1);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
  });

  it('never shares a signed-in answer, and never keeps one with errors', async () => {
    const query = `{ peopleOrganization(id: "${FACT.nakhonPeopleCentre}") { id contact { email } } }`;
    await post(query, { authorization: `Bearer ${editor}` });
    const signedIn = await post(query, { authorization: `Bearer ${editor}` });
    expect(signedIn.hit).toBe(false);
    expect(signedIn.body.errors).toBeUndefined();
    // Anonymous, the same query gets an UNAUTHENTICATED error on contact: not kept, not served from the signed-in answer.
    const anonymous = await post(query);
    expect(anonymous.hit).toBe(false);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await post(query)).hit).toBe(false);
  });

  it('tells variables apart', async () => {
    const query = `query ($id: ID!) { peopleOrganization(id: $id) { id } }`;
    await post(query, {}, { id: FACT.nakhonPeopleCentre });
    const other = await post(query, {}, { id: FACT.nationalPeopleCentre });
    expect(other.hit).toBe(false);
    expect(other.body.data.peopleOrganization.id).toBe(FACT.nationalPeopleCentre);
  });

  it('is emptied by a mutation: the next read shows the change', async () => {
    const before = (await post(ORGANIZATION)).body.data.peopleOrganization;
    expect((await post(ORGANIZATION)).hit).toBe(true);
    const update = await post(
      `mutation ($v: Int!) { updatePeopleOrganization(id: "${FACT.nakhonPeopleCentre}", expectedVersion: $v, input: { nameEn: "Changed through the gateway" }) { version } }`,
      { authorization: `Bearer ${editor}` },
      { v: before.version },
    );
    expect(update.body.errors).toBeUndefined();
    const after = await post(ORGANIZATION);
    expect(after.hit).toBe(false);
    expect(after.body.data.peopleOrganization).toEqual({ ...before, nameEn: 'Changed through the gateway', version: before.version + 1 });
  });
});

describe('the response cache\'s budget', () => {
  /** Keeps one answer as a request would: a ticket, a context marked shareable, the answer offered. */
  async function keep(cache: ResponseCache, key: string, body: string) {
    const { ticket } = await cache.lookup(key);
    const context = {};
    cache.begin(context);
    (context as { responseCache: { shareable: boolean } }).responseCache.shareable = true;
    cache.settle(ticket!, { body, contentType: 'application/json' }, context);
  }

  it('drops the least recently used answers past its byte budget, and keeps no answer over an eighth of it', async () => {
    const cache = new ResponseCache({ ttlMs: 60_000, maxBytes: 800 });
    await keep(cache, 'a', 'a'.repeat(100));
    await keep(cache, 'b', 'b'.repeat(100));
    await keep(cache, 'huge', 'h'.repeat(101));
    expect((await cache.lookup('huge')).answer).toBeUndefined();
    for (let i = 0; i < 7; i++) {
      await cache.lookup('a'); // a stays recently used
      await keep(cache, `filler${i}`, 'f'.repeat(100));
    }
    expect((await cache.lookup('a')).answer?.body).toBe('a'.repeat(100));
    expect((await cache.lookup('b')).answer).toBeUndefined();
  });
});
