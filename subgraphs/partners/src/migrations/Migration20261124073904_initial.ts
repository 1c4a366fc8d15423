import { Migration } from '@mikro-orm/migrations';

export class Migration20261124073904_initial extends Migration {

  override name = 'Migration20261124073904_initial';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "partners";`);
    this.addSql(`create table "partners"."contribution" ("id" varchar(255) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "sources" jsonb not null default '[]', "demo" boolean not null default false, "partner_id" varchar(255) not null, "initiative_id" varchar(255) null, "kind" text not null, "description" text not null, "amount_thb" double precision null, "start_date" date null, primary key ("id"));`);
    this.addSql(`create index "contribution_initiative_id_index" on "partners"."contribution" ("initiative_id");`);
    this.addSql(`create index "contribution_partner_id_id_index" on "partners"."contribution" ("partner_id", "id");`);

    this.addSql(`create table "partners"."private_partner" ("id" varchar(255) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "sources" jsonb not null default '[]', "demo" boolean not null default false, "name" text not null, "name_en" text null, "kind" text not null, "organisation_type" text not null default 'PRIVATE_SECTOR', "website" text null, "province_code" varchar(5) null, primary key ("id"));`);
    this.addSql(`create index "private_partner_kind_index" on "partners"."private_partner" ("kind");`);
    this.addSql(`create index "private_partner_province_code_index" on "partners"."private_partner" ("province_code");`);

    this.addSql(`alter table "partners"."contribution" add constraint "contribution_kind_check" check ("kind" in ('FUNDING', 'IN_KIND', 'EXPERTISE', 'MARKET_ACCESS', 'VOLUNTEERING'));`);

    this.addSql(`alter table "partners"."private_partner" add constraint "private_partner_kind_check" check ("kind" in ('COMPANY', 'FOUNDATION', 'FINANCIAL_INSTITUTION', 'SOCIAL_ENTERPRISE'));`);
    this.addSql(`alter table "partners"."private_partner" add constraint "private_partner_organisation_type_check" check ("organisation_type" in ('GOVERNMENT', 'LOCAL_GOVERNMENT', 'OTHER_PUBLIC_SECTOR', 'NATIONAL_NGO', 'PUBLIC_PRIVATE_PARTNERSHIP', 'FOUNDATION', 'PRIVATE_SECTOR', 'ACADEMIC_TRAINING_RESEARCH', 'OTHER'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "partners"."contribution" cascade;`);
    this.addSql(`drop table if exists "partners"."private_partner" cascade;`);

    this.addSql(`drop schema if exists "partners";`);
  }

}
