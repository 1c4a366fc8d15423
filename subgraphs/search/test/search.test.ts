import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSubgraph, type TestSubgraph } from '@hub/toolkit/testing';
import { scoreOf, search, SearchEntry } from '../src/subgraph.js';

/** An address where nothing listens: the owners, as this subgraph alone sees them. */
async function nowhere(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return url;
}

const SEARCH = /* GraphQL */ `
  query ($text: String!, $first: Int, $after: String) {
    search(text: $text, first: $first, after: $after) {
      totalCount
      edges {
        node {
          score
          node {
            __typename
            ... on PeopleOrganization { id }
            ... on GovernmentCentre { id }
            ... on PrivatePartner { id }
            ... on Initiative { id }
            ... on Province { code }
          }
        }
      }
    }
  }
`;

describe('search subgraph', () => {
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    // Alone, its owners away: the index holds what is written here, as it would hold what the owners' APIs gave.
    const subgraphUrls = Object.fromEntries(await Promise.all(['people', 'government', 'partners', 'initiatives'].map(async (name) => [name, await nowhere()])));
    subgraph = await startTestSubgraph(search, { subgraphUrls });
    const em = subgraph.em();
    const entry = (id: string, subgraph: string, typeName: string, name: string, more: Partial<SearchEntry> = {}) =>
      em.create(SearchEntry, { id, subgraph, typeName, name, version: 1, ...more });
    entry('prt_rank_fragment', 'partners', 'PrivatePartner', 'Paddyrice Mill');
    entry('ini_rank_apart', 'initiatives', 'Initiative', 'Mill of Rice');
    entry('gov_rank_word', 'government', 'GovernmentCentre', 'Golden Rice Mill');
    entry('peo_rank_prefix', 'people', 'PeopleOrganization', 'Rice Mill Cooperative');
    entry('TH-99', 'government', 'Province', 'โรงสี', { nameEn: 'Rice-Mill' });
    entry('peo_rank_exact_demo', 'people', 'PeopleOrganization', 'Rice Mill', { demo: true });
    entry('prt_rank_archived', 'partners', 'PrivatePartner', 'Rice Mill', { archivedAt: new Date() });
    entry('prt_elsewhere', 'partners', 'PrivatePartner', 'Fishing Net');
    await em.flush();
  });
  afterAll(() => subgraph?.stop());

  it('ranks the records of every owner together: exact, prefix, word start, fragment, words apart; real before demo; archived ones left out', async () => {
    // The English name of a province is the text; a demo organisation's name is too; the rest match less well.
    expect(await subgraph.query(SEARCH, { text: 'rice mill' })).toEqual({
      data: {
        search: {
          totalCount: 6,
          edges: [
            { node: { score: 1, node: { __typename: 'Province', code: 'TH-99' } } },
            { node: { score: 0.9, node: { __typename: 'PeopleOrganization', id: 'peo_rank_exact_demo' } } },
            { node: { score: 0.8, node: { __typename: 'PeopleOrganization', id: 'peo_rank_prefix' } } },
            { node: { score: 0.6, node: { __typename: 'GovernmentCentre', id: 'gov_rank_word' } } },
            { node: { score: 0.4, node: { __typename: 'PrivatePartner', id: 'prt_rank_fragment' } } },
            { node: { score: 0.2, node: { __typename: 'Initiative', id: 'ini_rank_apart' } } },
          ],
        },
      },
    });
  });

  it('scores in exact tenths, one step per kind of match and a half step for demo data', () => {
    expect([0, 1, 2, 3, 4].flatMap((rank) => [scoreOf(rank, false), scoreOf(rank, true)])).toEqual([1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]);
  });

  it('refuses a text too short, naming the argument, and a page too large', async () => {
    const short = await subgraph.query(SEARCH, { text: ' ฯ ' });
    expect(short.errors?.map((error) => [error.extensions?.code, error.extensions?.argument])).toEqual([['BAD_USER_INPUT', 'text']]);
    const large = await subgraph.query(SEARCH, { text: 'rice', first: 501 });
    expect(large.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
