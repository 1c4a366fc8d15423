import { Migration } from '@mikro-orm/migrations';

export class Migration20261124080245_search extends Migration {

  override name = 'Migration20261124080245_search';

  override up(): void | Promise<void> {
    // Trigram indexes serve substring search on names (a trusted extension since PostgreSQL 13).
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`alter table "people"."people_organization" add "search_text" text generated always as (lower(regexp_replace(coalesce("name", '') || ' ' || coalesce("name_en", ''), '[[:space:][:punct:]็-๎]', '', 'g'))) stored not null;`);
    this.addSql(`create index "people_organization_search_index" on "people"."people_organization" using gin ("search_text" gin_trgm_ops);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "people"."people_organization_search_index";`);
    this.addSql(`alter table "people"."people_organization" drop column "search_text";`);
  }

}
