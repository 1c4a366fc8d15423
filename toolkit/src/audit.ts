import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Args, Ctx, Directive, Field, FieldResolver, ID, ObjectType, registerEnumType, Resolver, Root, type ClassType } from 'type-graphql';
import { DateTimeISOResolver, JSONObjectResolver } from './scalars.js';
import { requireSignedIn, type Viewer } from '@hub/server';
import { PageArgs } from './args.js';
import { Paged } from './cost.js';
import { ConnectionType, type Connection } from './paging.js';

export enum ChangeAction {
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
  ARCHIVE = 'ARCHIVE',
}
registerEnumType(ChangeAction, { name: 'ChangeAction', description: 'What a change did to its record.' });

/**
 * One change to one record, written in the same transaction as the change
 * itself, so the trail has every change that happened and none that did not.
 * Each subgraph keeps its own trail in its own schema. The API only reads it,
 * and the database refuses to update or delete it (see auditTrailAppendOnlySql).
 */
@Directive('@shareable')
@ObjectType('Change', { description: 'One change to a record: who made it, when, and the values before and after.' })
@Entity({ tableName: 'audit_entry' })
@Index({ properties: ['recordId', 'id'] })
@Index({ properties: ['xid', 'seq'] })
export class AuditEntry {
  /** Insertion order; `id` is derived from it. */
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  seq!: string;

  /**
   * Every subgraph's entry names its subgraph: with its id, record type and
   * record id it is the key the search subgraph's `Change` (the live
   * `changes`) is known by, so the gateway can ask that subgraph for a
   * history entry's `record` and `cursor`.
   */
  @Field({ description: 'The subgraph that owns the record and keeps this change in its audit trail.' })
  subgraph(@Ctx() context: { subgraph: string }): string {
    return context.subgraph;
  }

  @Field(() => ID, { description: 'Change id ("chg_" and a zero-padded number): later changes have greater ids.' })
  @Property({ type: 'text', generated: `('chg_' || lpad(seq::text, 12, '0')) stored`, unique: true })
  id!: string;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  at?: Date;

  @Field(() => ChangeAction)
  @Enum({ items: () => ChangeAction })
  action!: ChangeAction;

  @Field({ description: 'The GraphQL type of the record, e.g. "PeopleOrganization".' })
  @Property({ type: 'text' })
  recordType!: string;

  @Field(() => ID)
  @Property({ type: 'text' })
  recordId!: string;

  @Field({ description: 'The user who made the change (the subject of their token).' })
  @Property({ type: 'text' })
  user!: string;

  @Field(() => ID, { description: 'The agency the user acted for: an actor id.' })
  @Property({ type: 'text' })
  agency!: string;

  @Field({ description: 'The role the user held: viewer, editor or admin.' })
  @Property({ type: 'text' })
  role!: string;

  @Field(() => JSONObjectResolver, { nullable: true, description: 'The record before the change; null for CREATE.' })
  @Property({ type: 'json', nullable: true })
  before: Record<string, unknown> | null = null;

  @Field(() => JSONObjectResolver, { nullable: true, description: 'The record after the change.' })
  @Property({ type: 'json', nullable: true })
  after: Record<string, unknown> | null = null;

  @Field(() => String, { nullable: true, description: 'The id of the request that made the change, as in the logs.' })
  @Property({ type: 'text', nullable: true })
  requestId: string | null = null;

  /** The transaction that wrote the entry: the change feed orders entries by it (toolkit/src/change-feed.ts). */
  @Property({ type: 'string', columnType: 'xid8', defaultRaw: 'pg_current_xact_id()' })
  xid?: string;

  /** The provinces the record names before and after the change, for the change feed's province filter; the database derives them. */
  @Property({ type: 'text[]', generated: (_columns, table) => `("${table.schema}".audit_entry_province_codes(before, after)) stored` })
  provinceCodes?: string[];
}

// Every subgraph defines these alike; the directive goes on the class that names the type.
@Directive('@shareable')
@ObjectType()
export class ChangeConnection extends ConnectionType(AuditEntry, 'Change', { shareable: true }) {}

/**
 * SQL that makes a subgraph's audit trail append-only in the database itself,
 * for every client, not only the API: each subgraph's migration runs it.
 */
export function auditTrailAppendOnlySql(schema: string): string[] {
  return [
    `create or replace function "${schema}".audit_entry_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'the audit trail is append-only: % on audit_entry is not allowed', tg_op using errcode = 'insufficient_privilege';
end $$;`,
    `create trigger audit_entry_append_only before update or delete or truncate on "${schema}"."audit_entry"
  for each statement execute function "${schema}".audit_entry_append_only();`,
  ];
}

/** A record's audit trail, a page at a time, batched across records: each request's context carries one. */
export type RecordHistory = (recordId: string, page: PageArgs) => Promise<Connection<AuditEntry>>;

/**
 * Adds `history` to a record type: the record's changes, oldest first, for
 * signed-in users (the values before and after may hold contact details).
 * Nullable, as every field that needs a token is: an anonymous reader gets
 * the record with `history: null` and UNAUTHENTICATED on that field alone,
 * where a non-null field would null the whole record.
 */
export function historyResolver<T extends { id: string }>(Type: ClassType<T>) {
  @Resolver(() => Type)
  class HistoryResolver {
    @Paged()
    @FieldResolver(() => ChangeConnection, {
      nullable: true,
      description: 'Every change to this record, oldest first: who made it, when, and the values before and after. Signed-in users only: null, with UNAUTHENTICATED, without a token.',
    })
    history(@Root() record: T, @Args() page: PageArgs, @Ctx() context: { viewer: Viewer; history: RecordHistory }) {
      requireSignedIn(context.viewer, 'read the history of a record');
      return context.history(record.id, page);
    }
  }
  return HistoryResolver;
}
