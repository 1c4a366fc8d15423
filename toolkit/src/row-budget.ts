import { GraphQLError } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * How many rows one request may read from a subgraph's database, across all
 * its statements: a backstop behind the gateway's cost estimate, for a caller
 * that skipped the gateway or an estimate that was wrong. Past it the request
 * stops with a clear error instead of building an answer that takes the
 * process down.
 */
export const DEFAULT_MAX_ROWS = 200_000;

/** `SUBGRAPH_MAX_ROWS`, else the default. */
export function maxRowsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SUBGRAPH_MAX_ROWS;
  if (raw === undefined || raw === '') return DEFAULT_MAX_ROWS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`SUBGRAPH_MAX_ROWS must be a positive whole number; got "${raw}".`);
  return value;
}

// Keyed by the request's own EntityManager (a fork per request), which every loader and page of the request shares.
const budgets = new WeakMap<EntityManager, { max: number; read: number }>();

/** Gives a request's EntityManager its row budget. */
export function limitRows(em: EntityManager, max: number): void {
  budgets.set(em, { max, read: 0 });
}

/** Counts rows a request has read; throws once it is over its budget. */
export function chargeRows(em: EntityManager, count: number): void {
  const budget = budgets.get(em);
  if (!budget) return;
  budget.read += count;
  if (budget.read > budget.max) {
    throw new GraphQLError(`This request would read more than ${budget.max.toLocaleString('en')} rows here; ask for smaller pages or fewer nested lists.`, {
      extensions: { code: 'RESPONSE_TOO_LARGE', maxRows: budget.max },
    });
  }
}
