import { Migration } from '@mikro-orm/migrations';
import { auditTrailAppendOnlySql } from '@hub/toolkit';

export class Migration20261124122256_writes extends Migration {

  override name = 'Migration20261124122256_writes';

  override up(): void | Promise<void> {
    this.addSql(`create table "government"."audit_entry" ("seq" bigserial primary key, "id" text generated always as ('chg_' || lpad(seq::text, 12, '0')) stored not null, "at" timestamptz not null default now(), "action" text not null, "record_type" text not null, "record_id" text not null, "user" text not null, "agency" text not null, "role" text not null, "before" jsonb null, "after" jsonb null, "request_id" text null);`);
    this.addSql(`alter table "government"."audit_entry" add constraint "audit_entry_id_unique" unique ("id");`);
    this.addSql(`create index "audit_entry_record_id_id_index" on "government"."audit_entry" ("record_id", "id");`);

    this.addSql(`alter table "government"."government_centre" add "version" int not null default 1, add "archived_at" timestamptz null, add "contact" jsonb null;`);

    this.addSql(`alter table "government"."official_order" add "version" int not null default 1, add "archived_at" timestamptz null;`);

    this.addSql(`alter table "government"."province" add "version" int not null default 1, add "archived_at" timestamptz null;`);

    this.addSql(`alter table "government"."audit_entry" add constraint "audit_entry_action_check" check ("action" in ('CREATE', 'UPDATE', 'ARCHIVE'));`);
    for (const sql of auditTrailAppendOnlySql('government')) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "government"."audit_entry" cascade;`);
    this.addSql(`drop function if exists "government".audit_entry_append_only();`);

    this.addSql(`alter table "government"."government_centre" drop column "version", drop column "archived_at", drop column "contact";`);

    this.addSql(`alter table "government"."official_order" drop column "version", drop column "archived_at";`);

    this.addSql(`alter table "government"."province" drop column "version", drop column "archived_at";`);
  }

}
