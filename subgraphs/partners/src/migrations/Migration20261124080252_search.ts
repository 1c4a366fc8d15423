import { Migration } from '@mikro-orm/migrations';

export class Migration20261124080252_search extends Migration {

  override name = 'Migration20261124080252_search';

  override up(): void | Promise<void> {
    // Trigram indexes serve substring search on names (a trusted extension since PostgreSQL 13).
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`alter table "partners"."private_partner" add "search_text" text generated always as (lower(regexp_replace(coalesce("name", '') || ' ' || coalesce("name_en", ''), '[[:space:][:punct:]็-๎]', '', 'g'))) stored not null;`);
    this.addSql(`create index "private_partner_search_index" on "partners"."private_partner" using gin ("search_text" gin_trgm_ops);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "partners"."private_partner_search_index";`);
    this.addSql(`alter table "partners"."private_partner" drop column "search_text";`);
  }

}
