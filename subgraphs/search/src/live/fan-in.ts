import { GraphQLError } from 'graphql';
import { logger } from '@hub/server';
import type { ChangeAction } from '@hub/toolkit';
import { followFeed, latestChangeId, type FeedChange } from '../follow.js';
import { OwnerApi, ownerUrls } from '../owner-api.js';
import { INDEXED_OWNERS } from '../search-index.js';
import { encodeCursor, type Positions } from './cursor.js';

/*
 * The fan-in behind the public `Subscription.changes`: the four owners'
 * change feeds merged into one stream per subscriber.
 *
 * - One upstream stream per owner, shared by every subscriber, opened when
 *   the first one subscribes and followed (reconnecting from the last change
 *   it saw) until the subgraph stops.
 * - A subscriber that resumes from a cursor older than the shared stream
 *   replays the gap on a stream of its own, from its own position, and
 *   joins the shared one as soon as the replay reaches it: the shared
 *   stream's changes that arrive meanwhile wait, and every change is handed
 *   on once, by its id (ordered within one owner).
 */

/** A change as the fan-in reads it off an owner's feed: the feed's fields, private ones included. */
export interface LiveChange extends FeedChange {
  at: string;
  provinceCodes: string[];
  user: string | null;
  agency: string | null;
  role: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
}

/** A change as a subscriber receives it: whose it is, and the cursor to resume after it. */
export interface OwnedChange extends LiveChange {
  subgraph: string;
  action: `${ChangeAction}`;
  cursor: string;
}

export interface ChangeFilter {
  province?: string | null;
  subgraph?: string | null;
  recordType?: string | null;
}

const LIVE_FIELDS = 'id at action recordType recordId provinceCodes user agency role before after requestId';

/** Changes a subscriber may leave unread (or have waiting behind its replay) before it is cut off: the fan-in never buffers without bound. */
export const MAX_UNREAD_CHANGES = 1_000;
const RETRY = { firstMs: 250, maxMs: 10_000 };

/**
 * How fast a replay hands changes on: a burst, then a steady rate. A gateway
 * resolves each event's fields in turn and cuts a subscription off once 100
 * events wait (SUBSCRIPTION_BACKLOG, docs/subscriptions.md); a replay read
 * off an audit trail at full speed would pass that at once.
 */
const REPLAY_BURST = 50;
const REPLAY_PER_SECOND = 50;

/** A token bucket: `take` waits until the rate allows one more. */
class Pace {
  private tokens = REPLAY_BURST;
  private at = performance.now();

  async take(): Promise<void> {
    const now = performance.now();
    this.tokens = Math.min(REPLAY_BURST, this.tokens + ((now - this.at) / 1000) * REPLAY_PER_SECOND);
    this.at = now;
    if (this.tokens < 1) await new Promise((resolve) => setTimeout(resolve, ((1 - this.tokens) / REPLAY_PER_SECOND) * 1000));
    this.tokens -= 1;
  }
}

type Listener = (change: LiveChange) => void;

/** One owner's feed, followed once for every subscriber. */
class SharedFeed {
  /** The id of the last change the shared stream handed on (or the feed's head when it opened). */
  lastId: string | undefined;
  private readonly listeners = new Set<Listener>();
  private opened: Promise<void> | undefined;
  private follower: { stop(): Promise<void> } | undefined;
  private readonly log = logger.child({ part: 'live-changes' });

  constructor(readonly owner: OwnerApi) {}

  /** Opens the stream (once), from the owner's head; resolves when `lastId` is known. */
  open(): Promise<void> {
    return (this.opened ??= (async () => {
      try {
        this.lastId = await latestChangeId(this.owner);
      } catch (error) {
        this.opened = undefined;
        throw new GraphQLError(`The ${this.owner.subgraph} subgraph's change feed cannot be reached; subscribe again shortly.`, {
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: this.owner.subgraph },
          originalError: error as Error,
        });
      }
      this.follower = followFeed<LiveChange>({
        owner: this.owner,
        fields: LIVE_FIELDS,
        position: async () => this.lastId,
        apply: async (change) => {
          this.lastId = change.id;
          for (const listener of this.listeners) listener(change);
        },
        onLost: (reason, retryInMs) =>
          this.log.warn({ subgraph: this.owner.subgraph, retryInMs, reason }, `live changes lost the ${this.owner.subgraph} subgraph's feed; following it again`),
        retry: RETRY,
      });
    })());
  }

  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.follower?.stop();
  }
}

