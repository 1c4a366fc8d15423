import type { ApolloServerPlugin } from '@apollo/server';
import { createClient, NetworkError, type Client } from 'graphql-sse';
import { gatewaySecretHeaders, logger } from '@hub/server';

/*
 * The gateway hears every subgraph's change feed (toolkit/src/change-feed.ts,
 * served at each subgraph's /graphql over GraphQL over SSE): one stream per
 * subgraph per gateway process, whatever the number of clients, so its
 * response cache forgets what a change makes stale, including changes made
 * through another gateway or straight to a subgraph.
 */

const HEAD = /* GraphQL */ `query GatewayFeedHead { latestChangeId }`;
const CHANGES = /* GraphQL */ `subscription GatewayFeedChanges($after: ID) {
  changes(after: $after) { id action recordType recordId }
}`;

/** A change as the gateway reads it off a feed: which record, never its values. */
export interface FeedChange {
  id: string;
  action: 'CREATE' | 'UPDATE' | 'ARCHIVE';
  recordType: string;
  recordId: string;
}

/** Where one subgraph's feed stands: heard (`following`), not yet (`connecting`), or lost (`down`, since when and why). */
export type FeedState = { state: 'following' | 'connecting'; since: number } | { state: 'down'; since: number; reason: string };

/** What hears the feeds: the response cache. */
export interface ChangeSubscriber {
  /** A change committed in `subgraph`; undefined when changes may have been missed that no feed will replay. */
  changed(subgraph: string, change: FeedChange | undefined): void;
  /** The state of every feed followed, each time one of them changes. */
  feedsChanged(feeds: ReadonlyMap<string, FeedState>): void;
}

export interface ChangeListenerOptions {
  subscriber: ChangeSubscriber;
  /** Where outages and recoveries are told, once each; the gateway's log by default. */
  log?: (message: string, details: Record<string, unknown>) => void;
  /** How soon to connect again after a loss: the first wait, doubled up to the last. */
  retry?: { firstMs: number; maxMs: number };
  /**
   * A stream that sends nothing for this long is taken as lost, though its
   * connection looks open (a network that drops packets rather than closing):
   * each feed sends a heartbeat every 12 s.
   */
  silenceMs?: number;
}

export const DEFAULT_FEED_RETRY = { firstMs: 250, maxMs: 5_000 };
const DEFAULT_SILENCE_MS = 30_000;

/**
 * Follows the change feed of every subgraph of the supergraph being served
 * (`follow`, on each supergraph switch): subgraphs that come are followed,
 * those that go are let go. Each feed is read from `latestChangeId` at its
 * first connection, then with `after:` the last change heard, so a reconnect
 * after a loss replays whatever committed meanwhile, none missed.
 */
export class ChangeListener {
  private readonly followers = new Map<string, FeedFollower>();
  private closed = false;

  constructor(private readonly options: ChangeListenerOptions) {}

  /** Follows exactly these subgraphs (name → address), from now on. */
  follow(subgraphs: ReadonlyMap<string, string>): void {
    if (this.closed) return;
    for (const [name, follower] of this.followers) {
      if (subgraphs.get(name) === follower.url) continue;
      this.followers.delete(name);
      void follower.stop();
    }
    for (const [name, url] of subgraphs) {
      if (this.followers.has(name)) continue;
      this.followers.set(name, new FeedFollower(name, url, this.options, () => this.report()));
    }
    this.report();
  }

  /** Each feed's state, by subgraph. */
  states(): Map<string, FeedState> {
    return new Map([...this.followers].map(([name, follower]) => [name, follower.state]));
  }

  /** Stops following when the server stops. */
  plugin(): ApolloServerPlugin {
    return { serverWillStart: async () => ({ serverWillStop: () => this.close() }) };
  }

  /** Stops every stream, and waits for them to close. */
  async close(): Promise<void> {
    this.closed = true;
    const stopping = [...this.followers.values()].map((follower) => follower.stop());
    this.followers.clear();
    await Promise.all(stopping);
  }

  private report(): void {
    if (!this.closed) this.options.subscriber.feedsChanged(this.states());
  }
}

/** One subgraph's feed, followed until stopped: connects, hears, and after a loss connects again with backoff. */
class FeedFollower {
  state: FeedState = { state: 'connecting', since: Date.now() };
  /** The last change heard; undefined until the feed's head is first read. */
  private cursor: string | undefined;
  private stopped = false;
  private hangUp: (() => void) | undefined;
  private wake: (() => void) | undefined;
  private readonly running: Promise<void>;
  private readonly log: (message: string, details: Record<string, unknown>, level: 'warn' | 'info') => void;

  constructor(
    readonly subgraph: string,
    readonly url: string,
    private readonly options: ChangeListenerOptions,
    private readonly reported: () => void,
  ) {
    const own = logger.child({ part: 'gateway', feed: subgraph });
    this.log = options.log ? (message, details) => options.log!(message, details) : (message, details, level) => own[level](details, message);
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.hangUp?.();
    this.wake?.();
    await this.running;
  }

  private async run(): Promise<void> {
    const retry = this.options.retry ?? DEFAULT_FEED_RETRY;
    let delay = retry.firstMs;
    while (!this.stopped) {
      let reason: string;
      try {
        this.cursor ??= await this.head();
        reason = await this.listen(this.cursor, () => (delay = retry.firstMs));
      } catch (error) {
        reason = describe(error);
      }
      if (this.stopped) return;
      this.lost(reason, delay);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
      delay = Math.min(delay * 2, retry.maxMs);
    }
  }

