import { Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { badUserInput } from './errors.js';
import { pageSize } from './loaders.js';

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
  pageInfo: PageInfo;
  totalCount: number;
}

/** A Relay connection type for `Node`, named `<name>Connection` with edges `<name>Edge`. */
export function ConnectionType<T extends object>(Node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field({ description: 'Opaque position of this edge, for `after`.' })
    cursor!: string;

    @Field(() => Node)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} records, in a stable order.` })
  class ConnectionClass {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

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
  if (!decoded.startsWith(CURSOR_PREFIX) || decoded.length === CURSOR_PREFIX.length) {
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
  args: { first?: number | null; after?: string | null },
): Promise<Connection<E>> {
  const limit = pageSize(args.first);
  const after = args.after ? decodeCursor(args.after) : undefined;
  const pageWhere = (after ? { $and: [where, { id: { $gt: after } }] } : where) as FilterQuery<E>;
  const [rows, totalCount] = await Promise.all([
    em.find(entity, pageWhere, { orderBy: { id: 'asc' } as any, limit: limit + 1 }),
    em.count(entity, where),
  ]);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    edges: page.map((node) => ({ cursor: encodeCursor(node.id), node })),
    pageInfo: { hasNextPage: rows.length > limit, endCursor: last ? encodeCursor(last.id) : null },
    totalCount,
  };
}
