import { Migration } from '@mikro-orm/migrations';
import { auditTrailAppendOnlySql } from '@hub/toolkit';

export class Migration20261124122257_writes extends Migration {

  override name = 'Migration20261124122257_writes';

  override up(): void | Promise<void> {
    this.addSql(`create table "partners"."audit_entry" ("seq" bigserial primary key, "id" text generated always as ('chg_' || lpad(seq::text, 12, '0')) stored not null, "at" timestamptz not null default now(), "action" text not null, "record_type" text not null, "record_id" text not null, "user" text not null, "agency" text not null, "role" text not null, "before" jsonb null, "after" jsonb null, "request_id" text null);`);
    this.addSql(`alter table "partners"."audit_entry" add constraint "audit_entry_id_unique" unique ("id");`);
    this.addSql(`create index "audit_entry_record_id_id_index" on "partners"."audit_entry" ("record_id", "id");`);

    this.addSql(`alter table "partners"."contribution" add "version" int not null default 1, add "archived_at" timestamptz null;`);

    this.addSql(`alter table "partners"."private_partner" add "version" int not null default 1, add "archived_at" timestamptz null, add "contact" jsonb null;`);

    this.addSql(`alter table "partners"."audit_entry" add constraint "audit_entry_action_check" check ("action" in ('CREATE', 'UPDATE', 'ARCHIVE'));`);
    for (const sql of auditTrailAppendOnlySql('partners')) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "partners"."audit_entry" cascade;`);
    this.addSql(`drop function if exists "partners".audit_entry_append_only();`);

    this.addSql(`alter table "partners"."contribution" drop column "version", drop column "archived_at";`);

    this.addSql(`alter table "partners"."private_partner" drop column "version", drop column "archived_at", drop column "contact";`);
  }

}
