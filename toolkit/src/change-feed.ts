import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { GraphQLError } from 'graphql';
import { badUserInput, ErrorCode, logger } from '@hub/server';
import type { ChangeAction } from './audit.js';

/**
 * Every subgraph's audit trail is also its change feed. An entry announces
 * itself on commit (a trigger calls pg_notify in the writing transaction, so
 * a rolled-back change announces nothing), and one listener per subgraph
 * process reads the committed entries from the table and hands them to every
 * subscriber of that process.
 *
 * Order. `seq` is taken when a row is inserted, so two transactions can commit
 * out of `seq` order: a reader at seq 11 would skip a 10 that commits later.
 * The feed therefore hands out an entry only once the transaction that wrote
 * it is older than every transaction still running (its `xid` is below the
 * snapshot's xmin, the outbox pattern), and orders entries by (xid, seq).
 * Every entry that becomes visible later then sorts after every entry handed
 * out already, so a reader that resumes after the last entry it saw misses
 * none.
 */

/** The NOTIFY channel of a subgraph's feed: one per subgraph schema (and NOTIFY is per database). */
export function changeChannel(schema: string): string {
  return `${schema}_changes`;
}

/**
 * SQL a subgraph's migration runs to give its audit trail a feed: the writing
 * transaction's id on every entry (for the order above), the provinces the
 * record names, and the trigger that announces each entry on commit.
 */
export function changeFeedSql(schema: string): string[] {
  const table = `"${schema}"."audit_entry"`;
  return [
    // Entries written before the feed existed share the migration's transaction id: they sort by seq among themselves.
    `alter table ${table} add "xid" xid8 not null default pg_current_xact_id();`,
    `create index "audit_entry_xid_seq_index" on ${table} ("xid", "seq");`,
    // A province filter must be cheap, so each entry keeps the provinces its record names before and after the
    // change (`provinceCode`, or `provinceCodes` for records in several): computed from the snapshots by the
    // database, for past entries as for new ones, by the one rule below.
    `create or replace function "${schema}".audit_entry_province_codes(before jsonb, after jsonb) returns text[]
  language sql immutable parallel safe as $$
  select coalesce(array_agg(distinct code order by code), '{}')
  from (values (before), (after)) as snapshot(record),
    lateral (
      select snapshot.record ->> 'provinceCode' as code
      union all
      select jsonb_array_elements_text(case when jsonb_typeof(snapshot.record -> 'provinceCodes') = 'array' then snapshot.record -> 'provinceCodes' else '[]' end)
    ) as codes
  where code is not null
$$;`,
    `alter table ${table} add "province_codes" text[] generated always as ("${schema}".audit_entry_province_codes("before", "after")) stored not null;`,
    // Ids only, never the values before and after: a payload must stay under 8000 bytes, and readers read the row anyway.
    `create or replace function "${schema}".audit_entry_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('${changeChannel(schema)}', json_build_object('seq', new.seq, 'recordType', new.record_type, 'recordId', new.record_id, 'action', new.action)::text);
  return null;
end $$;`,
    `create trigger audit_entry_notify after insert on ${table} for each row execute function "${schema}".audit_entry_notify();`,
  ];
}

/** Undoes changeFeedSql. */
export function dropChangeFeedSql(schema: string): string[] {
  const table = `"${schema}"."audit_entry"`;
  return [
    `drop trigger if exists audit_entry_notify on ${table};`,
    `drop function if exists "${schema}".audit_entry_notify();`,
    `alter table ${table} drop column if exists "province_codes", drop column if exists "xid";`,
    `drop function if exists "${schema}".audit_entry_province_codes(jsonb, jsonb);`,
  ];
}

/** One committed change as the feed hands it out: the audit entry, and where it sits in the feed's order. */
export interface FeedEntry {
  id: string;
  at: Date;
  action: ChangeAction;
  recordType: string;
  recordId: string;
  provinceCodes: string[];
  user: string;
  agency: string;
  role: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
  position: Position;
}

