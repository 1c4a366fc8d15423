import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badUserInput } from '@hub/server';
import { chargeRows } from './row-budget.js';
import { readRows, rowReader, tableOf } from './rows.js';

type EntityClass<E> = new (...args: any[]) => E;

/**
 * One SELECT for every key asked for in the same tick: the loader behind each
 * reference resolver and each field that points at one record. Its records
 * are plain (rows.ts): the same values as the ORM's entities, without their
 * bookkeeping.
 */
export function byKeyLoader<E extends object, K extends keyof E & string>(
  em: EntityManager,
  entity: EntityClass<E>,
  key: K,
): DataLoader<string, E | null> {
  const reader = rowReader(em, entity);
  const sql = `select ${reader.columns} from ${tableOf(em, entity)} t where ${reader.column(key)} in (?)`;
  return new DataLoader(async (keys) => {
    const records = await readRows(em, reader, sql, [keys]);
    const byKey = new Map(records.map((record) => [String(record[key]), record]));
    return keys.map((k) => byKey.get(k) ?? null);
  });
}

export function byIdLoader<E extends { id: string }>(em: EntityManager, entity: EntityClass<E>): DataLoader<string, E | null> {
  return byKeyLoader(em, entity, 'id');
}

export interface GroupedListOptions {
  /** Column of the child table that holds the parent key. */
  keyColumn: string;
  /**
   * How the key column holds keys: one value, an array (one row belongs to
   * several parents), either of two columns (a link belongs to both ends), or
   * a join table (an actor's initiatives, through its participations; then
   * `keyColumn` is the join table's column that points at the child).
   */
  keyShape?: 'scalar' | 'array' | { either: [string, string] } | { through: { table: string; parentColumn: string } };
  /** ORDER BY within each parent, over columns of `t`; must end in a unique column so pages are stable. */
  orderBy: string;
}

/** An extra condition on the child rows, over columns of `t`; `id` tells loaders with different filters apart. */
export interface RowFilter {
  id: string;
  sql: string;
  params: unknown[];
}

const NO_FILTER: RowFilter = { id: '', sql: 'true', params: [] };

/**
 * The FROM and WHERE shared by the grouped list and count queries. Archived
 * rows (an organisation archived, a participation its actor left) are left
 * out of every list and count; looked up by id, they are still there. (The
 * audit trail has nothing to archive.)
 */
function groupedFrom(em: EntityManager, entity: EntityClass<object>, options: Omit<GroupedListOptions, 'orderBy'>) {
  const q = groupedRows(em, entity, options);
  const archivable = 'archivedAt' in em.getMetadata().get(entity).properties;
  return archivable ? { ...q, where: `${q.where} and t.archived_at is null` } : q;
}

function groupedRows(em: EntityManager, entity: EntityClass<object>, options: Omit<GroupedListOptions, 'orderBy'>) {
  const schema = em.getMetadata().get(entity).schema ?? em.config.get('schema');
  const table = tableOf(em, entity);
  const shape = options.keyShape ?? 'scalar';
  const col = `t."${options.keyColumn}"`;
  // MikroORM expands an array parameter into a list of placeholders, hence `in (?)` and `array[?]`.
  if (shape === 'scalar') {
    return { from: `${table} t`, key: col, where: `${col} in (?)`, params: (keys: readonly string[]) => [keys] };
  }
  if (shape === 'array') {
    return {
      from: `${table} t cross join lateral unnest(${col}) as k(key)`,
      key: 'k.key',
      // `&&` lets PostgreSQL use the GIN index; unnest then fans each row out to its parents.
      where: `${col} && array[?]::text[] and k.key in (?)`,
      params: (keys: readonly string[]) => [keys, keys],
    };
  }
  if ('through' in shape) {
    const { table: through, parentColumn } = shape.through;
    return {
      // distinct: a parent linked to one child twice (two roles in one initiative) lists it once.
      // Archived join rows (a participation the actor left) no longer join.
      from: `${table} t join (select distinct "${parentColumn}" as key, "${options.keyColumn}" as child from "${schema}"."${through}" where "${parentColumn}" in (?) and archived_at is null) k on k.child = t.id`,
      key: 'k.key',
      where: 'true',
      params: (keys: readonly string[]) => [keys],
    };
  }
  const [a, b] = shape.either;
  return {
    from: `${table} t cross join lateral (values (t."${a}"), (t."${b}")) as k(key)`,
    key: 'k.key',
    where: `(t."${a}" in (?) or t."${b}" in (?)) and k.key in (?)`,
    params: (keys: readonly string[]) => [keys, keys, keys],
  };
}

