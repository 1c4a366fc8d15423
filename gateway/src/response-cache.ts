import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { isJsonContentType, type Interceptor } from '@hub/server';
import { COST_HEADER } from './demand-control.js';

/**
 * Whole answers to anonymous queries, kept for a short time and served again
 * without parsing, planning or calling a subgraph. Dashboards ask the same
 * public questions over and over; this answers the repeats.
 *
 * What it never does:
 * - serve a signed-in request, or store one: answers that depend on who asks
 *   (contact details, histories) are never shared;
 * - store an answer with errors, or the answer to anything but a query;
 * - serve an answer older than a change made through this gateway: every
 *   mutation empties the cache when it starts and again when it ends, and an
 *   answer computed while a mutation ran is not stored.
 *
 * Identical requests that arrive while the first of them is being answered
 * wait for its answer instead of each asking the subgraphs. When an answer
 * expires, the next request computes it afresh while the others, for as long
 * as that takes (at most another `ttlMs`), still get the expired one: one
 * client per answer and period waits for the subgraphs, not all of them.
 *
 * Changes that do not pass through this gateway (another gateway instance, a
 * seed run) show after at most `ttlMs`.
 *
 * Browsers, CDNs and proxies may keep answers for as long, and under the same
 * rules, through each answer's Cache-Control (`httpCachePolicy`): an anonymous
 * GET query answered without errors is `public, max-age=<ttlMs in seconds>`;
 * everything else is `no-store` (`private, no-store` when signed in).
 */
export interface ResponseCacheOptions {
  /** How long an answer is served again; 0 turns the cache off. */
  ttlMs: number;
  /** How much the kept answers may take in all, in bytes (of their JSON), the least recently used going first. */
  maxBytes: number;
}

export const DEFAULT_RESPONSE_CACHE: ResponseCacheOptions = { ttlMs: 5_000, maxBytes: 64 * 2 ** 20 };

/** No answer larger than this share of the budget is kept, so one answer cannot push out all the others. */
const MAX_ENTRY_SHARE = 1 / 8;

/** What an answer that no one may keep says, and one that depends on who asked. */
const NOT_STORED = 'no-store';
const SIGNED_IN_NOT_STORED = 'private, no-store';
/**
 * What a kept answer depends on besides its URL: the media type asked for,
 * the cost header (it adds the operation's cost to the answer), and whether a
 * token was sent, so a cache never answers a signed-in request with an
 * anonymous answer.
 */
const VARY = `accept, authorization, ${COST_HEADER}`;

