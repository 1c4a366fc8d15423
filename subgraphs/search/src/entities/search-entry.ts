import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { OptionalProps } from '@mikro-orm/core';
import { SearchWordStarts, searchTextSql } from '@hub/toolkit';

/**
 * One record of another owner, as the index knows it: what it is called, and
 * what search needs to rank it. Written only from the owner's public API
 * (reindex.ts, SearchIndex.applyChange), never from the owner's tables. Its
 * columns have the names `paginate` ranks by in every subgraph (search_text,
 * search_word_starts, demo, archived_at, id), so the index ranks as every
 * other search does.
 */
@Entity({ tableName: 'search_entry' })
@Index({ properties: ['subgraph', 'typeName', 'indexedAt'] })
export class SearchEntry {
  [OptionalProps]?: 'nameEn' | 'provinceCodes' | 'demo' | 'archivedAt' | 'indexedAt';

  /**
   * The record's id, unique across owners: an actor's starts with its
   * type's prefix (peo_, gov_, prt_), an initiative's with ini_, and a
   * province's is its ISO 3166-2:TH code.
   */
  @PrimaryKey({ type: 'text' })
  id!: string;

  /** The subgraph that owns the record. */
  @Property({ type: 'text' })
  subgraph!: string;

  /** Its GraphQL type, e.g. "PeopleOrganization". */
  @Property({ type: 'text' })
  typeName!: string;

  /** Its Thai name (an initiative's title). */
  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', nullable: true })
  nameEn: string | null = null;

  /** The provinces it names (ISO 3166-2:TH): an actor's own, an initiative's, a province itself. */
  @Property({ type: 'text[]', defaultRaw: "'{}'" })
  provinceCodes: string[] = [];

  @Property({ type: 'boolean', default: false })
  demo: boolean = false;

  /** Set when its owner archived it: archived records leave search as they leave every list. */
  @Property({ type: 'datetime', nullable: true })
  archivedAt: Date | null = null;

  /** The owner's version of the record this entry was read from: an older read never overwrites a newer one. */
  @Property({ type: 'integer' })
  version!: number;

  /** When it was last read from its owner: a reindex removes the entries of a type that its pass did not read. */
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  indexedAt: Date = new Date();

  /** name and name_en, folded for search (see searchTextSql); PostgreSQL keeps it up to date. */
  @Index({
    name: 'search_entry_search_index',
    expression: 'create index "search_entry_search_index" on "search"."search_entry" using gin ("search_text" gin_trgm_ops)',
  })
  @Property({ type: 'text', lazy: true, hidden: true, generated: `(${searchTextSql('name', 'name_en')}) stored` })
  searchText?: string;

  /** Where each word of searchText starts (see searchWordStarts): computed as entries are written. */
  @SearchWordStarts('name', 'nameEn')
  searchWordStarts?: number[] | null;
}
