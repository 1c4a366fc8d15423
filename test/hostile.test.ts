/**
 * A hostile client against the running hub: nested lists, variables,
 * aliases, fragments and graph queries at their limits, first from a fixed
 * list (bench/src/hostile.ts, also the benchmark's hostile mix), then
 * generated. Whatever is asked, the hub never crashes or answers 5xx; what
 * is over the budget is refused before any SQL runs; what is under it is
 * answered; and the process (gateway and subgraphs alike) stays under 1 GB.
 *
 * Deterministic: a fixed seed, overridden by FUZZ_SEED=<n>.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COST_HEADER, DEFAULT_LIMITS } from '@hub/gateway';
import { HOSTILE_OPERATIONS } from '@hub/bench/hostile';
import { startTestHub, type TestHub } from './support/hub.js';

const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : 20_261_130;
const ONE_GB = 2 ** 30;

interface Answer {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string; cost?: { estimated: number } } }[] };
}

/** Where a nested list can go next from each type: the opening of its selection, and the type it reaches. */
const STEPS: Record<string, { open: (first: string) => string; to: string }[]> = {
  Query: [
    { open: () => 'provinces {', to: 'Province' },
    { open: (first) => `initiatives${first} { nodes {`, to: 'Initiative' },
    { open: (first) => `peopleOrganizations${first} { nodes {`, to: 'Actor' },
  ],
  Province: [
    { open: (first) => `initiatives${first} { nodes {`, to: 'Initiative' },
    { open: (first) => `peopleOrganizations${first} { nodes {`, to: 'Actor' },
  ],
  Initiative: [
    { open: (first) => `participants${first} { nodes { actor {`, to: 'Actor' },
    { open: () => 'provinces {', to: 'Province' },
  ],
  Actor: [
    { open: (first) => `initiatives${first} { nodes {`, to: 'Initiative' },
    { open: (first) => `links${first} { nodes { source {`, to: 'Actor' },
  ],
};
const LEAF: Record<string, string> = { Query: '__typename', Province: 'code', Initiative: 'id', Actor: 'id' };

interface Pick {
  step: number;
  first: string;
  fragment: boolean;
}

/** The selection a chain of picks makes from `type` down. */
function nest(type: string, picks: Pick[]): string {
  const [pick, ...rest] = picks;
  if (!pick) return LEAF[type]!;
  const options = STEPS[type]!;
  const step = options[pick.step % options.length]!;
  const open = step.open(pick.first);
  const selection = `${open} ${nest(step.to, rest)} ${'}'.repeat(open.split('{').length - 1)}`;
  return pick.fragment ? `... on ${type} { ${selection} }` : selection;
}

/** A chain of nested lists, each page a literal, the variable $n or the default, some levels behind an inline fragment, under aliases. */
const nestedListsArb = fc
  .record({
    picks: fc.array(
      fc.record({ step: fc.nat(), first: fc.constantFrom('', '(first: 500)', '(first: 50)', '(first: 2)', '(first: $n)'), fragment: fc.boolean() }),
      { minLength: 1, maxLength: 7 },
    ),
    aliases: fc.integer({ min: 1, max: 4 }),
    n: fc.integer({ min: 0, max: 500 }),
  })
  .map(({ picks, aliases, n }) => {
    const body = nest('Query', picks);
    const fragment = '... on Query { ';
    const alias = (i: number) => (body.startsWith(fragment) ? `${fragment}a${i}: ${body.slice(fragment.length)}` : `a${i}: ${body}`);
    const top = Array.from({ length: aliases }, (_, i) => alias(i)).join(' ');
    // A declared variable must be used: declare $n only where a page takes it.
    return top.includes('$n') ? { query: `query Hostile($n: Int) { ${top} }`, variables: { n } } : { query: `query Hostile { ${top} }`, variables: {} };
  });

describe('a hostile client against the running hub', () => {
  let hub: TestHub;
  let statements = 0;
  beforeAll(async () => {
    hub = await startTestHub({ onQuery: () => statements++ });
  });
  afterAll(() => hub?.stop());

  const send = async (query: string, variables?: Record<string, unknown>): Promise<Answer> => {
    const response = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [COST_HEADER]: 'true' },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  };

  it.each(HOSTILE_OPERATIONS.map((op) => [op.name, op] as const))('%s: refused before any SQL, or answered in full', async (_name, operation) => {
    statements = 0;
    const answer = await send(operation.query, operation.variables);
    if (operation.refused) {
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['COST_ESTIMATED_TOO_EXPENSIVE']);
      expect(answer.body.errors![0]!.extensions!.cost!.estimated).toBeGreaterThan(DEFAULT_LIMITS.maxCost);
      expect(statements).toBe(0);
    } else {
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data).toBeTruthy();
    }
  });

  it('never crashes, never answers 5xx, and refuses every generated operation over the budget before any SQL', async () => {
    let refused = 0;
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(nestedListsArb, async ({ query, variables }) => {
        statements = 0;
        const answer = await send(query, variables);
        expect(answer.status, query).toBeLessThan(500);
        const codes = answer.body.errors?.map((e) => e.extensions?.code) ?? [];
        expect(codes, query).not.toContain('INTERNAL_SERVER_ERROR');
        if (answer.body.data === undefined) {
          // Over the budget, or deeper than the depth limit: refused before execution.
          refused++;
          expect(codes, query).toSatisfy((all: unknown[]) => all.length > 0 && all.every((c) => c === 'COST_ESTIMATED_TOO_EXPENSIVE' || c === 'GRAPHQL_VALIDATION_FAILED'));
          expect(statements, query).toBe(0);
        } else {
          answered++;
          expect(answer.body.data, query).toBeTruthy();
        }
      }),
      { seed: SEED, numRuns: 150, endOnFailure: true },
    );
    // The generator must reach both sides of the budget, or it proves little.
    expect(refused).toBeGreaterThan(10);
    expect(answered).toBeGreaterThan(10);
  });

  it('stays under 1 GB and still answers an ordinary question afterwards', async () => {
    expect(process.memoryUsage().rss).toBeLessThan(ONE_GB);
    const answer = await send(`{ province(code: "TH-80") { nameEn } }`);
    expect(answer.body).toMatchObject({ data: { province: { nameEn: 'Nakhon Si Thammarat' } } });
    expect(answer.body.errors).toBeUndefined();
  });
});