/** Where an entry sits in the feed: its transaction, then its seq. */
export interface Position {
  xid: bigint;
  seq: bigint;
}

function compare(a: Position, b: Position): number {
  if (a.xid !== b.xid) return a.xid < b.xid ? -1 : 1;
  return a.seq === b.seq ? 0 : a.seq < b.seq ? -1 : 1;
}

/** Before every entry: where `after: "chg_000000000000"` starts. */
const BEGINNING: Position = { xid: 0n, seq: 0n };
const FIRST_ID = 'chg_000000000000';
const CHANGE_ID = /^chg_(\d{1,18})$/;
const PROVINCE_CODE = /^[A-Z]{2}-[0-9A-Z]{1,3}$/;

/** The last event of a feed that the subgraph ended, carrying the reason to the subscriber. */
export class FeedEnded {
  constructor(readonly error: GraphQLError) {}
}

/** What a subscriber asks of the feed. */
export interface FeedRequest {
  /** Replay every committed change after this change id, then go live. */
  after?: string | null;
  /** Only changes to records of these types (their GraphQL type names). */
  recordTypes?: string[] | null;
  /** Only changes to records that name this province (ISO 3166-2:TH), before or after the change. */
  provinceCode?: string | null;
  /**
   * Resolves when the subscriber's connection has room for more: the feed
   * reads the trail no faster than the subscriber takes it in.
   */
  writable?: () => Promise<void>;
}

export interface ChangeFeedLimits {
  /**
   * How many live changes a subscriber may fall behind (its connection full,
   * changes waiting) before it is cut off with SLOW_CONSUMER.
   */
  maxBehind: number;
  /** How often the feed reads the trail where LISTEN/NOTIFY does not reach it (the embedded database). */
  pollIntervalMs: number;
}

export const DEFAULT_FEED_MAX_BEHIND = 1_000;
const DEFAULT_POLL_INTERVAL_MS = 250;
/** Entries read per statement, for live reading and for replays. */
const PAGE_SIZE = 200;
/** How long the listener waits for its own probe before it concludes NOTIFY does not reach it. */
const PROBE_TIMEOUT_MS = 2_000;
/** The listener's connection attempts give up after this, so a database that does not answer delays nothing for long. */
const CONNECT_TIMEOUT_MS = 5_000;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 30_000;
/** How soon to read again while committed entries wait behind an older transaction still running. */
const HELD_RETRY_MIN_MS = 25;
const HELD_RETRY_MAX_MS = 1_000;

export interface ChangeFeedOptions {
  /** The subgraph's name: its database schema and its NOTIFY channel. */
  schema: string;
  /** The listener's own connection goes here, never through the ORM's pool (a pooled connection loses its LISTEN). */
  databaseUrl: string;
  /** Runs a statement on the subgraph's pool: the feed's reads go through it. */
  execute: (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;
  /** The record types the trail holds (GraphQL type names): a filter naming another is refused. */
  recordTypes: string[];
  limits?: Partial<ChangeFeedLimits>;
}

/**
 * A subgraph's change feed: one LISTEN connection, reconnecting with backoff
 * and catching up from the trail each time it is back; one reader that reads
 * each committed entry once and hands it to every subscriber in the process.
 */
export class ChangeFeed {
  private readonly recordTypes: ReadonlySet<string>;
  private readonly limits: ChangeFeedLimits;
  private readonly table: string;
  private readonly log;
  private readonly subscribers = new Set<Subscriber>();
  /** The last entry handed to live subscribers; undefined while nobody listens, so it is read afresh when someone does. */
  private head: Position | undefined;
  /** Reads of the trail run one at a time, in order. */
  private chain: Promise<unknown> = Promise.resolve();
  private readQueued = false;
  /** Whether NOTIFY has been seen to reach the listener; until then (and on the embedded database, always) the feed polls. */
  private notified = false;
  private probe: string | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay = HELD_RETRY_MIN_MS;
  private listener: pg.Client | undefined;
  private listening: Promise<void> | undefined;
  private closed = false;
  private wakeListener: (() => void) | undefined;
  private failing = false;