/**
 * A list per parent, loaded for all parents at once. Each parent gets at most
 * `limit` rows, cut in SQL with row_number(), so a page of 500 parents is one
 * statement however many children each has.
 */
export function groupedListLoader<E extends object>(
  em: EntityManager,
  entity: EntityClass<E>,
  options: GroupedListOptions,
  limit: number,
  filter: RowFilter = NO_FILTER,
): DataLoader<string, E[]> {
  const q = groupedFrom(em, entity, options);
  const reader = rowReader(em, entity);
  const sql = `select * from (
      select ${reader.columns}, ${q.key} as "_key", row_number() over (partition by ${q.key} order by ${options.orderBy}) as "_rank"
      from ${q.from}
      where ${q.where} and (${filter.sql})
    ) ranked where "_rank" <= ?`;
  return new DataLoader(async (keys) => {
    const rows = await em.getConnection().execute<Record<string, unknown>[]>(sql, [...q.params(keys), ...filter.params, limit]);
    chargeRows(em, rows.length);
    const groups = new Map<string, E[]>(keys.map((key) => [key, []]));
    for (const row of rows) groups.get(String(row._key))?.push(reader.read(row));
    return keys.map((key) => groups.get(key) ?? []);
  });
}

/** How many children each parent has, for all parents at once: one GROUP BY. */
export function groupedCountLoader(
  em: EntityManager,
  entity: EntityClass<object>,
  options: Omit<GroupedListOptions, 'orderBy'>,
  filter: RowFilter = NO_FILTER,
): DataLoader<string, number> {
  const q = groupedFrom(em, entity, options);
  const sql = `select ${q.key} as "_key", count(*)::int as "count" from ${q.from} where ${q.where} and (${filter.sql}) group by 1`;
  return new DataLoader(async (keys) => {
    const rows = await em.getConnection().execute<{ _key: string; count: number }[]>(sql, [...q.params(keys), ...filter.params]);
    const counts = new Map(rows.map((row) => [String(row._key), Number(row.count)]));
    return keys.map((key) => counts.get(key) ?? 0);
  });
}

/** Default and ceiling for `first` on every list field. */
export const PAGE_SIZE = { default: 50, max: 500 } as const;

/** Checks a client's `first` argument against the hub's page-size limits. */
export function pageSize(first: number | null | undefined): number {
  const size = first ?? PAGE_SIZE.default;
  if (!Number.isInteger(size) || size < 0 || size > PAGE_SIZE.max) {
    throw badUserInput(`"first" must be a whole number from 0 to ${PAGE_SIZE.max}; got ${size}.`, {
      argument: 'first',
      max: PAGE_SIZE.max,
    });
  }
  return size;
}

/**
 * Loaders keyed by page size: a grouped loader batches parents that ask for
 * the same `first`, which in practice is all the parents of one list.
 */
export function perPageSize<V>(create: (limit: number) => DataLoader<string, V>): (first?: number | null) => DataLoader<string, V> {
  const loaders = new Map<number, DataLoader<string, V>>();
  return (first) => {
    const limit = pageSize(first);
    let loader = loaders.get(limit);
    if (!loader) loaders.set(limit, (loader = create(limit)));
    return loader;
  };
}
