/**
 * What demo rows are made from, whatever the data: seeded randomness that
 * gives row i of a table from its own stream, value helpers, and the shape of
 * a table's description (`DemoTableSpec`). The hub's plan and its Thai names
 * are @hub/domain's (domain/src/demo.ts); each subgraph describes its own
 * tables in its `seed/demo.ts`. The same plan gives the same rows, byte for
 * byte, in any chunking.
 */

// ---------------------------------------------------------------------------
// Randomness

export type Rng = () => number;

/** mulberry32: a small, fast 32-bit PRNG; the same seed gives the same stream on every platform. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The PRNG of one row: independent of every other row, so rows can be made in any chunking. */
export function rowRng(seed: number, salt: number, index: number): Rng {
  return mulberry32(mix32((mix32(seed ^ Math.imul(salt, 0x9e3779b1)) + index) >>> 0));
}

export const int = (r: Rng, n: number) => Math.floor(r() * n);
export const pick = <T>(r: Rng, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
export const chance = (r: Rng, p: number) => r() < p;

/** An index drawn with the given (not necessarily normalised) weights. */
export function weighted(r: Rng, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let x = r() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

/** Draws from a list of [value, weight] pairs. */
export function choose<T>(r: Rng, options: readonly (readonly [T, number])[]): T {
  return options[weighted(r, options.map((o) => o[1]))]![0];
}

/** `min` to `max` distinct items, in the order of `items`. */
export function someOf<T>(r: Rng, items: readonly T[], min: number, max: number): T[] {
  const n = min + int(r, max - min + 1);
  const chosen = new Set<T>();
  while (chosen.size < n) chosen.add(pick(r, items));
  return items.filter((item) => chosen.has(item));
}

export function shuffle(r: Rng, items: { length: number; [i: number]: number }, from = 0, to = items.length): void {
  for (let i = to - 1; i > from; i--) {
    const j = from + int(r, i - from + 1);
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
}

export function gaussian(r: Rng): number {
  const u = 1 - r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

// ---------------------------------------------------------------------------
// Values

/** A column value as it goes to SQL: text, number, boolean or null (arrays and JSON already as literals). */
export type DemoValue = string | number | boolean | null;

/** The id of the demo row at a 0-based index: `mem_demo_000001` for prefix `mem`, index 0. Every demo id has `_demo_` in it. */
export const demoId = (prefix: string, index: number) => `${prefix}_demo_${String(index + 1).padStart(6, '0')}`;

/** Postgres array literal of plain words (codes and enum values only, nothing to escape). */
export const arrayLiteral = (items: readonly string[]) => `{${items.join(',')}}`;

const dayOf = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 86_400_000;
/** A day number (days since 1970-01-01) as an ISO date. */
export const isoDate = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
/** A day number from `from` (inclusive) to `to` (exclusive), given as [year, month, day]. */
export function dateBetween(r: Rng, from: readonly [number, number, number], to: readonly [number, number, number]): number {
  const a = dayOf(...from);
  return a + int(r, dayOf(...to) - a);
}

// ---------------------------------------------------------------------------
// A subgraph's demo tables

/** The columns every demo row starts with, as every record has them (see HubEntity): its id, `plan.sources` and `demo = true`. */
export const DEMO_ROW_FIELDS = ['id', 'sources', 'demo'] as const;

/**
 * One demo table of a subgraph: its entity, its properties, and how row i is
 * made from the plan of the whole demo data (the hub's plan is @hub/domain's
 * DemoPlan; the toolkit knows only that there is one).
 */
export interface DemoTableSpec<Plan = unknown, Table extends string = string> {
  table: Table;
  entity: Function;
  /** Entity property names, in the order `row` returns values; mapped to columns through the ORM's metadata. */
  fields: readonly string[];
  row(plan: Plan, index: number, r: Rng): DemoValue[];
}
