import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '@hub/scripts/demo';
import { startHub, type RunningHub } from '@hub/scripts/hub';
import { mintToken, Role } from '@hub/server';
import { identityFor, PROVINCES } from '@hub/domain';
import { createSubgraphOrm, migrate, type MikroORM } from '@hub/toolkit';
import { createTestDatabase, graphql, type GraphQLResponse, type TestDatabase } from '@hub/toolkit/testing';
import { Indexer, SearchEntry, SearchIndex, search } from '@hub/search';

// One search across all owners, served by the search subgraph from its own
// index, which it fills and keeps current only through the owners' public
// APIs. Asked through the gateway over HTTP, on real PostgreSQL, with the
// source facts and a small demo dataset in every owner.

/** The decomposed sara am (U+0E4D U+0E32) that text pasted from PDFs carries, spelled out so no editor composes it. */
const AM = '\u0E4D\u0E32';

const SEARCH = /* GraphQL */ `
  query Search($text: String!, $first: Int, $after: String) {
    search(text: $text, first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          score
          node {
            __typename
            ... on PeopleOrganization { id name demo }
            ... on GovernmentCentre { id name demo }
            ... on PrivatePartner { id name demo }
            ... on Initiative { id title demo }
            ... on Province { id nameTh demo }
          }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

interface Hit {
  score: number;
  node: { __typename: string; id: string; name?: string; title?: string; nameTh?: string; demo: boolean };
}

/** Each owner's own search, over the same fold and rank: what the search across owners must find, together. */
const OWNERS_OWN_SEARCHES = /* GraphQL */ `
  query OwnSearches($text: String) {
    peopleOrganizations(search: $text, first: 500) { nodes { id } }
    governmentCentres(search: $text, first: 500) { nodes { id } }
    privatePartners(search: $text, first: 500) { nodes { id } }
    initiatives(search: $text, first: 500) { nodes { id } }
  }
