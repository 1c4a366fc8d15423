import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badUserInput } from './errors.js';

type EntityClass<E> = new (...args: any[]) => E;

/**
 * One SELECT for every key asked for in the same tick: the loader behind each
 * reference resolver and each field that points at one record.
 */
export function byKeyLoader<E extends object, K extends keyof E & string>(
  em: EntityManager,
  entity: EntityClass<E>,
  key: K,
): DataLoader<string, E | null> {
  return new DataLoader(async (keys) => {
    const rows = await em.find(entity, { [key]: { $in: [...keys] } } as any);
    const byKey = new Map(rows.map((row) => [String(row[key]), row]));
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
   * several parents), or either of two columns (a link belongs to both ends).
   */
  keyShape?: 'scalar' | 'array' | { either: [string, string] };
  /** ORDER BY within each parent, over columns of `t`; must end in a unique column so pages are stable. */
  orderBy: string;
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
): DataLoader<string, E[]> {
  const meta = em.getMetadata().get(entity);
  const schema = meta.schema ?? em.config.get('schema');
  const table = `"${schema}"."${meta.tableName}"`;
  const shape = options.keyShape ?? 'scalar';
  const col = `t."${options.keyColumn}"`;

  let keyed: string;
  let where: string;
  let params: (keys: readonly string[]) => unknown[];
  if (shape === 'scalar') {
    keyed = `${col} as "_key"`;
    where = `${col} in (?)`;
    params = (keys) => [keys];
  } else if (shape === 'array') {
    keyed = `k.key as "_key"`;
    // `&&` lets PostgreSQL use the GIN index; unnest then fans each row out to its parents.
    where = `${col} && array[?]::text[] and k.key in (?)`;
    params = (keys) => [keys, keys];
  } else {
    const [a, b] = shape.either;
    keyed = `k.key as "_key"`;
    where = `(t."${a}" in (?) or t."${b}" in (?)) and k.key in (?)`;
    params = (keys) => [keys, keys, keys];
  }
  const lateral =
    shape === 'scalar'
      ? ''
      : shape === 'array'
        ? `cross join lateral unnest(${col}) as k(key)`
        : `cross join lateral (values (t."${shape.either[0]}"), (t."${shape.either[1]}")) as k(key)`;
  const partition = shape === 'scalar' ? col : 'k.key';

  // MikroORM expands an array parameter into a list of placeholders, hence `in (?)` and `array[?]`.
  const sql = `select * from (
      select t.*, ${keyed}, row_number() over (partition by ${partition} order by ${options.orderBy}) as "_rank"
      from ${table} t ${lateral}
      where ${where}
    ) ranked where "_rank" <= ?`;

  return new DataLoader(async (keys) => {
    const rows = await em.getConnection().execute<Record<string, unknown>[]>(sql, [...params(keys), limit]);
    const groups = new Map<string, E[]>(keys.map((key) => [key, []]));
    for (const { _key, _rank, ...columns } of rows) {
      groups.get(String(_key))?.push(em.map(entity, columns as any));
    }
    return keys.map((key) => groups.get(key) ?? []);
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
