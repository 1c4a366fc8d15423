import { Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { raw } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { badUserInput } from '@hub/server';
import type { PageArgs } from './args.js';
import { groupedCountLoader, groupedListLoader, pageSize, type GroupedListOptions, type RowFilter } from './loaders.js';
import { chargeRows } from './row-budget.js';
import { findRows, rowReader } from './rows.js';
import { parseSearch, searchRankSql, searchWhere, type SearchColumns, type SearchQuery } from './search.js';

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
  /** On a list in order of relevance: how well the node matches the search (searchRankSql, 0 best). */
  rank?: number;
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
function toConnection<E extends { id: string }>(
  rows: E[],
  limit: number,
  totalCount: () => Promise<number>,
  cursorOf: (node: E, index: number) => string = (node) => encodeCursor(node.id),
): Connection<E> {
  const page = rows.slice(0, limit);
  const edges = page.map((node, index) => ({ cursor: cursorOf(node, index), node }));
  return {
    edges,
    nodes: page,
    pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
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

/*
 * A cursor is base64url text that tells the list's order and the position in
 * it: "id:<id>" in id order, "relevance:<search>:<rank>:<demo>:<id>" in order
 * of relevance to a search (`search` is SearchQuery.key). A cursor of one
 * order is refused by a list in the other, and a relevance cursor by a search
 * for other text, rather than silently continuing somewhere else.
 */
const ID_CURSOR = 'id:';
const RELEVANCE_CURSOR = 'relevance:';

export function encodeCursor(id: string): string {
  return Buffer.from(ID_CURSOR + id, 'utf8').toString('base64url');
}

/** Where a page of a list in order of relevance ends (see searchRankSql), as a cursor. */
interface RelevancePosition {
  search: string;
  rank: number;
  demo: boolean;
  id: string;
}

function encodeRelevanceCursor(position: RelevancePosition): string {
  const { search, rank, demo, id } = position;
  return Buffer.from(`${RELEVANCE_CURSOR}${search}:${rank}:${demo ? 1 : 0}:${id}`, 'utf8').toString('base64url');
}

function notOurs(cursor: string) {
  return badUserInput(`"after" is not a cursor this API gave out: ${JSON.stringify(cursor)}.`, { argument: 'after' });
}

/** The text of a cursor, or BAD_USER_INPUT when it cannot be one of ours. */
function cursorText(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (/[\u0000-\u001f]/.test(decoded)) throw notOurs(cursor);
  return decoded;
}

export function decodeCursor(cursor: string): string {
  const decoded = cursorText(cursor);
  if (decoded.startsWith(RELEVANCE_CURSOR)) {
    throw badUserInput('"after" is a cursor of a list in order of relevance to a search; this list is in id order. Start it again without "after".', {
      argument: 'after',
    });
  }
  if (!decoded.startsWith(ID_CURSOR) || decoded.length === ID_CURSOR.length) throw notOurs(cursor);
  return decoded.slice(ID_CURSOR.length);
}

function decodeRelevanceCursor(cursor: string, query: SearchQuery): RelevancePosition {
  const decoded = cursorText(cursor);
  if (decoded.startsWith(ID_CURSOR)) {
    throw badUserInput('"after" is a cursor of a list in id order; a list with "search" is in order of relevance. Start it again without "after".', {
      argument: 'after',
    });
  }
  const match = /^relevance:([\w-]+):([0-4]):([01]):(.+)$/s.exec(decoded);
  if (!match) throw notOurs(cursor);
  const [, search, rank, demo, id] = match;
  if (search !== query.key) {
    throw badUserInput('"after" is a cursor of a search for other text. Start this search again without "after".', { argument: 'after' });
  }
  return { search, rank: Number(rank), demo: demo === '1', id: id! };
}

/**
 * One page of `entity`, with the total count of matches: in id order, or,
 * with a `search`, only the records that match it, in order of relevance
 * (searchRankSql: how well a name matches, then real records before demo
 * ones, then id). Keyset paging either way, on `id` or on (rank, demo, id):
 * stable under inserts, and as fast on page 1,000 as on page 1.
 */
export async function paginate<E extends { id: string }>(
  em: EntityManager,
  entity: new (...args: any[]) => E,
  where: FilterQuery<E>,
  args: PageArgs,
  search?: string | SearchQuery | null,
): Promise<Connection<E>> {
  const limit = pageSize(args.first);
  if (search) return relevancePage(em, entity, where, typeof search === 'string' ? parseSearch(search) : search, limit, args.after);
  const after = args.after ? decodeCursor(args.after) : undefined;
  // Archived records are left out of lists, as in groupedConnection.
  const current = { $and: [where, { archivedAt: null }] } as FilterQuery<E>;
  const pageWhere = (after ? { $and: [current, { id: { $gt: after } }] } : current) as FilterQuery<E>;
  const rows = await findRows(em, entity, pageWhere, { orderBy: { id: 'asc' }, limit: limit + 1 });
  return toConnection(rows, limit, () => em.count(entity, current));
}

/** A page of the records matching a search, in order of relevance: one statement, the rank computed once per match. */
async function relevancePage<E extends { id: string }>(
  em: EntityManager,
  entity: new (...args: any[]) => E,
  where: FilterQuery<E>,
  query: SearchQuery,
  limit: number,
  after: string | null | undefined,
): Promise<Connection<E>> {
  const position = after ? decodeRelevanceCursor(after, query) : undefined;
  const reader = rowReader(em, entity);
  const properties = em.getMetadata().get(entity).properties as Record<string, { fieldNames?: string[] } | undefined>;
  const columnOf = (property: string) => {
    const column = properties[property]?.fieldNames?.[0];
    if (!column) throw new Error(`${entity.name} is not searchable: it has no ${property}.`);
    return column;
  };
  const columns = (alias: string): SearchColumns => ({
    text: `${alias}."${columnOf('searchText')}"`,
    wordStarts: `${alias}."${columnOf('searchWordStarts')}"`,
  });
  // Archived records are left out, as in id order.
  const matching = { $and: [where, { archivedAt: null }, searchWhere<E>(query, columns)] } as FilterQuery<E>;
  const rank = searchRankSql(query, columns('t'));
  const ranked = em
    .createQueryBuilder<E, 't'>(entity, 't')
    .select([raw(reader.columns), raw(`${rank.sql} as search_rank`, rank.params)])
    .where(matching as never)
    .toQuery();
  const sql = `select * from (${ranked.sql}) r
    ${position ? 'where (r.search_rank, r.demo, r.id) > (?, ?, ?)' : ''}
    order by r.search_rank, r.demo, r.id limit ?`;
  const params = [...ranked.params, ...(position ? [position.rank, position.demo, position.id] : []), limit + 1];
  const rows = await em.getConnection().execute<Record<string, unknown>[]>(sql, params);
  chargeRows(em, rows.length);
  const ranks = rows.map((row) => Number(row.search_rank));
  const connection = toConnection(
    rows.map((row) => reader.read(row)),
    limit,
    () => em.count(entity, matching),
    (node, index) => encodeRelevanceCursor({ search: query.key, rank: ranks[index]!, demo: (node as { demo?: boolean }).demo === true, id: node.id }),
  );
  connection.edges.forEach((edge, index) => (edge.rank = ranks[index]!));
  return connection;
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
