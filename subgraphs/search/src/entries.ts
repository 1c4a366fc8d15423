import type { EntityManager } from '@mikro-orm/postgresql';
import { searchWordStarts, tableOf } from '@hub/toolkit';
import { SearchEntry } from './entities/search-entry.js';

/** What the index keeps of one record, as read from its owner. */
export interface EntryFields {
  id: string;
  subgraph: string;
  typeName: string;
  name: string;
  nameEn: string | null;
  provinceCodes: string[];
  demo: boolean;
  archivedAt: Date | null;
  version: number;
}

/**
 * Writes entries in one statement, whatever their number (a page of 500 at a
 * time when reindexing): new ones are inserted, known ones replaced, except
 * by an older version of the record than the index holds (a page read
 * before a change that the feed has applied since). Every entry written is
 * stamped with the time, which tells a reindex what it has read.
 */
export async function upsertEntries(em: EntityManager, entries: EntryFields[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((entry) => ({
    id: entry.id,
    subgraph: entry.subgraph,
    type_name: entry.typeName,
    name: entry.name,
    name_en: entry.nameEn,
    province_codes: entry.provinceCodes,
    demo: entry.demo,
    archived_at: entry.archivedAt?.toISOString() ?? null,
    version: entry.version,
    // What the ORM derives when it writes a searchable record (SearchWordStarts), derived here alike.
    search_word_starts: searchWordStarts(entry.name, entry.nameEn),
  }));
  const columns = ['subgraph', 'type_name', 'name', 'name_en', 'province_codes', 'demo', 'archived_at', 'version', 'search_word_starts'];
  await em.getConnection().execute(
    `insert into ${tableOf(em, SearchEntry)} as e (id, ${columns.join(', ')}, indexed_at)
      select r.id, ${columns.map((c) => `r.${c}`).join(', ')}, clock_timestamp()
      from json_to_recordset(?::json) as r(id text, subgraph text, type_name text, name text, name_en text, province_codes text[],
        demo boolean, archived_at timestamptz, version integer, search_word_starts integer[])
      on conflict (id) do update set ${[...columns, 'indexed_at'].map((c) => `${c} = excluded.${c}`).join(', ')}
      where e.version <= excluded.version`,
    [JSON.stringify(rows)],
    'run',
  );
}

/** Forgets a record its owner no longer has. */
export async function removeEntry(em: EntityManager, id: string): Promise<void> {
  await em.getConnection().execute(`delete from ${tableOf(em, SearchEntry)} where id = ?`, [id], 'run');
}

/** The database's clock now: what a reindex pass compares its entries' stamps with. */
export async function databaseNow(em: EntityManager): Promise<Date> {
  const [row] = await em.getConnection().execute<{ now: Date }[]>('select clock_timestamp() as now');
  return new Date(row!.now);
}

/**
 * After a pass that read every record of a type from its owner: removes the
 * entries of that type it did not read (written before the pass began),
 * records the owner no longer lists. Returns how many.
 */
export async function removeUnread(em: EntityManager, subgraph: string, typeName: string, passStarted: Date): Promise<number> {
  const result = await em
    .getConnection()
    .execute<{ affectedRows?: number }>(
      `delete from ${tableOf(em, SearchEntry)} where subgraph = ? and type_name = ? and indexed_at < ?`,
      [subgraph, typeName, passStarted],
      'run',
    );
  return result.affectedRows ?? 0;
}