/** Settings from `GATEWAY_CACHE_TTL_MS` (0 turns the cache off) and `GATEWAY_CACHE_MAX_MB`. */
export function responseCacheFromEnv(env: NodeJS.ProcessEnv = process.env): ResponseCacheOptions {
  const read = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, 0 or more; got "${raw}".`);
    return value;
  };
  return {
    ttlMs: read('GATEWAY_CACHE_TTL_MS', DEFAULT_RESPONSE_CACHE.ttlMs),
    maxBytes: read('GATEWAY_CACHE_MAX_MB', DEFAULT_RESPONSE_CACHE.maxBytes / 2 ** 20) * 2 ** 20,
  };
}

/** An answer as it was sent, to send again. */
export interface CachedAnswer {
  body: string;
  contentType: string;
}

/** The right, and the duty, to compute an answer that identical requests may be waiting for. */
export interface CacheTicket {
  readonly key: string;
}

interface Entry extends CachedAnswer {
  /** Until then the answer is served as it is. */
  freshUntil: number;
  /** Until then it is still served while one request computes it afresh. */
  staleUntil: number;
}

interface Ticket extends CacheTicket {
  settled: boolean;
  wake(answer: CachedAnswer | undefined): void;
}

/** Marks, on a request's context, that its answer may be shared, and from which generation of the data. */
export interface CacheableContext {
  responseCache?: { generation: number; shareable?: boolean };
}

/**
 * The cache sits around each request (`interceptor`): it looks the request's
 * key up and answers a hit itself; on a miss the request runs, and the ticket
 * it got is settled with the answer, which the cache keeps if the request's
 * context says it may be shared (marked by `begin` and `plugin`).
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  /** What the kept answers take, in UTF-16 code units of their JSON (close to bytes for this data). */
  private bytes = 0;
  /** Answers being computed, by key, for identical requests to wait on. */
  private readonly computing = new Map<string, Promise<CachedAnswer | undefined>>();
  /** Moves on with every mutation: an answer computed across a change is not stored. */
  private generation = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly options: ResponseCacheOptions) {}

  get enabled(): boolean {
    return this.options.ttlMs > 0 && this.options.maxBytes > 0;
  }

  /**
   * The Cache-Control of an anonymous GET query answered without errors, or
   * undefined when it too must not be kept. Its max-age is this cache's TTL in
   * whole seconds, lowered by any cache hint given while answering (Apollo's
   * overall cache policy); with the cache off, answers are not kept anywhere.
   */
  httpCachePolicy(hints: GraphQLRequestContextWillSendResponse<CacheableContext>['overallCachePolicy']): string | undefined {
    if (!this.enabled) return undefined;
    hints.restrict({ maxAge: Math.floor(this.options.ttlMs / 1000) });
    const policy = hints.policyIfCacheable();
    return policy ? `${policy.scope.toLowerCase()}, max-age=${policy.maxAge}` : undefined;
  }

  /**
   * The key of a request whose answer could be shared, or undefined. Only
   * anonymous JSON POSTs: a browser cannot send those cross-site without a
   * preflight, so a hit skips no CSRF check that the first answer passed.
   */
  keyOf(request: IncomingMessage, url: URL, body: string): string | undefined {
    if (!this.enabled || request.headers.authorization !== undefined || request.method !== 'POST') return undefined;
    if (!isJsonContentType(request.headers['content-type'])) return undefined;
    // The Accept header picks the answer's media type (application/graphql-response+json or JSON);
    // the cost header adds the operation's cost to the answer.
    const varies = `${request.headers.accept ?? ''}\n${request.headers[COST_HEADER] ?? ''}`;
    return createHash('sha256').update(`${varies}\n${url.search}\n${body}`).digest('base64url');
  }

  /**
   * A kept answer; or, while an identical request computes one, that answer
   * when it comes; or else a ticket to compute it (also when the awaited
   * answer could not be shared).
   */
  async lookup(key: string): Promise<{ answer?: CachedAnswer; ticket?: CacheTicket }> {
    const kept = this.kept(key);
    const computing = this.computing.get(key);
    if (kept && (kept.freshUntil > Date.now() || computing)) {
      this.hits++;
      return { answer: kept };
    }
    if (computing) {
      const answer = await computing;
      if (answer) {
        this.hits++;
        return { answer };
      }
    }
    this.misses++;
    if (computing) return {};
    let wake!: (answer: CachedAnswer | undefined) => void;
    this.computing.set(key, new Promise((resolve) => (wake = resolve)));
    const ticket: Ticket = { key, settled: false, wake };
    return { ticket };
  }

  private kept(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.staleUntil <= Date.now()) {
      this.forget(key, entry);
      return undefined;
    }
    // Re-inserting keeps the Map in least-recently-used order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** Called as a request's context is made: remembers the generation its answer will belong to. */
  begin(context: CacheableContext): void {
    context.responseCache = { generation: this.generation };
  }

  /** Ends a ticket, offering the answer if there is one, and wakes the requests waiting on it. Later calls do nothing. */
  settle(ticket: CacheTicket, answer?: CachedAnswer, context?: CacheableContext): void {
    const own = ticket as Ticket;
    if (own.settled) return;
    own.settled = true;
    const kept = answer && context && this.keep(own.key, answer, context);
    this.computing.delete(own.key);
    // Waiters get the answer only if it could be kept: anything else they compute for themselves.
    own.wake(kept ? answer : undefined);
  }

  private keep(key: string, answer: CachedAnswer, context: CacheableContext): boolean {
    const mark = context.responseCache;
    if (!mark?.shareable || mark.generation !== this.generation || answer.body.length > this.options.maxBytes * MAX_ENTRY_SHARE) return false;
    const now = Date.now();
    const previous = this.entries.get(key);
    if (previous) this.forget(key, previous);
    this.entries.set(key, { ...answer, freshUntil: now + this.options.ttlMs, staleUntil: now + 2 * this.options.ttlMs });
    this.bytes += answer.body.length;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.options.maxBytes) break;
      this.forget(oldest, entry);
    }
    return true;
  }

  private forget(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.body.length;
  }

  /** Forgets every answer: the data may have changed. */
  invalidate(): void {
    this.generation++;
    this.entries.clear();
    this.bytes = 0;
  }

  /** Answers a request from the cache when it can; otherwise lets it run and offers its answer. */
  interceptor(): Interceptor<CacheableContext> {
    return async ({ request, response, url, body }, execute) => {
      // Not kept anywhere unless Apollo's answer says otherwise (the plugin, for anonymous GET queries).
      response.setHeader('cache-control', request.headers.authorization === undefined ? NOT_STORED : SIGNED_IN_NOT_STORED);
      const key = this.keyOf(request, url, body);
      const { answer: cached, ticket } = key ? await this.lookup(key) : {};
      if (cached) {
        response.writeHead(200, { 'content-type': cached.contentType, 'x-cache': 'hit' });
        response.end(cached.body);
        return;
      }
      try {
        const answered = await execute();
        if (ticket && answered.context && answered.status === 200 && answered.body !== undefined) {
          this.settle(ticket, { body: answered.body, contentType: answered.headers['content-type'] ?? 'application/json' }, answered.context);
        }
      } finally {
        // However the request ended, requests waiting for its answer go on.
        if (ticket) this.settle(ticket);
      }
    };
  }

  /**
   * Decides, inside Apollo, which answers may be shared, here and by the
   * caches between the hub and its clients, and empties the cache around
   * every mutation.
   */
  plugin(): ApolloServerPlugin<CacheableContext> {
    return {
      requestDidStart: async () => ({
        didResolveOperation: async ({ operation }) => {
          if (operation?.operation === 'mutation') this.invalidate();
        },
        willSendResponse: async ({ operation, request, response, contextValue, overallCachePolicy }) => {
          if (operation?.operation === 'mutation') return this.invalidate();
          const single = response.body.kind === 'single' ? response.body.singleResult : undefined;
          if (operation?.operation !== 'query' || !single || single.errors?.length) return;
          if (contextValue.responseCache) contextValue.responseCache.shareable = true;
          // A POST is never kept by the caches on the way (nor by browsers), and a signed-in answer is the asker's alone.
          if (request.http?.method !== 'GET' || request.http.headers.get('authorization') !== undefined) return;
          const cacheControl = this.httpCachePolicy(overallCachePolicy);
          if (cacheControl) {
            response.http.headers.set('cache-control', cacheControl);
            response.http.headers.set('vary', VARY);
          }
        },
      }),
    };
  }
}