function fellBehind(): GraphQLError {
  return new GraphQLError(`This subscription fell more than ${MAX_UNREAD_CHANGES} changes behind; subscribe again with the last cursor received.`, {
    extensions: { code: 'SLOW_CONSUMER' },
  });
}

/** A subscriber's last event when the fan-in ends its stream: the reason, which `changes` raises as the event's error. */
export class ChangesEnded {
  constructor(readonly error: GraphQLError) {}
}

type Delivered = OwnedChange | ChangesEnded;

/** A subscriber's async iterator, fed by the fan-in, bounded. */
class ChangeQueue implements AsyncIterableIterator<Delivered> {
  private readonly waiting: Delivered[] = [];
  private wake: ((result: IteratorResult<Delivered>) => void) | undefined;
  /** Nothing more is taken in: the subscriber left, or its stream was ended with a reason. */
  private ended = false;

  constructor(private readonly onEnd: () => void) {}

  push(change: OwnedChange): void {
    if (this.ended) return;
    if (this.waiting.length >= MAX_UNREAD_CHANGES) return this.end(fellBehind());
    this.offer(change);
  }

  /** Ends the stream after what is already waiting; with a reason, the subscriber's last event carries it. */
  end(reason?: GraphQLError): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
    if (reason) this.offer(new ChangesEnded(reason));
    else this.wakeWith({ value: undefined, done: true });
  }

  private offer(event: Delivered): void {
    if (!this.wakeWith({ value: event, done: false })) this.waiting.push(event);
  }

  private wakeWith(result: IteratorResult<Delivered>): boolean {
    const wake = this.wake;
    this.wake = undefined;
    wake?.(result);
    return wake !== undefined;
  }

  async next(): Promise<IteratorResult<Delivered>> {
    if (this.waiting.length) return { value: this.waiting.shift()!, done: false };
    if (this.ended) return { value: undefined, done: true };
    return new Promise<IteratorResult<Delivered>>((resolve) => (this.wake = resolve));
  }

  async return(): Promise<IteratorResult<Delivered>> {
    this.waiting.length = 0;
    this.end();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** Every owner's feed, merged for the subscribers of `Subscription.changes`. */
export class LiveChanges {
  readonly owners: readonly string[] = INDEXED_OWNERS;
  private readonly shared: Map<string, SharedFeed>;
  private readonly apis: Map<string, OwnerApi>;
  private readonly open = new Set<ChangeQueue>();
  private readonly log = logger.child({ part: 'live-changes' });

  constructor(subgraphUrls: Record<string, string>) {
    const urls = ownerUrls(subgraphUrls);
    // As the search subgraph, a reader the owners' feeds tell who made each change; `changes` hands that on to signed-in subscribers only.
    this.apis = new Map(this.owners.map((subgraph) => [subgraph, new OwnerApi(subgraph, urls[subgraph]!, true)]));
    this.shared = new Map(this.owners.map((subgraph) => [subgraph, new SharedFeed(this.apis.get(subgraph)!)]));
  }

  /**
   * A subscriber's stream: every change after `from` (each owner's position;
   * an owner it lacks, or no `from`, from now) that passes `filter`, each with
   * the cursor that resumes after it. An owner whose feed cannot be reached
   * joins the stream once it can; only when none can is the subscription refused.
   */
  async subscribe(from: Positions | undefined, filter: ChangeFilter): Promise<AsyncIterableIterator<Delivered>> {
    const followed = [...this.shared].filter(([subgraph]) => !filter.subgraph || filter.subgraph === subgraph);
    const opened = await Promise.all(followed.map(([, feed]) => feed.open().then(() => undefined, (error: GraphQLError) => error)));
    if (opened.every((error) => error)) throw opened[0]!;

    const positions: Positions = {};
    for (const [subgraph, feed] of this.shared) {
      const position = from ? from[subgraph] : feed.lastId;
      if (position) positions[subgraph] = position;
    }
    const stops: (() => unknown)[] = [];
    const queue = new ChangeQueue(() => {
      this.open.delete(queue);
      for (const stop of stops.splice(0)) void stop();
    });
    this.open.add(queue);

    /** Hands a change on once (only one after the subscriber's position in its owner) if the filter passes it; says whether it did. */
    const deliver = (subgraph: string, change: LiveChange): boolean => {
      if (change.id <= (positions[subgraph] ?? '')) return false;
      positions[subgraph] = change.id;
      if (!passes(subgraph, change, filter)) return false;
      queue.push({ ...change, subgraph, cursor: encodeCursor(positions) });
      return true;
    };

    // One pace for all of a subscriber's replays: they reach the same gateway stream.
    const pace = new Pace();
    /** Follows one owner's shared stream from the subscriber's position in it, replaying first if that is behind. */
    const join = (subgraph: string, feed: SharedFeed) => {
      const joinAt = feed.lastId!;
      positions[subgraph] ??= joinAt;
      if (positions[subgraph] >= joinAt) {
        stops.push(feed.listen((change) => void deliver(subgraph, change)));
        return;
      }
      // Behind the shared stream: replay from the subscriber's own position, holding the shared stream's changes until the replay reaches them.
      const held: LiveChange[] = [];
      let replay: { stop(): Promise<void> } | undefined;
      stops.push(
        feed.listen((change) => {
          if (!replay) return void deliver(subgraph, change);
          // Held without bound, a long replay would grow without bound too.
          if (held.length >= MAX_UNREAD_CHANGES) return queue.end(fellBehind());
          held.push(change);
        }),
      );
      const replaying = followFeed<LiveChange>({
        owner: this.apis.get(subgraph)!,
        fields: LIVE_FIELDS,
        position: async () => positions[subgraph],
        apply: async (change) => {
          if (!replay) return;
          if (deliver(subgraph, change)) await pace.take();
          // Every change the shared stream holds is after `joinAt`: the replay has reached it once it reaches `joinAt`.
          if (change.id < joinAt) return;
          // Caught up: the held changes follow, and the shared stream from here on.
          replay = undefined;
          for (const waiting of held.splice(0)) deliver(subgraph, waiting);
          void replaying.stop();
        },
        onLost: (reason, retryInMs) =>
          this.log.warn({ subgraph, retryInMs, reason }, `a resumed subscription lost its replay of the ${subgraph} subgraph's feed; replaying again`),
        retry: RETRY,
      });
      replay = replaying;
      stops.push(() => replaying.stop());
    };
    /** Tries an owner whose feed could not be reached again, with backoff, and joins it once it opens. */
    const joinLater = (subgraph: string, feed: SharedFeed, delay = RETRY.firstMs) => {
      const timer = setTimeout(() => {
        feed.open().then(
          () => join(subgraph, feed),
          () => joinLater(subgraph, feed, Math.min(delay * 2, RETRY.maxMs)),
        );
      }, delay);
      stops.push(() => clearTimeout(timer));
    };

    followed.forEach(([subgraph, feed], i) => {
      if (!opened[i]) return join(subgraph, feed);
      this.log.warn({ subgraph }, `a subscription to changes starts without the ${subgraph} subgraph, whose feed cannot be reached; it joins once it can`);
      joinLater(subgraph, feed);
    });
    return queue;
  }

  /** Ends every subscriber's stream (each completes) and the shared ones. */
  async close(): Promise<void> {
    for (const queue of [...this.open]) queue.end();
    await Promise.all([...this.shared.values()].map((feed) => feed.close()));
  }
}

function passes(subgraph: string, change: LiveChange, filter: ChangeFilter): boolean {
  if (filter.subgraph && filter.subgraph !== subgraph) return false;
  if (filter.recordType && filter.recordType !== change.recordType) return false;
  if (filter.province && !change.provinceCodes.includes(filter.province)) return false;
  return true;
}
