import { Migration } from '@mikro-orm/migrations';
import { auditTrailAppendOnlySql } from '@hub/toolkit';

export class Migration20261124122243_writes extends Migration {

  override name = 'Migration20261124122243_writes';

  override up(): void | Promise<void> {
    this.addSql(`create table "people"."audit_entry" ("seq" bigserial primary key, "id" text generated always as ('chg_' || lpad(seq::text, 12, '0')) stored not null, "at" timestamptz not null default now(), "action" text not null, "record_type" text not null, "record_id" text not null, "user" text not null, "agency" text not null, "role" text not null, "before" jsonb null, "after" jsonb null, "request_id" text null);`);
    this.addSql(`alter table "people"."audit_entry" add constraint "audit_entry_id_unique" unique ("id");`);
    this.addSql(`create index "audit_entry_record_id_id_index" on "people"."audit_entry" ("record_id", "id");`);

    this.addSql(`alter table "people"."mandated_role" add "version" int not null default 1, add "archived_at" timestamptz null;`);

    this.addSql(`alter table "people"."membership" add "version" int not null default 1, add "archived_at" timestamptz null;`);

    this.addSql(`alter table "people"."people_organization" add "version" int not null default 1, add "archived_at" timestamptz null, add "contact" jsonb null;`);

    this.addSql(`alter table "people"."audit_entry" add constraint "audit_entry_action_check" check ("action" in ('CREATE', 'UPDATE', 'ARCHIVE'));`);
    for (const sql of auditTrailAppendOnlySql('people')) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "people"."audit_entry" cascade;`);
    this.addSql(`drop function if exists "people".audit_entry_append_only();`);

    this.addSql(`alter table "people"."mandated_role" drop column "version", drop column "archived_at";`);

    this.addSql(`alter table "people"."membership" drop column "version", drop column "archived_at";`);

    this.addSql(`alter table "people"."people_organization" drop column "version", drop column "archived_at", drop column "contact";`);
  }

}
