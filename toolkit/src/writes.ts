import { randomBytes } from 'node:crypto';
import {
  OptimisticLockError,
  UniqueConstraintViolationException,
  wrap,
  type EntityManager,
  type RequiredEntityData,
} from '@mikro-orm/postgresql';
import { conflict, notFound, requireActingFor, requireSignedIn, type Identity } from '@hub/server';
import { AuditEntry, ChangeAction } from './audit.js';
import type { HubEntity } from './entity.js';
import type { SubgraphContext } from './subgraph.js';

type Record = HubEntity<any> & { id: string };
type EntityClass<E> = new (...args: any[]) => E;

/** A new record id: the type's prefix and 24 random hex digits, e.g. "peo_4f1c…". */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

/**
 * Copies the fields a client sent onto a record: a field left out of an
 * update input (undefined) keeps its value, a field sent as null clears it.
 */
export function assignDefined<E extends object>(record: E, changes: object): void {
  for (const [key, value] of Object.entries(changes)) {
    if (value !== undefined) (record as { [key: string]: unknown })[key] = value;
  }
}

/** The fields a client sent, without those left out or null, so a new record's defaults apply to them. */
export function sentFields<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== null)) as Partial<T>;
}

/** Today's date, as LocalDate fields hold it ("2026-11-24"), in Thailand's time zone. */
export function today(): string {
  return new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** A record as the audit trail keeps it: its columns, without the derived search text and word starts. */
function snapshot(record: Record): { [key: string]: unknown } {
  const { searchText: _derived, searchWordStarts: _starts, ...values } = wrap(record).toPOJO() as { [key: string]: unknown };
  return JSON.parse(JSON.stringify(values));
}

interface PendingChange {
  action: ChangeAction;
  record: Record;
  before: { [key: string]: unknown } | null;
}

/**
 * The records one mutation reads and changes, inside its transaction. Every
 * change made through it is checked (the record exists, is not archived, is
 * still at the version the client read) and lands in the audit trail.
 */
export class RecordWriter {
  readonly changes: PendingChange[] = [];

  constructor(
    readonly em: EntityManager,
    readonly identity: Identity,
    /** The subgraph the change happens in: admins of it may act for anyone. */
    readonly subgraph: string,
  ) {}

  /** Creates a record; it is written when the mutation's transaction commits. */
  create<E extends Record>(entity: EntityClass<E>, data: RequiredEntityData<E>): E {
    const record = this.em.create(entity, data);
    this.changes.push({ action: ChangeAction.CREATE, record, before: null });
    return record;
  }

  /** Reads a record for a change, or refuses with NOT_FOUND naming what was missing. */
  async load<E extends Record>(entity: EntityClass<E>, id: string, what: string): Promise<E> {
    const record = await this.em.findOne(entity, { id } as never);
    if (!record) throw notFound(`No ${what} has the id "${id}".`);
    return record as E;
  }

  /**
   * Reads a record that only its owners may change (the agencies
   * `ownersOf` names, say a contribution's partner) and the subgraph's
   * admins; refuses anyone else with FORBIDDEN, naming who may `action`.
   */
  async loadOwned<E extends Record>(
    entity: EntityClass<E>,
    id: string,
    what: string,
    ownersOf: (record: E) => string | string[] | Promise<string[]>,
    action: string,
  ): Promise<E> {
    const record = await this.load(entity, id, what);
    requireActingFor(this.identity, this.subgraph, await ownersOf(record), action);
    return record;
  }

  /**
   * Applies `change` to a record read at `expectedVersion`. A record changed
   * since (its version moved on) or archived is refused with CONFLICT and left
   * as it is.
   */
  update<E extends Record>(record: E, expectedVersion: number, change: (record: E) => void): E {
    if (record.archivedAt) {
      throw conflict(`${record.id} is archived and can no longer be changed.`, { recordId: record.id });
    }
    if (record.version !== expectedVersion) {
      throw conflict(
        `${record.id} changed since you read it: it is at version ${record.version}, you read version ${expectedVersion}. Read it again and reapply your change.`,
        { recordId: record.id, currentVersion: record.version },
      );
    }
    const before = snapshot(record);
    change(record);
    this.changes.push({ action: ChangeAction.UPDATE, record, before });
    return record;
  }

  /** Brings an archived record back into use (an actor rejoining an initiative it left). */
  restore<E extends Record>(record: E, change: (record: E) => void = () => {}): E {
    const before = snapshot(record);
    record.archivedAt = null;
    change(record);
    this.changes.push({ action: ChangeAction.UPDATE, record, before });
    return record;
  }

  /** Archives a record: it stays, and everything that refers to it stays whole, but it changes no more. */
  archive<E extends Record>(record: E, expectedVersion: number): E {
    this.update(record, expectedVersion, (r) => void (r.archivedAt = new Date()));
    this.changes.at(-1)!.action = ChangeAction.ARCHIVE;
    return record;
  }
}

/**
 * Runs one mutation as one transaction: the changes it makes and their audit
 * entries land together, or nothing does. Two edits of one record from the
 * same reading cannot both land: the UPDATE checks the version in the same
 * statement (MikroORM's optimistic lock), and the loser gets CONFLICT.
 */
export async function write<T>(
  context: SubgraphContext,
  what: string,
  work: (writer: RecordWriter) => Promise<T> | T,
): Promise<T> {
  const identity = requireSignedIn(context.viewer, what);
  try {
    return await context.em.transactional(async (em) => {
      const writer = new RecordWriter(em, identity, context.subgraph);
      const result = await work(writer);
      await em.flush();
      for (const { action, record, before } of writer.changes) {
        em.create(AuditEntry, {
          action,
          recordType: record.constructor.name,
          recordId: record.id,
          user: identity.user,
          agency: identity.agency,
          role: identity.role,
          before,
          after: snapshot(record),
          requestId: context.requestId,
        } as RequiredEntityData<AuditEntry>);
      }
      await em.flush();
      return result;
    });
  } catch (error) {
    if (error instanceof OptimisticLockError) {
      throw conflict('Someone changed this record at the same moment; nothing of your change was saved. Read it again and reapply your change.');
    }
    if (error instanceof UniqueConstraintViolationException) {
      throw conflict('That record already exists; nothing was saved.');
    }
    throw error;
  }
}
