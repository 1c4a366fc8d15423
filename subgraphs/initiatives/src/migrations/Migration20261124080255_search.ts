import { Migration } from '@mikro-orm/migrations';

export class Migration20261124080255_search extends Migration {

  override name = 'Migration20261124080255_search';

  override up(): void | Promise<void> {
    // Trigram indexes serve substring search on names (a trusted extension since PostgreSQL 13).
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`alter table "initiatives"."initiative" add "search_text" text generated always as (lower(regexp_replace(coalesce("title", '') || ' ' || coalesce("title_en", ''), '[[:space:][:punct:]็-๎]', '', 'g'))) stored not null;`);
    this.addSql(`create index "initiative_search_index" on "initiatives"."initiative" using gin ("search_text" gin_trgm_ops);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "initiatives"."initiative_search_index";`);
    this.addSql(`alter table "initiatives"."initiative" drop column "search_text";`);
  }

}