  constructor(private readonly options: ChangeFeedOptions) {
    this.recordTypes = new Set(options.recordTypes);
    this.limits = { maxBehind: DEFAULT_FEED_MAX_BEHIND, pollIntervalMs: DEFAULT_POLL_INTERVAL_MS, ...options.limits };
    this.table = `"${options.schema}"."audit_entry"`;
    this.log = logger.child({ part: options.schema, feed: changeChannel(options.schema) });
  }

  /** Starts listening; subscribers are served from now on, by polling until NOTIFY proves to work. */
  start(): void {
    this.startPolling();
    this.listening = this.listen();
  }

  /**
   * The id of the last change every reader can see: subscribe with it as
   * `after` to get exactly what commits from now on, after reading the
   * records some other way. "chg_000000000000" while the trail is empty.
   */
  async latestId(): Promise<string> {
    const [row] = await this.options.execute(
      `select id from ${this.table} where xid < pg_snapshot_xmin(pg_current_snapshot()) order by xid desc, seq desc limit 1`,
      [],
    );
    return (row?.id as string | undefined) ?? FIRST_ID;
  }

  /**
   * A subscription: the committed changes after `after` (or from now), read
   * from the trail, then each change as it commits, each exactly once.
   * Refuses a bad request with BAD_USER_INPUT.
   */
  async subscribe(request: FeedRequest): Promise<AsyncIterableIterator<FeedEntry | FeedEnded>> {
    const filter = this.filterOf(request);
    const after = request.after == null ? undefined : seqOf(request.after);
    if (this.closed) throw new GraphQLError('This subgraph is shutting down; subscribe again shortly.', { extensions: { code: 'SHUTTING_DOWN' } });
    const subscriber = new Subscriber(this, filter, this.limits.maxBehind, request.writable);
    // Registered before its start is read, so nothing handed out meanwhile passes it by.
    this.subscribers.add(subscriber);
    try {
      const head = await this.serially(async () => (this.head ??= await this.latestPosition()));
      subscriber.start(after === undefined ? head : await this.positionOf(after, request.after!));
    } catch (error) {
      this.subscribers.delete(subscriber);
      throw error;
    }
    return subscriber;
  }

  /** Ends every subscription (each completes), then stops listening. */
  async close(): Promise<void> {
    this.closed = true;
    for (const subscriber of this.subscribers) subscriber.end();
    this.subscribers.clear();
    clearInterval(this.pollTimer);
    clearTimeout(this.retryTimer);
    this.wakeListener?.();
    await this.listening;
    await this.chain;
  }

  /** Reads the trail after `position`: up to a page of entries every reader can see, in feed order. */
  async read(position: Position): Promise<{ entries: FeedEntry[]; held: boolean }> {
    // One statement, so the rows and the horizon come from one snapshot. `held` says whether committed
    // entries wait behind an older transaction: they are read again shortly, as no NOTIFY may come for them.
    const rows = await this.options.execute(
      `select e.seq::text as seq, e.xid::text as xid, e.id, to_json(e.at) #>> '{}' as at, e.action, e.record_type, e.record_id, e.province_codes,
          e."user", e.agency, e.role, e.before, e.after, e.request_id,
          exists (select 1 from ${this.table} where xid >= h.xmin) as held
        from (select pg_snapshot_xmin(pg_current_snapshot()) as xmin) h
        left join lateral (
          select * from ${this.table}
          where (xid, seq) > (?::xid8, ?::bigint) and xid < h.xmin
          order by xid, seq limit ?
        ) e on true
        order by e.xid, e.seq`,
      [String(position.xid), String(position.seq), PAGE_SIZE],
    );
    const held = rows[0]?.held === true;
    return { entries: rows.filter((row) => row.seq !== null).map(entryOf), held };
  }

  /** A subscriber stopped: it is no longer handed anything. */
  remove(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
  }

