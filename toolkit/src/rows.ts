import { raw, ReferenceKind, type EntityMetadata, type EntityProperty, type FilterQuery, type Platform } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { chargeRows } from './row-budget.js';

type EntityClass<E> = new (...args: any[]) => E;
type Row = Record<string, unknown>;

/**
 * How the rows of one entity's table are read without the ORM's unit of work:
 * the read paths (lists, connections, loaders, references) only answer
 * questions, so they need no identity map, change tracking or per-row entity
 * factory. A record read this way has the entity's prototype (its getters,
 * such as `sector`, and `instanceof` keep working) and every column the ORM
 * would load, with the same JavaScript values; it is never managed, so it is
 * never written back. Writes load their records through the ORM.
 */
export interface RowReader<E> {
  /** The SELECT list of every column the ORM loads (lazy ones, such as the search text, left out), over the alias `t`. */
  columns: string;
  /** The column that holds a property, quoted and qualified by `t`. */
  column(property: keyof E & string): string;
  /** A record from a row of `columns`, keyed by column name; other columns of the row are ignored. */
  read(row: Row): E;
}

interface Field {
  name: string;
  column: string;
  convert: ((value: unknown) => unknown) | null;
}

// Built once per entity and ORM (a test may run several ORMs over the same entities).
const readers = new WeakMap<EntityMetadata, RowReader<any>>();

/** An entity's table, schema-qualified, as the ORM maps it: SQL written by hand names tables through this, never as text. */
export function tableOf(em: EntityManager, entity: EntityClass<object>): string {
  const meta = em.getMetadata().get(entity);
  return `"${meta.schema ?? em.config.get('schema')}"."${meta.tableName}"`;
}

/** The reader of an entity's rows, built from its ORM metadata on first use. */
export function rowReader<E extends object>(em: EntityManager, entity: EntityClass<E>): RowReader<E> {
  const meta = em.getMetadata().get(entity) as EntityMetadata<E>;
  let reader = readers.get(meta);
  if (!reader) {
    reader = createRowReader(meta, em.getPlatform());
    readers.set(meta, reader);
  }
  return reader;
}

function createRowReader<E extends object>(meta: EntityMetadata<E>, platform: Platform): RowReader<E> {
  const fields: Field[] = meta.props
    .filter((prop) => prop.persist !== false && !prop.lazy)
    .map((prop) => {
      if (prop.kind !== ReferenceKind.SCALAR || prop.fieldNames?.length !== 1) {
        throw new Error(`${meta.className}.${prop.name} is not a one-column scalar: plain rows cannot read it.`);
      }
      return { name: prop.name, column: prop.fieldNames[0]!, convert: converterOf(prop, platform) };
    });
  const columnOf = new Map<string, string>(meta.props.filter((prop) => prop.fieldNames?.length === 1).map((prop) => [prop.name, `t."${prop.fieldNames[0]}"`]));
  // MikroORM puts a setter for each property on the entity's prototype that makes
  // an instance managed on its first write. Plain data properties of the same
  // names on a prototype in between shadow those setters: a record's fields are
  // then its own plain properties.
  const prototype = Object.create(
    meta.prototype,
    Object.fromEntries(fields.map((field) => [field.name, { value: undefined, writable: true, configurable: true }])),
  );
  return {
    columns: fields.map((field) => `t."${field.column}"`).join(', '),
    column(property) {
      const column = columnOf.get(property);
      if (!column) throw new Error(`${meta.className} has no column for "${property}".`);
      return column;
    },
    read(row) {
      const record = Object.create(prototype);
      for (const { name, column, convert } of fields) {
        const value = row[column];
        record[name] = value === null || value === undefined || !convert ? value : convert(value);
      }
      return record;
    },
  };
}

/**
 * The conversion the ORM applies to a column's value when it hydrates an
 * entity (its result mapper, then its hydrator): dates of `datetime` columns
 * (the driver leaves timestamps as text), booleans, and custom types (JSON,
 * arrays, `date` as text, bigint). Null stays null.
 */
function converterOf(prop: EntityProperty, platform: Platform): Field['convert'] {
  const customType = prop.customType;
  if (prop.runtimeType === 'boolean') return (value) => !!value;
  if (prop.runtimeType === 'Date' && !platform.isNumericProperty(prop)) {
    return (value) => (value instanceof Date ? value : platform.parseDate(value as string));
  }
  // The context the ORM's hydrator passes.
  if (customType) return (value) => customType.convertToJSValue(value, platform, { mode: 'serialization' });
  return null;
}

/** Runs a SELECT of `reader.columns` and reads each row, counting the rows against the request's budget. */
export async function readRows<E extends object>(em: EntityManager, reader: RowReader<E>, sql: string, params: readonly unknown[]): Promise<E[]> {
  const rows = await em.getConnection().execute<Row[]>(sql, [...params]);
  chargeRows(em, rows.length);
  return rows.map((row) => reader.read(row));
}

export interface FindRowsOptions<E> {
  orderBy: { [K in keyof E]?: 'asc' | 'desc' };
  limit?: number;
}

/**
 * Records matching an ORM filter, read as plain records: the ORM writes the
 * SQL (so filters stay in its query language), the rows skip its entity
 * factory. For lists whose filter a client composes; fixed questions are
 * plain SQL through `readRows`.
 */
export async function findRows<E extends object>(
  em: EntityManager,
  entity: EntityClass<E>,
  where: FilterQuery<E>,
  options: FindRowsOptions<E>,
): Promise<E[]> {
  const reader = rowReader(em, entity);
  const qb = em
    .createQueryBuilder<E, 't'>(entity, 't')
    .select(raw(reader.columns))
    // A filter the ORM accepts for em.find is one its query builder accepts; only their generic types differ.
    .where(where as never)
    .orderBy(options.orderBy as never);
  if (options.limit !== undefined) qb.limit(options.limit);
  const { sql, params } = qb.toQuery();
  return readRows(em, reader, sql, params);
}
