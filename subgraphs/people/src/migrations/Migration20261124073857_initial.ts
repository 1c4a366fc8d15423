import { Migration } from '@mikro-orm/migrations';

export class Migration20261124073857_initial extends Migration {

  override name = 'Migration20261124073857_initial';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "people";`);
    this.addSql(`create table "people"."mandated_role" ("id" varchar(255) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "sources" jsonb not null default '[]', "demo" boolean not null default false, "applies_to" text not null, "ordinal" int not null, "title_th" text not null, "title_en" text not null, "themes" text[] not null default '{}', primary key ("id"));`);
    this.addSql(`create index "mandated_role_applies_to_index" on "people"."mandated_role" ("applies_to");`);

    this.addSql(`create table "people"."membership" ("id" varchar(255) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "sources" jsonb not null default '[]', "demo" boolean not null default false, "member_id" varchar(255) not null, "organization_id" varchar(255) not null, "role" varchar(255) not null default 'member', "start_date" date null, "end_date" date null, primary key ("id"));`);
    this.addSql(`create index "membership_member_id_index" on "people"."membership" ("member_id");`);
    this.addSql(`create index "membership_organization_id_id_index" on "people"."membership" ("organization_id", "id");`);

    this.addSql(`create table "people"."people_organization" ("id" varchar(255) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "sources" jsonb not null default '[]', "demo" boolean not null default false, "name" text not null, "name_en" text null, "kind" text not null, "organisation_type" text not null default 'NATIONAL_NGO', "status" text not null default 'ESTABLISHED', "established_on" date null, "province_code" varchar(5) null, "parent_id" varchar(255) null, primary key ("id"));`);
    this.addSql(`create index "people_organization_kind_index" on "people"."people_organization" ("kind");`);
    this.addSql(`create index "people_organization_province_code_index" on "people"."people_organization" ("province_code");`);
    this.addSql(`create index "people_organization_parent_id_index" on "people"."people_organization" ("parent_id");`);

    this.addSql(`alter table "people"."mandated_role" add constraint "mandated_role_applies_to_check" check ("applies_to" in ('NATIONAL_CENTRE', 'PROVINCIAL_CENTRE', 'COMMUNITY_NETWORK', 'COMMUNITY_ORGANISATION'));`);
    this.addSql(`alter table "people"."mandated_role" add constraint "mandated_role_themes_check" check ("themes" <@ array['PRODUCTION'::text, 'MANAGEMENT'::text, 'LAND'::text, 'BASIC_WELFARE'::text, 'SUFFICIENCY_LIVELIHOOD'::text]);`);

    this.addSql(`alter table "people"."people_organization" add constraint "people_organization_kind_check" check ("kind" in ('NATIONAL_CENTRE', 'PROVINCIAL_CENTRE', 'COMMUNITY_NETWORK', 'COMMUNITY_ORGANISATION'));`);
    this.addSql(`alter table "people"."people_organization" add constraint "people_organization_organisation_type_check" check ("organisation_type" in ('GOVERNMENT', 'LOCAL_GOVERNMENT', 'OTHER_PUBLIC_SECTOR', 'NATIONAL_NGO', 'PUBLIC_PRIVATE_PARTNERSHIP', 'FOUNDATION', 'PRIVATE_SECTOR', 'ACADEMIC_TRAINING_RESEARCH', 'OTHER'));`);
    this.addSql(`alter table "people"."people_organization" add constraint "people_organization_status_check" check ("status" in ('ESTABLISHED', 'IN_COORDINATION', 'DISSOLVED'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "people"."mandated_role" cascade;`);
    this.addSql(`drop table if exists "people"."membership" cascade;`);
    this.addSql(`drop table if exists "people"."people_organization" cascade;`);

    this.addSql(`drop schema if exists "people";`);
  }

}