  private filterOf(request: FeedRequest): (entry: FeedEntry) => boolean {
    const types = request.recordTypes ?? undefined;
    const unknown = types?.filter((type) => !this.recordTypes.has(type)) ?? [];
    if (unknown.length > 0) {
      throw badUserInput(
        `No records of type ${unknown.map((t) => JSON.stringify(t)).join(', ')} change in the ${this.options.schema} subgraph; its record types are ${[...this.recordTypes].join(', ')}.`,
        { argument: 'recordTypes' },
      );
    }
    const province = request.provinceCode ?? undefined;
    if (province !== undefined && !PROVINCE_CODE.test(province)) {
      throw badUserInput(`provinceCode must be an ISO 3166-2 code such as "TH-80"; got ${JSON.stringify(province.slice(0, 40))}.`, { argument: 'provinceCode' });
    }
    const typeSet = types && new Set(types);
    return (entry) => (!typeSet || typeSet.has(entry.recordType)) && (province === undefined || entry.provinceCodes.includes(province));
  }

  /** Where the last entry every reader can see sits; the beginning while there is none. */
  private async latestPosition(): Promise<Position> {
    const [row] = await this.options.execute(
      `select seq::text as seq, xid::text as xid from ${this.table}
        where xid < pg_snapshot_xmin(pg_current_snapshot()) order by xid desc, seq desc limit 1`,
      [],
    );
    return row ? positionOf(row) : BEGINNING;
  }

