import { Migration } from '@mikro-orm/migrations';
import { auditTrailAppendOnlySql, changeFeedSql, searchTextSql } from '@hub/toolkit';

export class Migration20261130110000_initial extends Migration {
  override name = 'Migration20261130110000_initial';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "search";`);
    // Trigram indexes serve substring search on names (a trusted extension since PostgreSQL 13).
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`create table "search"."search_entry" ("id" text not null, "subgraph" text not null, "type_name" text not null, "name" text not null, "name_en" text null, "province_codes" text[] not null default '{}', "demo" boolean not null default false, "archived_at" timestamptz null, "version" int not null, "indexed_at" timestamptz not null default now(), "search_text" text generated always as (${searchTextSql('name', 'name_en')}) stored not null, "search_word_starts" integer[] null, primary key ("id"));`);
    this.addSql(`create index "search_entry_search_index" on "search"."search_entry" using gin ("search_text" gin_trgm_ops);`);
    this.addSql(`create index "search_entry_subgraph_type_name_indexed_at_index" on "search"."search_entry" ("subgraph", "type_name", "indexed_at");`);
    this.addSql(`create table "search"."feed_position" ("subgraph" text not null, "last_change_id" text not null, "updated_at" timestamptz not null default now(), primary key ("subgraph"));`);
    // The audit trail every subgraph keeps (toolkit/src/audit.ts), append-only, and its change feed. The
    // index writes no records through the API, so it stays empty; it is there because every subgraph serves one.
    this.addSql(`create table "search"."audit_entry" ("seq" bigserial primary key, "id" text generated always as ('chg_' || lpad(seq::text, 12, '0')) stored not null, "at" timestamptz not null default now(), "action" text not null check ("action" in ('CREATE', 'UPDATE', 'ARCHIVE')), "record_type" text not null, "record_id" text not null, "user" text not null, "agency" text not null, "role" text not null, "before" jsonb null, "after" jsonb null, "request_id" text null, constraint "audit_entry_id_unique" unique ("id"));`);
    this.addSql(`create index "audit_entry_record_id_id_index" on "search"."audit_entry" ("record_id", "id");`);
    for (const sql of auditTrailAppendOnlySql('search')) this.addSql(sql);
    for (const sql of changeFeedSql('search')) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "search"."audit_entry" cascade;`);
    this.addSql(`drop function if exists "search".audit_entry_append_only();`);
    this.addSql(`drop function if exists "search".audit_entry_notify();`);
    this.addSql(`drop function if exists "search".audit_entry_province_codes(jsonb, jsonb);`);
    this.addSql(`drop table if exists "search"."feed_position" cascade;`);
    this.addSql(`drop table if exists "search"."search_entry" cascade;`);
  }
}
