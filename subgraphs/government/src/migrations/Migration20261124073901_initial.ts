import { Migration } from '@mikro-orm/migrations';

export class Migration20261124073901_initial extends Migration {

  override name = 'Migration20261124073901_initial';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "government";`);
    this.addSql(`create table "government"."government_centre" ("id" varchar(255) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "sources" jsonb not null default '[]', "demo" boolean not null default false, "name" text not null, "name_en" text null, "kind" text not null, "organisation_type" text not null, "province_code" varchar(5) null, "parent_id" varchar(255) null, primary key ("id"));`);
    this.addSql(`create index "government_centre_kind_index" on "government"."government_centre" ("kind");`);
    this.addSql(`create index "government_centre_province_code_index" on "government"."government_centre" ("province_code");`);
    this.addSql(`create index "government_centre_parent_id_index" on "government"."government_centre" ("parent_id");`);

    this.addSql(`create table "government"."official_order" ("id" varchar(255) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "sources" jsonb not null default '[]', "demo" boolean not null default false, "title" text not null, "title_en" text null, "issued_on" date not null, "summary" text null, "issued_by_id" varchar(255) not null, "pilot_province_count" int null, "pilot_province_codes" text[] not null default '{}', primary key ("id"));`);
    this.addSql(`create index "official_order_issued_on_index" on "government"."official_order" ("issued_on");`);
    this.addSql(`create index "official_order_issued_by_id_index" on "government"."official_order" ("issued_by_id");`);

    this.addSql(`create table "government"."province" ("code" varchar(5) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "sources" jsonb not null default '[]', "demo" boolean not null default false, "dopa_code" varchar(2) not null, "pcode" varchar(4) not null, "name_th" varchar(255) not null, "name_en" varchar(255) not null, "region" text not null, primary key ("code"));`);
    this.addSql(`alter table "government"."province" add constraint "province_dopa_code_unique" unique ("dopa_code");`);
    this.addSql(`alter table "government"."province" add constraint "province_pcode_unique" unique ("pcode");`);
    this.addSql(`create index "province_region_index" on "government"."province" ("region");`);

    this.addSql(`alter table "government"."government_centre" add constraint "government_centre_kind_check" check ("kind" in ('NATIONAL_CENTRE', 'PROVINCIAL_CENTRE', 'AGENCY', 'PUBLIC_ORGANISATION'));`);
    this.addSql(`alter table "government"."government_centre" add constraint "government_centre_organisation_type_check" check ("organisation_type" in ('GOVERNMENT', 'LOCAL_GOVERNMENT', 'OTHER_PUBLIC_SECTOR', 'NATIONAL_NGO', 'PUBLIC_PRIVATE_PARTNERSHIP', 'FOUNDATION', 'PRIVATE_SECTOR', 'ACADEMIC_TRAINING_RESEARCH', 'OTHER'));`);

    this.addSql(`alter table "government"."province" add constraint "province_region_check" check ("region" in ('NORTH', 'NORTHEAST', 'CENTRAL', 'EAST', 'WEST', 'SOUTH'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "government"."government_centre" cascade;`);
    this.addSql(`drop table if exists "government"."official_order" cascade;`);
    this.addSql(`drop table if exists "government"."province" cascade;`);

    this.addSql(`drop schema if exists "government";`);
  }

}
