import { Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { badUserInput } from '@hub/server';
import type { PageArgs } from './args.js';
import { groupedCountLoader, groupedListLoader, pageSize, type GroupedListOptions, type RowFilter } from './loaders.js';
import { findRows } from './rows.js';

@Directive('@shareable')
@ObjectType({ description: 'Where a page sits in its list (Relay cursor connections).' })
export class PageInfo {
  @Field({ description: 'True when a later page exists.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of this page: pass it as `after` for the next page.' })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  /** Lazy: the count runs only when GraphQL awaits it, i.e. when a client asks for it. */
  totalCount: PromiseLike<number>;
}


/** A promise that starts its work only when something awaits it. */
function lazy<T>(run: () => Promise<T>): PromiseLike<T> {
  let started: Promise<T> | undefined;
  return {
    then: (onFulfilled, onRejected) => (started ??= run()).then(onFulfilled, onRejected),
  };
}

/** Cuts `limit + 1` rows in cursor order into a page, telling whether more follow. */
function toConnection<E extends { id: string }>(rows: E[], limit: number, totalCount: () => Promise<number>): Connection<E> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    edges: page.map((node) => ({ cursor: encodeCursor(node.id), node })),
    nodes: page,
    pageInfo: { hasNextPage: rows.length > limit, endCursor: last ? encodeCursor(last.id) : null },
    totalCount: lazy(totalCount),
  };
}

/**
 * A Relay connection type for `Node`, named `<name>Connection` with edges
 * `<name>Edge`. `shareable` marks the edge type for types that every
 * subgraph defines alike (the audit trail's changes); the connection class
 * that extends this one carries its own `@shareable`.
 */
export function ConnectionType<T extends object>(Node: ClassType<T>, name: string, options: { shareable?: boolean } = {}) {
  const shareable: ClassDecorator = options.shareable ? Directive('@shareable') : () => {};
  @shareable
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field({ description: 'Opaque position of this edge, for `after`.' })
    cursor!: string;

    @Field(() => Node)
    node!: T;
  }

  @shareable
  @ObjectType(`${name}Connection`, { description: `A page of ${name} records, in a stable order.` })
  class ConnectionClass {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => [Node], { description: 'The nodes of `edges`, for clients that need no cursors.' })
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'How many records match the filters, over all pages.' })
    totalCount!: number;
  }
  return ConnectionClass;
}

const CURSOR_PREFIX = 'id:';

export function encodeCursor(id: string): string {
  return Buffer.from(CURSOR_PREFIX + id, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith(CURSOR_PREFIX) || decoded.length === CURSOR_PREFIX.length || /[\u0000-\u001f]/.test(decoded)) {
    throw badUserInput(`"after" is not a cursor this API gave out: ${JSON.stringify(cursor)}.`, { argument: 'after' });
  }
  return decoded.slice(CURSOR_PREFIX.length);
}

/**
 * One page of `entity` in id order (keyset paging: stable under inserts, and
 * as fast on page 1,000 as on page 1), with the total count of matches.
 */
export async function paginate<E extends { id: string }>(
  em: EntityManager,
  entity: new (...args: any[]) => E,
  where: FilterQuery<E>,
  args: PageArgs,
): Promise<Connection<E>> {
  const limit = pageSize(args.first);
  const after = args.after ? decodeCursor(args.after) : undefined;
  // Archived records are left out of lists, as in groupedConnection.
  const current = { $and: [where, { archivedAt: null }] } as FilterQuery<E>;
  const pageWhere = (after ? { $and: [current, { id: { $gt: after } }] } : current) as FilterQuery<E>;
  const rows = await findRows(em, entity, pageWhere, { orderBy: { id: 'asc' }, limit: limit + 1 });
  return toConnection(rows, limit, () => em.count(entity, current));
}

/**
 * A connection per parent (an initiative's participants, a province's
 * actors), batched: every parent asking for the same page shares one SQL
 * statement for the rows and, if asked for, one GROUP BY for the counts.
 * Keyset paging on `id`, so pages are stable under inserts.
 */
export function groupedConnection<E extends { id: string }>(
  em: EntityManager,
  entity: new (...args: any[]) => E,
  options: Omit<GroupedListOptions, 'orderBy'>,
) {
  const pages = new Map<string, DataLoader<string, E[]>>();
  const counts = new Map<string, DataLoader<string, number>>();
  return (key: string, args: PageArgs, filter?: RowFilter): Promise<Connection<E>> => {
    const limit = pageSize(args.first);
    const after = args.after ? decodeCursor(args.after) : null;
    const rowFilter: RowFilter = {
      id: `${filter?.id ?? ''}|${after ?? ''}`,
      sql: [filter?.sql, after !== null ? 't.id > ?' : undefined].filter(Boolean).join(' and ') || 'true',
      params: [...(filter?.params ?? []), ...(after !== null ? [after] : [])],
    };
    const pageKey = `${limit}|${rowFilter.id}`;
    let pageLoader = pages.get(pageKey);
    if (!pageLoader) {
      pageLoader = groupedListLoader(em, entity, { ...options, orderBy: 't.id' }, limit + 1, rowFilter);
      pages.set(pageKey, pageLoader);
    }
    const countKey = filter?.id ?? '';
    const totalCount = () => {
      let countLoader = counts.get(countKey);
      if (!countLoader) counts.set(countKey, (countLoader = groupedCountLoader(em, entity, options, filter)));
      return countLoader.load(key);
    };
    return pageLoader.load(key).then((rows) => toConnection(rows, limit, totalCount));
  };
}