`;

/** A stand-in for an owner's address that refuses every call while `down`, and otherwise passes it on, streams included. */
async function switchableProxy(target: string): Promise<{ url: string; down: boolean; refused: number; close(): Promise<void> }> {
  const upstream = new URL(target);
  const proxy = {
    url: '',
    down: true,
    refused: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The streams it passes on (a change feed) never end by themselves.
        server.closeAllConnections();
      }),
  };
  const server: Server = createServer((request, response) => {
    if (proxy.down) {
      proxy.refused++;
      return void request.socket.destroy();
    }
    const onward = forward(
      { host: upstream.hostname, port: upstream.port, path: upstream.pathname, method: request.method, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    onward.on('error', () => response.destroy());
    response.on('close', () => onward.destroy());
    request.pipe(onward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return proxy;
}

/** Polls until `check` gives a value, or fails after `withinMs`. */
async function eventually<T>(check: () => Promise<T | undefined>, withinMs: number): Promise<T> {
  const until = Date.now() + withinMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('one search across all owners (the search subgraph)', () => {
  let database: TestDatabase;
  let hub: RunningHub;
  /** Every statement the search subgraph sent to its database. */
  const searchSql: string[] = [];
  const query = (text: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse> =>
    graphql(hub.gatewayUrl, text, variables, headers);
  const hitsOf = (result: GraphQLResponse): Hit[] => {
    expect(result.errors).toBeUndefined();
    return result.data.search.edges.map((edge: { node: Hit }) => edge.node);
  };
  const find = async (text: string, first = 500) => hitsOf(await query(SEARCH, { text, first }));
  const urlOf = (name: string) => hub.subgraphs.find((s) => s.name === name)!.url;
  const searchOrm = () => hub.subgraphs.find((s) => s.name === 'search')!.orm;

  beforeAll(async () => {
    database = await createTestDatabase();
    // The facts and a small demo dataset, written straight into the owners' tables: the search subgraph finds them
    // only by reading each owner's API when it starts with an empty index.
    await generateDemo({ scale: 'tiny' }, database.url);
    hub = await startHub({
      databaseUrl: database.url,
      port: 0,
      seed: true,
      responseCache: { ttlMs: 0, maxBytes: 0 },
      onQuery: (subgraph, sql) => subgraph === 'search' && searchSql.push(sql),
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await database?.drop();
  });

  it('finds what every owner finds by the same text, ranked together, exact names first', async () => {
    // An analyst types the province's name: the province itself is the exact match, then what starts with it.
    const hits = await find('นครศรีธรรมราช');
    expect(hits[0]).toEqual({ score: 1, node: { __typename: 'Province', id: 'TH-80', nameTh: 'นครศรีธรรมราช', demo: false } });
    const scores = hits.map((hit) => hit.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    // Of each owner's type, the records its own search finds: no more, no fewer.
    const own = await query(OWNERS_OWN_SEARCHES, { text: 'นครศรีธรรมราช' });
    expect(own.errors).toBeUndefined();
    const lists = { PeopleOrganization: 'peopleOrganizations', GovernmentCentre: 'governmentCentres', PrivatePartner: 'privatePartners', Initiative: 'initiatives' };
    for (const [type, list] of Object.entries(lists)) {
      const found = hits.filter((hit) => hit.node.__typename === type).map((hit) => hit.node.id);
      expect(found.sort(), type).toEqual(own.data[list].nodes.map((node: { id: string }) => node.id).sort());
    }
    expect(new Set(hits.map((hit) => hit.node.__typename)).size, 'hits of several owners').toBeGreaterThanOrEqual(4);
  });

  it("finds Nakhon Si Thammarat's records across owners by นครศรีฯ and นครฯ, and not Phra Nakhon Si Ayutthaya's", async () => {
    for (const text of ['นครศรีฯ', 'นครฯ']) {
      const ids = (await find(text)).map((hit) => hit.node.id);
      expect(ids, text).toEqual(expect.arrayContaining(['TH-80', 'peo_th80_centre', 'gov_th80_centre']));
      // ฯ abbreviates a word from its start: นคร inside พระนครศรีอยุธยา starts none.
      expect(ids, text).not.toContain('TH-14');
      expect(ids, text).not.toContain('gov_th14_centre');
    }
    const abbreviated = await find('นครศรีฯ');
    expect(abbreviated.every((hit) => JSON.stringify(hit.node).includes('นครศรีธรรมราช'))).toBe(true);
  });

  it('finds Nong Bua Lam Phu, its centre and its records by its name with sara am typed as two characters', async () => {
    const decomposed = await find(`หนองบัวล${AM}ภู`);
    expect(decomposed[0]).toEqual({ score: 1, node: { __typename: 'Province', id: 'TH-39', nameTh: 'หนองบัวลำภู', demo: false } });
    expect(decomposed.map((hit) => hit.node.id)).toContain('gov_th39_centre');
    expect(decomposed).toEqual(await find('หนองบัวลำภู'));
  });

  it('puts real records before demo ones that match alike, and scores them 0.1 lower', async () => {
    const hits = await find('นครฯ');
    for (const score of new Set(hits.map((hit) => hit.score))) {
      const alike = hits.filter((hit) => hit.score === score);
      const firstDemo = alike.findIndex((hit) => hit.node.demo);
      if (firstDemo >= 0) expect(alike.slice(firstDemo).every((hit) => hit.node.demo)).toBe(true);
    }
    const real = hits.filter((hit) => !hit.node.demo);
    const demo = hits.filter((hit) => hit.node.demo);
    expect(demo.length, 'demo records of Nakhon provinces match too').toBeGreaterThan(0);
    // Scores in tenths: a kind of match every 0.2, a demo record in between.
    expect(real.every((hit) => Math.round(hit.score * 10) % 2 === 0)).toBe(true);
    expect(demo.every((hit) => Math.round(hit.score * 10) % 2 === 1)).toBe(true);
  });

  it('pages with `after` through every hit exactly once, in the order of one page', async () => {
    const whole = await query(SEARCH, { text: 'จังหวัด', first: 500 });
    const all = hitsOf(whole).map((hit) => hit.node.id);
    expect(all.length).toBeGreaterThan(PROVINCES.length);
    expect(whole.data.search.totalCount).toBe(all.length);
    const paged: string[] = [];
    let after: string | null = null;
    do {
      const result: GraphQLResponse = await query(SEARCH, { text: 'จังหวัด', first: 37, after });
      paged.push(...hitsOf(result).map((hit) => hit.node.id));
      expect(result.data.search.totalCount).toBe(all.length);
      after = result.data.search.pageInfo.hasNextPage ? result.data.search.pageInfo.endCursor : null;
    } while (after);
    expect(paged).toEqual(all);
  });

  it('reads a page of any size in one statement, and counts the hits only when asked (no N+1)', async () => {
    const statementsFor = async (first: number, count: boolean) => {
      const before = searchSql.length;
      const result = await query(`query ($first: Int) { search(text: "จังหวัด", first: $first) { ${count ? 'totalCount' : ''} nodes { score } } }`, { first });
      expect(result.data.search.nodes.length).toBe(first);
      return searchSql.slice(before).filter((sql) => sql.includes('search_entry')).length;
    };
    expect(await statementsFor(5, false)).toBe(1);
    expect(await statementsFor(80, false)).toBe(1);
    expect(await statementsFor(80, true)).toBe(2);
  });

  it('refuses a text too short, a page too large and a cursor of another search, with BAD_USER_INPUT', async () => {
    const codeOf = async (variables: Record<string, unknown>) => {
      const result = await query(SEARCH, variables);
      expect(result.data?.search ?? null).toBeNull();
      return result.errors?.map((error) => [error.extensions?.code, error.extensions?.argument]);
    };
    expect(await codeOf({ text: 'ก' })).toEqual([['BAD_USER_INPUT', 'text']]);
    expect(await codeOf({ text: 'นคร', first: 501 })).toEqual([['BAD_USER_INPUT', expect.anything()]]);
    const page = await query(SEARCH, { text: 'นคร', first: 1 });
    expect(await codeOf({ text: 'Nakhon', after: page.data.search.pageInfo.endCursor })).toEqual([['BAD_USER_INPUT', 'after']]);
    expect(await codeOf({ text: 'นคร', after: 'not a cursor' })).toEqual([['BAD_USER_INPUT', 'after']]);
  });

  it('finds a partner registered through the gateway within a second of its commit, from the change feed', async () => {
    // The national centre's stewards, admins of the partners subgraph, register a partner; an analyst searches for it.
    const token = await mintToken(identityFor('gov_national_centre', Role.ADMIN, ['partners']));
    const name = `วิสาหกิจค้นหาทั่วไป ${Date.now()}`;
    const created = await query(
      /* GraphQL */ `mutation ($name: String!) { createPrivatePartner(input: { name: $name, kind: SOCIAL_ENTERPRISE, provinceCode: "TH-39" }) { id } }`,
      { name },
      { authorization: `Bearer ${token}` },
    );
    expect(created.errors).toBeUndefined();
    const committed = Date.now();
    const { id } = created.data.createPrivatePartner;
    const hit = await eventually(async () => (await find(name)).find((h) => h.node.id === id), 1_000);
    expect(hit).toEqual({ score: 1, node: { __typename: 'PrivatePartner', id, name, demo: false } });
    expect(Date.now() - committed).toBeLessThan(1_000);
  });

  it('brings one record up to date with applyChange: read again from its owner, or removed when the owner has none', async () => {
    const index = new SearchIndex(searchOrm(), Object.fromEntries(hub.subgraphs.map((s) => [s.name, s.url])));
    const em = searchOrm().em.fork();
    // An entry the index holds in error (a record its owner does not have) goes; one it lacks comes back.
    await em.nativeDelete(SearchEntry, { id: 'gov_th39_centre' });
    expect((await find('หนองบัวลำภู')).map((hit) => hit.node.id)).not.toContain('gov_th39_centre');
    expect(await index.applyChange({ subgraph: 'government', recordType: 'GovernmentCentre', recordId: 'gov_th39_centre', action: 'UPDATE' })).toBe('indexed');
    expect((await find('หนองบัวลำภู')).map((hit) => hit.node.id)).toContain('gov_th39_centre');
    em.create(SearchEntry, { id: 'gov_nowhere', subgraph: 'government', typeName: 'GovernmentCentre', name: 'ศูนย์ที่ไม่มีอยู่จริง', version: 1 });
    await em.flush();
    expect(await index.applyChange({ subgraph: 'government', recordType: 'GovernmentCentre', recordId: 'gov_nowhere', action: 'ARCHIVE' })).toBe('removed');
    expect(await find('ศูนย์ที่ไม่มีอยู่จริง')).toEqual([]);
    expect(await index.applyChange({ subgraph: 'people', recordType: 'Membership', recordId: 'mem_x', action: 'CREATE' })).toBe('ignored');
  });

  it("reads the owners only through their API: the search subgraph's SQL names no other owner's schema", async () => {
    // Read every owner again, as `npm run search:reindex` does, while its statements are recorded.
    const index = new SearchIndex(searchOrm(), Object.fromEntries(hub.subgraphs.map((s) => [s.name, s.url])));
    const indexer = new Indexer(searchOrm(), index);
    const before = searchSql.length;
    for (const owner of ['people', 'government', 'partners', 'initiatives']) expect(await indexer.readOwner(owner)).toBeGreaterThan(0);
    expect(searchSql.length - before).toBeGreaterThan(4);
    const elsewhere = searchSql.filter((sql) => /"?(people|government|partners|initiatives)"?\./.test(sql));
    expect(elsewhere).toEqual([]);
    expect(searchSql.some((sql) => sql.includes('"search"."search_entry"'))).toBe(true);
  });

  it('tries an owner that is down when the index fills again later, and meanwhile indexes the rest', async () => {
    // A second index, empty, on a database of its own, whose way to the people subgraph is cut at first.
    const own = await createTestDatabase();
    const people = await switchableProxy(urlOf('people'));
    let orm: MikroORM | undefined;
    let indexer: Indexer | undefined;
    try {
      orm = await createSubgraphOrm(search, { databaseUrl: own.url, poolSize: 2 });
      await migrate(orm);
      const urls = { ...Object.fromEntries(hub.subgraphs.map((s) => [s.name, s.url])), people: people.url };
      indexer = new Indexer(orm, new SearchIndex(orm, urls), { retry: { firstMs: 100, maxMs: 400 } });
      await indexer.start();
      const count = (subgraph: string) => orm!.em.fork().count(SearchEntry, { subgraph });
      expect(people.refused).toBeGreaterThan(0);
      expect(await count('people')).toBe(0);
      expect(await count('government')).toBeGreaterThan(PROVINCES.length);
      // The people subgraph comes back: the index reads it on its next try.
      people.down = false;
      const indexed = await eventually(async () => ((await count('people')) > 0 ? count('people') : undefined), 5_000);
      const listed = await query(`{ peopleOrganizations(first: 1) { totalCount } }`);
      expect(indexed).toBe(listed.data.peopleOrganizations.totalCount);
    } finally {
      await indexer?.stop();
      await orm?.close();
      await people.close();
      await own.drop();
    }
  });
});
