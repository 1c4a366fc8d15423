/**
 * Operations a hostile client sends to an anonymous graph: small documents
 * that ask for huge answers (nested lists, variables, aliases, fragments,
 * graph queries at their limits), and some that stay just under the budget
 * and must still be answered. The hostile test (test/hostile.test.ts) and the
 * benchmark's hostile mix (`npm run bench:hostile`) both send these.
 */

export interface HostileOperation {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Whether the gateway should refuse it before calling any subgraph (COST_ESTIMATED_TOO_EXPENSIVE). */
  refused: boolean;
}

/** Fragments that each spread the next twice: a short document that expands to 2^levels selections. */
function fragmentBomb(levels: number): string {
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
  return `query { ...F0 } ${fragments.join(' ')} fragment F${levels} on Query { provinces { code } }`;
}

/** `count` aliased copies of a field: `a0: field a1: field ...`. */
function aliased(count: number, field: string): string {
  return Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ');
}

export const HOSTILE_OPERATIONS: HostileOperation[] = [
  {
    name: 'nested lists, default pages',
    query: `{ provinces { initiatives { nodes { participants { nodes { actor { initiatives { nodes { participants { nodes { actor { id } } } } } } } } } } } }`,
    refused: true,
  },
  {
    name: 'nested lists, pages from a variable',
    query: `query Deep($n: Int) { provinces { initiatives(first: $n) { nodes { participants(first: $n) { nodes { actor { initiatives(first: $n) { nodes { participants(first: $n) { nodes { actor { id } } } } } } } } } } } }`,
    variables: { n: 500 },
    refused: true,
  },
  {
    name: 'the widest pages',
    query: `{ initiatives(first: 500) { nodes { participants(first: 500) { nodes { actor { name } } } } } }`,
    refused: true,
  },
  {
    name: 'aliased neighbourhoods at their limits',
    query: `{ ${aliased(30, 'neighbourhood(actorId: "gov_th80_centre", depth: 3, limit: 1000) { nodes { actor { id } } edges { kind } }')} }`,
    refused: true,
  },
  {
    name: 'aliased shortest paths',
    query: `{ ${aliased(30, 'shortestPath(fromId: "peo_th80_centre", toId: "gov_th_national", maxHops: 6) { hops }')} }`,
    refused: true,
  },
  {
    name: 'aliased province networks',
    query: `{ ${aliased(30, 'provinceNetwork(provinceCode: "TH-10", top: 200) { nodeCount top { betweenness } }')} }`,
    refused: true,
  },
  {
    name: 'nested lists behind fragments',
    query: /* GraphQL */ `
      query { provinces { ...Province } }
      fragment Province on Province { initiatives(first: 500) { nodes { ...Initiative } } }
      fragment Initiative on Initiative { participants(first: 500) { nodes { actor { ...Actor } } } }
      fragment Actor on Actor { initiatives(first: 500) { nodes { id } } }`,
    refused: true,
  },
  {
    name: 'fragments that each spread the next twice, 17 levels deep',
    query: fragmentBomb(17),
    refused: true,
  },
  {
    name: 'every province with a full page of initiatives (just under the budget)',
    query: `{ provinces { code initiatives(first: 500) { totalCount nodes { id } } } }`,
    refused: false,
  },
  {
    name: 'a full page of initiatives with their participants (just under the budget)',
    query: `{ initiatives(first: 500) { nodes { id participants(first: 45) { nodes { role actor { name } } } } } }`,
    refused: false,
  },
  {
    name: 'one neighbourhood at its limits',
    query: `{ neighbourhood(actorId: "gov_th80_centre", depth: 3, limit: 1000) { truncated nodes { depth actor { id name } } edges { kind source { id } target { id } } } }`,
    refused: true,
  },
  {
    name: 'a neighbourhood of 500 actors (just under the budget)',
    query: `{ neighbourhood(actorId: "gov_th80_centre", depth: 3, limit: 500) { truncated nodes { depth actor { id name } } edges { kind source { id } target { id } } } }`,
    refused: false,
  },
];
