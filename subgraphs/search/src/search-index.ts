import type { MikroORM } from '@mikro-orm/postgresql';
import type { ChangeAction } from '@hub/toolkit';
import { SearchEntry } from './entities/search-entry.js';
import { databaseNow, removeEntry, removeUnread, upsertEntries } from './entries.js';
import { INDEXED_TYPES, OWNER_PAGE_SIZE, type IndexedType } from './owners.js';
import { OwnerApi, ownerUrls } from './owner-api.js';

/** A change an owner announced: enough to read the record again. */
export interface ChangeNotice {
  subgraph: string;
  recordType: string;
  recordId: string;
  /** What the change did; the record is read again whatever it was. */
  action?: `${ChangeAction}`;
}

/** What applyChange did: kept or replaced the entry, removed it, or ignored a record no search finds. */
export type Applied = 'indexed' | 'removed' | 'ignored';

interface Page {
  nodes: never[];
  pageInfo?: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * The search subgraph's index of every owner's records, kept only from the
 * owners' public APIs: `reindex` pages through an owner's lists,
 * `applyChange` reads one record again when its owner says it changed.
 */
export class SearchIndex {
  readonly owners: ReadonlyMap<string, OwnerApi>;

  /** `subgraphUrls`: where the owners listen, as ownerUrls reads it. */
  constructor(
    private readonly orm: MikroORM,
    subgraphUrls: Record<string, string> = {},
  ) {
    this.owners = new Map(Object.entries(ownerUrls(subgraphUrls)).map(([subgraph, url]) => [subgraph, new OwnerApi(subgraph, url)]));
  }

  private owner(subgraph: string): OwnerApi {
    const owner = this.owners.get(subgraph);
    if (!owner) throw new Error(`the search index reads no subgraph named ${subgraph}`);
    return owner;
  }

  async isEmpty(): Promise<boolean> {
    return (await this.orm.em.fork().count(SearchEntry, {})) === 0;
  }

  /**
   * Reads every record of one owner's searchable types through its API, a
   * page of 500 and one upsert at a time, then removes the entries of each
   * type it did not read. Throws OwnerUnavailable when the owner fails; the
   * pages read until then stay. Returns how many records it read.
   */
  async reindexOwner(subgraph: string): Promise<number> {
    let read = 0;
    for (const type of INDEXED_TYPES.filter((t) => t.subgraph === subgraph)) read += await this.reindexType(type);
    return read;
  }

  private async reindexType(type: IndexedType): Promise<number> {
    const owner = this.owner(type.subgraph);
    const em = this.orm.em.fork();
    const passStarted = await databaseNow(em);
    let read = 0;
    let after: string | null = null;
    for (;;) {
      const data: { page?: Page; nodes?: never[] } = await owner.query(type.listQuery, type.paged ? { first: OWNER_PAGE_SIZE, after } : {});
      const page: Page = type.paged ? data.page! : { nodes: data.nodes! };
      await upsertEntries(em, page.nodes.map((record) => type.entry(record)));
      read += page.nodes.length;
      if (!page.pageInfo?.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    await removeUnread(em, type.subgraph, type.typeName, passStarted);
    return read;
  }

  /**
   * Whether the index holds as many live records of each of an owner's types
   * as the owner lists: a cheap check that finds records written past the
   * API (demo data loaded straight into the owner's tables) or lost entries.
   */
  async agreesWith(subgraph: string): Promise<boolean> {
    const owner = this.owner(subgraph);
    const em = this.orm.em.fork();
    for (const type of INDEXED_TYPES.filter((t) => t.subgraph === subgraph)) {
      const data: { page?: { totalCount: number }; nodes?: unknown[] } = await owner.query(type.countQuery);
      const listed = type.paged ? data.page!.totalCount : data.nodes!.length;
      const held = await em.count(SearchEntry, { subgraph, typeName: type.typeName, archivedAt: null });
      if (listed !== held) return false;
    }
    return true;
  }

  /**
   * Brings one record's entry up to date after its owner announced a change:
   * reads it again through the owner's API (whatever the change was, the
   * record as the owner now has it is what counts) and keeps, replaces or
   * removes its entry. Changes to records no search finds (memberships,
   * participations, ...) are ignored. Throws OwnerUnavailable when the owner
   * fails.
   */
  async applyChange(change: ChangeNotice): Promise<Applied> {
    const type = INDEXED_TYPES.find((t) => t.subgraph === change.subgraph && t.typeName === change.recordType);
    if (!type) return 'ignored';
    const { record } = await this.owner(type.subgraph).query<{ record: never | null }>(type.oneQuery, { id: change.recordId });
    const em = this.orm.em.fork();
    if (!record) {
      await removeEntry(em, change.recordId);
      return 'removed';
    }
    await upsertEntries(em, [type.entry(record)]);
    return 'indexed';
  }
}

/** The owners whose records the index holds, in the order a reindex reads them. */
export const INDEXED_OWNERS: readonly string[] = [...new Set(INDEXED_TYPES.map((type) => type.subgraph))];
