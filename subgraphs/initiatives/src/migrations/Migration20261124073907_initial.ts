import { Migration } from '@mikro-orm/migrations';

export class Migration20261124073907_initial extends Migration {

  override name = 'Migration20261124073907_initial';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "initiatives";`);
    this.addSql(`create table "initiatives"."initiative" ("id" varchar(255) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "sources" jsonb not null default '[]', "demo" boolean not null default false, "title" text not null, "title_en" text null, "description" text null, "status" text not null, "themes" text[] not null default '{}', "poverty_dimensions" text[] not null default '{}', "province_codes" text[] not null default '{}', "start_date" date null, "end_date" date null, primary key ("id"));`);
    this.addSql(`create index "initiative_status_index" on "initiatives"."initiative" ("status");`);
    this.addSql(`create index "initiative_themes_index" on "initiatives"."initiative" using gin ("themes");`);
    this.addSql(`create index "initiative_province_codes_index" on "initiatives"."initiative" using gin ("province_codes");`);

    this.addSql(`create table "initiatives"."link" ("id" varchar(255) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "sources" jsonb not null default '[]', "demo" boolean not null default false, "type" text not null, "source_id" varchar(255) not null, "target_id" varchar(255) not null, "start_date" date null, "end_date" date null, "note" text null, primary key ("id"));`);
    this.addSql(`create index "link_type_index" on "initiatives"."link" ("type");`);
    this.addSql(`create index "link_target_id_id_index" on "initiatives"."link" ("target_id", "id");`);
    this.addSql(`create index "link_source_id_id_index" on "initiatives"."link" ("source_id", "id");`);

    this.addSql(`create table "initiatives"."participation" ("id" varchar(255) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "sources" jsonb not null default '[]', "demo" boolean not null default false, "initiative_id" varchar(255) not null, "actor_id" varchar(255) not null, "sector" text not null, "role" text not null, "lead" boolean not null default false, primary key ("id"));`);
    this.addSql(`create index "participation_sector_index" on "initiatives"."participation" ("sector");`);
    this.addSql(`create index "participation_role_index" on "initiatives"."participation" ("role");`);
    this.addSql(`create index "participation_actor_id_initiative_id_index" on "initiatives"."participation" ("actor_id", "initiative_id");`);
    this.addSql(`alter table "initiatives"."participation" add constraint "participation_initiative_id_actor_id_role_unique" unique ("initiative_id", "actor_id", "role");`);

    this.addSql(`alter table "initiatives"."initiative" add constraint "initiative_status_check" check ("status" in ('PIPELINE', 'IMPLEMENTATION', 'FINALISATION', 'CLOSED', 'CANCELLED', 'SUSPENDED'));`);
    this.addSql(`alter table "initiatives"."initiative" add constraint "initiative_themes_check" check ("themes" <@ array['PRODUCTION'::text, 'MANAGEMENT'::text, 'LAND'::text, 'BASIC_WELFARE'::text, 'SUFFICIENCY_LIVELIHOOD'::text]);`);
    this.addSql(`alter table "initiatives"."initiative" add constraint "initiative_poverty_dimensions_check" check ("poverty_dimensions" <@ array['HEALTH'::text, 'LIVING'::text, 'EDUCATION'::text, 'INCOME'::text, 'PUBLIC_SERVICES'::text]);`);

    this.addSql(`alter table "initiatives"."link" add constraint "link_type_check" check ("type" in ('COORDINATION', 'MEMBERSHIP', 'FUNDING', 'COUNTERPART'));`);

    this.addSql(`alter table "initiatives"."participation" add constraint "participation_sector_check" check ("sector" in ('PEOPLE', 'GOVERNMENT', 'PRIVATE'));`);
    this.addSql(`alter table "initiatives"."participation" add constraint "participation_role_check" check ("role" in ('FUNDING', 'ACCOUNTABLE', 'EXTENDING', 'IMPLEMENTING'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "initiatives"."initiative" cascade;`);
    this.addSql(`drop table if exists "initiatives"."link" cascade;`);
    this.addSql(`drop table if exists "initiatives"."participation" cascade;`);

    this.addSql(`drop schema if exists "initiatives";`);
  }

}