  /**
   * Where the change `seq` sits. An id the feed handed out always sits below
   * the horizon; one read elsewhere (a record's history) may not yet, and an
   * older transaction may still commit before it: such a resume starts from
   * the horizon instead, so nothing is lost (a change may come twice).
   */
  private async positionOf(seq: bigint, given: string): Promise<Position> {
    if (seq === 0n) return BEGINNING;
    const [row] = await this.options.execute(
      `select e.seq::text as seq, e.xid::text as xid, e.xid >= h.xmin as held
        from (select pg_snapshot_xmin(pg_current_snapshot()) as xmin) h join ${this.table} e on e.seq = ?`,
      [String(seq)],
    );
    if (!row) {
      throw badUserInput(
        `The ${this.options.schema} subgraph has no change ${JSON.stringify(given)}: resume after the id of an event this feed sent, or "${FIRST_ID}" for the whole trail.`,
        { argument: 'after' },
      );
    }
    return row.held === true ? this.latestPosition() : positionOf(row);
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Something may have committed: read the trail (once, however many wake-ups arrive meanwhile). */
  private wake = (): void => {
    if (this.readQueued || this.closed) return;
    this.readQueued = true;
    void this.serially(async () => {
      this.readQueued = false;
      await this.readLive();
    });
  };

  /** Hands every entry committed since the head to every subscriber, in feed order. */
  private async readLive(): Promise<void> {
    if (this.subscribers.size === 0) {
      // Nobody to hand anything to: the head is read afresh when someone subscribes.
      this.head = undefined;
      return;
    }
    try {
      this.head ??= await this.latestPosition();
      for (;;) {
        const { entries, held } = await this.read(this.head);
        for (const entry of entries) {
          this.head = entry.position;
          for (const subscriber of this.subscribers) subscriber.offer(entry);
        }
        if (entries.length === PAGE_SIZE) continue;
        if (held) this.retrySoon();
        else this.retryDelay = HELD_RETRY_MIN_MS;
        break;
      }
      if (this.failing) this.log.info('reading the audit trail again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.log.error({ err: error }, 'cannot read the audit trail; retrying');
      this.failing = true;
      this.retrySoon();
    }
  }

  private retrySoon(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(this.wake, this.retryDelay).unref();
    this.retryDelay = Math.min(this.retryDelay * 2, HELD_RETRY_MAX_MS);
  }

  private startPolling(): void {
    if (this.pollTimer || this.closed) return;
    this.pollTimer = setInterval(this.wake, this.limits.pollIntervalMs);
    this.pollTimer.unref();
  }

  private stopPolling(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  /** The listener: connects, LISTENs, catches up, and does it again with backoff whenever the connection fails. */
  private async listen(): Promise<void> {
    for (let delay = RECONNECT_MIN_MS; !this.closed; delay = Math.min(delay * 2, RECONNECT_MAX_MS)) {
      const client = new pg.Client({
        connectionString: this.options.databaseUrl,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        keepAlive: true,
        application_name: `${this.options.schema} change feed`,
      });
      const lost = new Promise<unknown>((resolve) => {
        client.on('error', resolve);
        client.once('end', () => resolve(new Error('the connection ended')));
        this.wakeListener = () => resolve(undefined);
      });
      try {
        await client.connect();
        client.on('notification', (message) => this.onNotification(message.payload));
        await client.query(`listen "${changeChannel(this.options.schema)}"`);
        this.listener = client;
        delay = RECONNECT_MIN_MS;
        void this.sendProbe();
        // Whatever committed while nobody listened.
        this.wake();
        const reason = await lost;
        if (reason && !this.closed) this.log.warn({ err: reason }, 'change feed listener lost its connection; reconnecting');
      } catch (error) {
        if (!this.closed) this.log.warn({ err: error }, 'change feed listener cannot connect; retrying');
      } finally {
        this.listener = undefined;
        this.notified = false;
        await client.end().catch(() => undefined);
      }
      if (this.closed) return;
      this.startPolling();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wakeListener = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /**
   * NOTIFY sent from another connection must reach the listener before the
   * feed relies on it. On the embedded database (PGlite behind
   * pglite-socket) every connection shares one session, and a notification
   * comes back on the connection that committed it, never on the listener's:
   * there the probe never arrives, and the feed keeps polling.
   */
  private async sendProbe(): Promise<void> {
    const probe = (this.probe = randomUUID());
    const sender = new pg.Client({
      connectionString: this.options.databaseUrl,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: `${this.options.schema} change feed probe`,
    });
    sender.on('error', () => undefined);
    try {
      await sender.connect();
      await sender.query('select pg_notify($1, $2)', [changeChannel(this.options.schema), JSON.stringify({ probe })]);
    } catch {
      // The listener's own failure, if any, reconnects it; until then the feed polls.
    } finally {
      await sender.end().catch(() => undefined);
    }
    setTimeout(() => {
      if (!this.notified && this.probe === probe && this.listener && !this.closed) {
        this.log.info(`NOTIFY does not reach the listener on this database; polling every ${this.limits.pollIntervalMs} ms instead`);
      }
    }, PROBE_TIMEOUT_MS).unref();
  }

  private onNotification(payload: string | undefined): void {
    if (payload && this.probe && payload.includes(this.probe)) {
      this.notified = true;
      this.stopPolling();
      return;
    }
    this.wake();
  }
}

function seqOf(id: string): bigint {
  const match = CHANGE_ID.exec(id);
  if (!match) {
    throw badUserInput(`after must be a change id such as "chg_000000000042"; got ${JSON.stringify(id.slice(0, 40))}.`, { argument: 'after' });
  }
  return BigInt(match[1]!);
}

function positionOf(row: Record<string, unknown>): Position {
  return { xid: BigInt(row.xid as string), seq: BigInt(row.seq as string) };
}

function entryOf(row: Record<string, unknown>): FeedEntry {
  return {
    id: row.id as string,
    at: new Date(row.at as string),
    action: row.action as ChangeAction,
    recordType: row.record_type as string,
    recordId: row.record_id as string,
    provinceCodes: row.province_codes as string[],
    user: row.user as string,
    agency: row.agency as string,
    role: row.role as string,
    before: row.before as Record<string, unknown> | null,
    after: row.after as Record<string, unknown> | null,
    requestId: row.request_id as string | null,
    position: positionOf(row),
  };
}

/**
 * One subscription. It replays the trail page by page as its consumer takes
 * the entries, keeping aside what the live reader hands it meanwhile; then it
 * takes live entries. Its cursor drops anything at or before the last entry
 * it passed on, so the seam between replay and live repeats nothing.
 */
class Subscriber implements AsyncIterableIterator<FeedEntry | FeedEnded> {
  private cursor: Position = BEGINNING;
  private readonly queue: (FeedEntry | FeedEnded)[] = [];
  /** Live entries that arrived during the replay; undefined once live. */
  private aside: FeedEntry[] | undefined = [];
  /** More arrived during the replay than may wait: they are read from the trail instead. */
  private overflowed = false;
  /** Set once the subscription is ending (a reason may still be on its way) or ended. */
  private stopping = false;
  private ended = false;
  /** Resolves when the subscription starts ending, so a consumer waiting for room stops waiting. */
  private readonly stopped: Promise<void>;
  private stop!: () => void;
  private arrived: (() => void) | undefined;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly matches: (entry: FeedEntry) => boolean,
    private readonly maxBehind: number,
    private readonly writable: (() => Promise<void>) | undefined,
  ) {
    this.stopped = new Promise<void>((resolve) => (this.stop = resolve));
  }

  start(position: Position): void {
    this.cursor = position;
  }

  /** A live entry. */
  offer(entry: FeedEntry): void {
    if (this.stopping) return;
    if (this.aside) {
      if (this.aside.length < this.maxBehind) this.aside.push(entry);
      else {
        this.aside = [];
        this.overflowed = true;
      }
      return;
    }
    this.accept(entry);
    if (this.queue.length > this.maxBehind) {
      this.fail(
        new GraphQLError(
          `This feed fell more than ${this.maxBehind} changes behind: its connection is not reading fast enough. Subscribe again with after: the id of the last change received.`,
          { extensions: { code: 'SLOW_CONSUMER' } },
        ),
      );
    }
    this.arrived?.();
  }

  /** Ends the subscription, completing it. */
  end(): void {
    if (this.ended) return;
    this.ended = this.stopping = true;
    this.queue.length = 0;
    this.feed.remove(this);
    this.stop();
    this.arrived?.();
  }

  async next(): Promise<IteratorResult<FeedEntry | FeedEnded>> {
    for (;;) {
      if (this.ended) return { value: undefined, done: true };
      if (this.queue.length > 0) {
        if (this.writable && !this.stopping) await Promise.race([this.writable(), this.stopped]);
        const value = this.queue.shift();
        if (value instanceof FeedEnded) this.end();
        if (value !== undefined) return { value, done: false };
        continue;
      }
      if (this.aside) await this.replayPage();
      else await new Promise<void>((resolve) => (this.arrived = resolve));
    }
  }

  async return(): Promise<IteratorResult<FeedEntry | FeedEnded>> {
    this.end();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private accept(entry: FeedEntry): void {
    if (compare(entry.position, this.cursor) <= 0) return;
    this.cursor = entry.position;
    if (this.matches(entry)) this.queue.push(entry);
  }

  private async replayPage(): Promise<void> {
    let entries: FeedEntry[];
    try {
      ({ entries } = await this.feed.read(this.cursor));
    } catch {
      this.fail(
        new GraphQLError('The database behind this feed is unavailable; subscribe again shortly with after: the id of the last change received.', {
          extensions: { code: ErrorCode.DATABASE_UNAVAILABLE },
        }),
      );
      return;
    }
    if (this.stopping) return;
    for (const entry of entries) this.accept(entry);
    // A short page reached the end of what every reader can see: from here on, live entries.
    if (entries.length < PAGE_SIZE) {
      if (this.overflowed) {
        this.overflowed = false;
        return;
      }
      const aside = this.aside ?? [];
      this.aside = undefined;
      for (const entry of aside) this.accept(entry);
    }
  }

  /** Ends the subscription with a reason, sent as its last event even to a consumer whose connection is full. */
  private fail(error: GraphQLError): void {
    if (this.stopping) return;
    this.stopping = true;
    this.queue.length = 0;
    this.queue.push(new FeedEnded(error));
    this.aside = undefined;
    this.feed.remove(this);
    this.stop();
    this.arrived?.();
  }
}
