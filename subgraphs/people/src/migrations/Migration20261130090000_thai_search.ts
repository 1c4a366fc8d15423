import { Migration } from '@mikro-orm/migrations';
import { fillSearchWordStarts } from '@hub/toolkit';

export class Migration20261130090000_thai_search extends Migration {

  override name = 'Migration20261130090000_thai_search';

  override async up(): Promise<void> {
    // Search folds Thai as people type it (toolkit/src/search.ts): NFC, sara am composed, ฯ and ฯลฯ dropped,
    // and a space between the two names. PostgreSQL 15 cannot change a generated column's expression, so the
    // column and its index are made again.
    await this.execute(`drop index "people"."people_organization_search_index";`);
    await this.execute(`alter table "people"."people_organization" drop column "search_text";`);
    await this.execute(`alter table "people"."people_organization" add "search_text" text generated always as (lower(regexp_replace(replace(replace(regexp_replace(normalize(coalesce("name", ''), NFC), '[็-์๎]', '', 'g'), 'ํา', 'ำ'), 'ฯลฯ', ''), '[[:space:][:punct:]ฯํ฿๏๚๛]', '', 'g')) || ' ' || lower(regexp_replace(replace(replace(regexp_replace(normalize(coalesce("name_en", ''), NFC), '[็-์๎]', '', 'g'), 'ํา', 'ำ'), 'ฯลฯ', ''), '[[:space:][:punct:]ฯํ฿๏๚๛]', '', 'g'))) stored not null;`);
    await this.execute(`create index "people_organization_search_index" on "people"."people_organization" using gin ("search_text" gin_trgm_ops);`);
    // Where words start, for relevance: PostgreSQL cannot find Thai word boundaries, so the rows already
    // there get theirs here, and every row the ORM writes gets its own as it is written.
    await this.execute(`alter table "people"."people_organization" add "search_word_starts" integer[] null;`);
    await fillSearchWordStarts((sql, params) => this.execute(sql, params), '"people"."people_organization"', ['name', 'name_en']);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "people"."people_organization" drop column "search_word_starts";`);
    this.addSql(`drop index "people"."people_organization_search_index";`);
    this.addSql(`alter table "people"."people_organization" drop column "search_text";`);
    this.addSql(`alter table "people"."people_organization" add "search_text" text generated always as (lower(regexp_replace(coalesce("name", '') || ' ' || coalesce("name_en", ''), '[[:space:][:punct:]็-๎]', '', 'g'))) stored not null;`);
    this.addSql(`create index "people_organization_search_index" on "people"."people_organization" using gin ("search_text" gin_trgm_ops);`);
  }

}