  /** A client for one request: the gateway's own, anonymous (no user's token), with the gateway secret. */
  private client(signal: AbortSignal): Client {
    const silenceMs = this.options.silenceMs ?? DEFAULT_SILENCE_MS;
    return createClient({
      url: this.url,
      headers: gatewaySecretHeaders(),
      // Reconnecting is this follower's: with the position it has reached.
      retryAttempts: 0,
      fetchFn: (input: string | URL | Request, init?: RequestInit) =>
        heardFetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal }, silenceMs),
    });
  }

  /** The feed's `latestChangeId`: changes after it are the ones this gateway has not heard. */
  private async head(): Promise<string> {
    const abort = new AbortController();
    this.hangUp = () => abort.abort();
    const client = this.client(abort.signal);
    try {
      for await (const result of client.iterate<{ latestChangeId: string }>({ query: HEAD })) {
        if (result.data?.latestChangeId) return result.data.latestChangeId;
        throw new Error(result.errors?.map((error) => error.message).join('; ') ?? 'latestChangeId answered nothing');
      }
      throw new Error('latestChangeId answered nothing');
    } finally {
      client.dispose();
    }
  }

  /**
   * Hears the feed after `after` until the stream ends; resolves with why it
   * ended. `connected` is called once the subgraph has accepted the stream.
   */
  private listen(after: string, connected: () => void): Promise<string> {
    return new Promise((resolve) => {
      const abort = new AbortController();
      const client = this.client(abort.signal);
      let ended = false;
      const end = (reason: string) => {
        if (ended) return;
        ended = true;
        dispose();
        client.dispose();
        resolve(reason);
      };
      this.hangUp = () => {
        abort.abort();
        end('stopped');
      };
      const dispose = client.subscribe<{ changes: FeedChange }>(
        { query: CHANGES, variables: { after } },
        {
          next: (result) => {
            if (ended) return;
            const change = result.data?.changes;
            if (change) {
              this.cursor = change.id;
              return this.options.subscriber.changed(this.subgraph, change);
            }
            const error = result.errors?.[0];
            if (error?.extensions?.code === 'BAD_USER_INPUT' && error.extensions.argument === 'after') {
              // The subgraph no longer knows the last change heard (its trail was replaced): start again from its head,
              // and forget whatever was kept, since what changed in between cannot be told.
              this.cursor = undefined;
              this.options.subscriber.changed(this.subgraph, undefined);
            }
            end(error?.message ?? 'an event without data');
          },
          error: (error) => end(describe(error)),
          complete: () => end('the subgraph ended the feed (it is shutting down, or cut this gateway off as too slow)'),
        },
        {
          connected: () => {
            connected();
            this.following();
          },
        },
      );
      if (this.stopped) this.hangUp();
    });
  }

  private following(): void {
    if (this.stopped) return;
    const previous = this.state;
    this.state = { state: 'following', since: Date.now() };
    if (previous.state === 'down') {
      const seconds = Math.round((this.state.since - previous.since) / 100) / 10;
      this.log(
        `change feed of ${this.subgraph} is back after ${seconds} s: the response cache again forgets each change as it is heard.`,
        { subgraph: this.subgraph, downSeconds: seconds },
        'info',
      );
    }
    this.reported();
  }

  private lost(reason: string, retryInMs: number): void {
    if (this.state.state !== 'down') {
      this.log(
        `change feed of ${this.subgraph} is unreachable (${reason}): the response cache is on TTL fallback until it is back; trying again in ${retryInMs} ms, then with backoff.`,
        { subgraph: this.subgraph, reason },
        'warn',
      );
      this.state = { state: 'down', since: Date.now(), reason };
      this.reported();
    }
  }
}

/** Why a feed's request failed, in a few words: an HTTP status, or what the network said. */
function describe(error: unknown): string {
  if (error instanceof NetworkError && error.response) {
    const status = (error.response as Response).status;
    return status === 401 ? 'HTTP 401: the subgraph refused the gateway; check HUB_GATEWAY_SECRET' : `HTTP ${status}`;
  }
  let cause: unknown = error;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (cause instanceof Error ? cause.message : String(cause));
}

/**
 * fetch, given up when nothing is heard for `silenceMs`: no answer to the
 * request, or a response body that sends nothing, heartbeats included. The
 * stream then fails as a lost connection would.
 */
async function heardFetch(input: string | URL | Request, init: RequestInit, silenceMs: number): Promise<Response> {
  const silent = new AbortController();
  const timer = setTimeout(() => silent.abort(new Error(`nothing heard for ${silenceMs} ms`)), silenceMs).unref();
  init.signal?.addEventListener('abort', () => clearTimeout(timer), { once: true });
  let response: Response;
  try {
    response = await fetch(input, { ...init, signal: AbortSignal.any(init.signal ? [init.signal, silent.signal] : [silent.signal]) });
  } catch (error) {
    clearTimeout(timer);
    throw error;
  }
  if (!response.body) {
    clearTimeout(timer);
    return response;
  }
  timer.refresh();
  const heard = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      timer.refresh();
      controller.enqueue(chunk);
    },
    flush: () => clearTimeout(timer),
  });
  return new Response(response.body.pipeThrough(heard), { status: response.status, statusText: response.statusText, headers: response.headers });
}
