import type { PersistedQueryOptions } from '@apollo/server';
import { Redis } from 'ioredis';
import { logger } from '@hub/server';

/*
 * What gateway replicas share in Redis, when REDIS_URL names one: the
 * response cache's answers and its generation (response-cache.ts keeps the
 * rules; the protocol is here), and automatic persisted queries. One
 * connection per gateway process serves both. Without REDIS_URL each replica
 * keeps both in its own memory, as on a laptop.
 *
 * Settings:
 * - `REDIS_URL`: e.g. `redis://cache:6379/0` or `rediss://user:password@host:6380`;
 *   a single Redis (a primary, with replicas if wanted), not Redis Cluster:
 *   the scripts below read the generation and an answer together.
 * - `GATEWAY_REDIS_PREFIX`: what every key begins with (`hub:` by default),
 *   so deployments sharing one Redis keep apart.
 *
 * Every key but the generation expires (answers after twice the cache's TTL,
 * persisted queries after a day), so Redis holds no more than what was asked
 * within those times; give it a `maxmemory` with `maxmemory-policy
 * volatile-lru` (or `volatile-ttl`), which evicts only keys that expire and
 * so never the generation. Nothing here needs persistence: a Redis that
 * restarts empty costs one computation of each answer.
 *
 * A Redis that is down, or slow, must not take queries with it. Commands time
 * out after `COMMAND_TIMEOUT_MS`; nothing waits in a queue while the
 * connection is lost (each command fails at once instead); and after a
 * failure Redis is left alone for `REST_AFTER_FAILURE_MS` unless it
 * reconnects sooner. Meanwhile every answer is computed afresh, none is kept,
 * and a persisted query's hash alone is answered PERSISTED_QUERY_NOT_FOUND, so
 * the client sends the whole query. The outage is logged once, and the
 * recovery; `/ready` says so (`responseCache.shared`).
 */

export const DEFAULT_REDIS_PREFIX = 'hub:';
/** Long enough for a healthy Redis on the same network under load; short enough that a stuck one costs little. */
const COMMAND_TIMEOUT_MS = 250;
const CONNECT_TIMEOUT_MS = 2_000;
/** How long the gateway leaves a Redis alone after a command failed (a timeout, say) while the connection stays up. */
const REST_AFTER_FAILURE_MS = 1_000;
/** How long a persisted query is kept after it was last registered, when Apollo gives no TTL. */
const PERSISTED_QUERY_TTL_SECONDS = 24 * 60 * 60;

export interface RedisSettings {
  url: string;
  /** What every key begins with; `hub:` by default. */
  prefix?: string;
}

/** `REDIS_URL` and `GATEWAY_REDIS_PREFIX`; undefined without REDIS_URL (the in-memory default). */
export function redisFromEnv(env: NodeJS.ProcessEnv = process.env): RedisSettings | undefined {
  const url = env.REDIS_URL?.trim();
  if (!url) return undefined;
  if (!/^rediss?:\/\//.test(url)) throw new Error(`REDIS_URL must be a redis:// or rediss:// URL; got "${url}".`);
  const prefix = env.GATEWAY_REDIS_PREFIX;
  return { url, ...(prefix ? { prefix } : {}) };
}

/** What `/ready` says of the shared store. */
export interface SharedStoreStatus {
  store: 'redis';
  /** `degraded`: Redis cannot be used now; every answer is computed and nothing is shared until it can. */
  state: 'connecting' | 'connected' | 'degraded';
  detail?: string;
}

/** An answer as Redis holds it, with how old it is by Redis's own clock (no replica's clock is trusted). */
export interface SharedAnswer {
  body: string;
  contentType: string;
  /** The TTL the answer was kept with: fresh for that long, served while recomputed for as long again. */
  ttlMs: number;
  ageMs: number;
}

/*
 * The response cache's protocol. One key, the generation, moves on with every
 * invalidation anywhere: a mutation through any replica (as it starts and
 * again before its answer is sent) and every change a replica hears on a
 * feed. Each answer is stored with the generation read before it was
 * computed, and only if that is still the generation (STORE). A read fetches
 * the generation and the answer in one script (READ, one round trip) and
 * takes the answer only if both agree. So once a mutation's answer has been
 * sent, no replica serves an answer computed before it: any such answer either
 * was stored under an older generation, and is a miss, or arrives after the
 * generation moved, and is refused. Redis runs each script whole, so no
 * invalidation falls between a check and a write.
 *
 * A generation that is lost (a flushed or restarted Redis) starts again from
 * a number drawn from the clock, not from 0, so an answer kept under an
 * earlier count never matches one made after the loss by chance.
 */
const FIRST_GENERATION = `local generation = redis.call('GET', KEYS[1])
if not generation then
  generation = ARGV[1]
  redis.call('SET', KEYS[1], generation)
end`;

const READ = `${FIRST_GENERATION}
local entry = redis.call('GET', KEYS[2])
if not entry then return { generation } end
if string.sub(entry, 1, #generation + 1) ~= generation .. '\\n' then
  redis.call('UNLINK', KEYS[2])
  return { generation }
end
return { generation, entry, redis.call('PTTL', KEYS[2]) }`;

const STORE = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1`;

const INVALIDATE = `${FIRST_GENERATION}
return redis.call('INCR', KEYS[1])`;

interface AnswerCommands {
  readAnswer(generationKey: string, answerKey: string, firstGeneration: string): Promise<[string, string?, number?]>;
  storeAnswer(generationKey: string, answerKey: string, generation: string, entry: string, px: number): Promise<number>;
  invalidateAnswers(generationKey: string, firstGeneration: string): Promise<number>;
}

/** Each stored answer: `<generation>\n<ttlMs>\n<content type>\n<body>`, so the script compares its generation without parsing JSON. */
function encode(generation: string, ttlMs: number, contentType: string, body: string): string {
  return `${generation}\n${ttlMs}\n${contentType}\n${body}`;
}

function decode(entry: string, pttl: number): SharedAnswer | undefined {
  const first = entry.indexOf('\n');
  const second = entry.indexOf('\n', first + 1);
  const third = entry.indexOf('\n', second + 1);
  if (first < 0 || second < 0 || third < 0) return undefined;
  const ttlMs = Number(entry.slice(first + 1, second));
  return { ttlMs, contentType: entry.slice(second + 1, third), body: entry.slice(third + 1), ageMs: Math.max(0, 2 * ttlMs - pttl) };
}

const firstGeneration = () => String(Date.now() * 1000 + Math.floor(Math.random() * 1000));

/** The host and port of a Redis URL, for logs and /ready: never its password. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 6379}`;
  } catch {
    return 'the configured Redis';
  }
}

/**
 * The gateway's connection to Redis, and what it keeps there. Every command
 * goes through `attempt`, which answers undefined instead of throwing when
 * Redis cannot be used, and keeps the state `/ready` reports.
 */
export class SharedStore {
  private readonly client: Redis & AnswerCommands;
  private readonly prefix: string;
  private readonly where: string;
  private readonly log = logger.child({ part: 'gateway', store: 'redis' });
  private state: SharedStoreStatus['state'] = 'connecting';
  private reason = '';
  private since = Date.now();
  private restUntil = 0;
  /**
   * An invalidation that could not be told to Redis (it was down). Until one
   * is, this replica neither reads nor stores answers there: other replicas
   * may still hold answers older than a mutation it ran. They hear the
   * change on its feed meanwhile, as they would without Redis.
   */
  private untold = false;
  private closed = false;

  constructor(settings: RedisSettings) {
    this.prefix = settings.prefix ?? DEFAULT_REDIS_PREFIX;
    this.where = describeUrl(settings.url);
    this.client = new Redis(settings.url, {
      lazyConnect: true,
      connectTimeout: CONNECT_TIMEOUT_MS,
      commandTimeout: COMMAND_TIMEOUT_MS,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      // Reconnects for as long as the gateway runs, at most every 5 s.
      retryStrategy: (times) => Math.min(times * 200, 5_000),
    }) as Redis & AnswerCommands;
    this.client.defineCommand('readAnswer', { numberOfKeys: 2, lua: READ });
    this.client.defineCommand('storeAnswer', { numberOfKeys: 2, lua: STORE });
    this.client.defineCommand('invalidateAnswers', { numberOfKeys: 1, lua: INVALIDATE });
    this.client.on('ready', () => this.up());
    this.client.on('error', (error: Error) => this.down(error.message));
    this.client.on('close', () => this.down('the connection closed'));
  }

  /** Connects, waiting at most the connect timeout: a gateway whose Redis is down starts all the same, degraded. */
  async connect(): Promise<void> {
    await this.client.connect().catch((error: Error) => this.down(error.message));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client.quit().catch(() => this.client.disconnect());
  }

  status(): SharedStoreStatus {
    if (this.state !== 'degraded') return { store: 'redis', state: this.state };
    return {
      store: 'redis',
      state: 'degraded',
      detail:
        `Redis at ${this.where} cannot be used (${this.reason}) since ${new Date(this.since).toISOString()}: ` +
        'every answer is computed afresh and persisted queries are not shared until it can.',
    };
  }

  /** The answer kept under `key` in the current generation, if any, and the generation (undefined when Redis cannot be used). */
  async readAnswer(key: string): Promise<{ generation: string; answer?: SharedAnswer } | undefined> {
    const reply = await this.attempt(() => this.client.readAnswer(this.generationKey, this.answerKey(key), firstGeneration()));
    if (!reply) return undefined;
    const [generation, entry, pttl] = reply;
    const answer = entry !== undefined && pttl !== undefined && pttl > 0 ? decode(entry, pttl) : undefined;
    return answer ? { generation, answer } : { generation };
  }

  /** Keeps an answer for `ttlMs` (and as long again while it is recomputed), if the generation is still `generation`. */
  async storeAnswer(key: string, generation: string, answer: { body: string; contentType: string }, ttlMs: number): Promise<boolean> {
    const entry = encode(generation, ttlMs, answer.contentType, answer.body);
    return (await this.attempt(() => this.client.storeAnswer(this.generationKey, this.answerKey(key), generation, entry, 2 * ttlMs))) === 1;
  }

  /** Moves the generation on: every answer kept so far, by any replica, is a miss from now on. */
  async invalidateAnswers(): Promise<void> {
    const told = await this.attempt(() => this.client.invalidateAnswers(this.generationKey, firstGeneration()), true);
    this.untold = told === undefined;
  }

  /** Apollo's persisted queries, shared by every replica: a query registered through one is known to all. */
  persistedQueries(): PersistedQueryOptions {
    const key = (hash: string) => `${this.prefix}${hash}`;
    return {
      // Apollo prefixes its keys with `apq:` itself.
      cache: {
        get: async (hash) => (await this.attempt(() => this.client.get(key(hash)))) ?? undefined,
        set: async (hash, query, options) => {
          const seconds = options?.ttl || PERSISTED_QUERY_TTL_SECONDS;
          await this.attempt(() => this.client.set(key(hash), query, 'EX', Math.min(seconds, PERSISTED_QUERY_TTL_SECONDS)));
        },
        delete: async (hash) => {
          await this.attempt(() => this.client.del(key(hash)));
        },
      },
      ttl: PERSISTED_QUERY_TTL_SECONDS,
    };
  }

  private get generationKey(): string {
    return `${this.prefix}answer-generation`;
  }

  private answerKey(key: string): string {
    return `${this.prefix}answer:${key}`;
  }

  /**
   * Runs a command when Redis can be used, or answers undefined at once. An
   * untold invalidation is told first (`telling` is that telling itself).
   */
  private async attempt<T>(command: () => Promise<T>, telling = false): Promise<T | undefined> {
    if (this.client.status !== 'ready' || Date.now() < this.restUntil) return undefined;
    try {
      if (this.untold && !telling) {
        await this.client.invalidateAnswers(this.generationKey, firstGeneration());
        this.untold = false;
      }
      const result = await command();
      if (this.state === 'degraded') this.up();
      return result;
    } catch (error) {
      this.restUntil = Date.now() + REST_AFTER_FAILURE_MS;
      this.down((error as Error).message);
      return undefined;
    }
  }

  private up(): void {
    this.restUntil = 0;
    // An invalidation missed while Redis was away is told as soon as it is back, before anything else is read.
    if (this.untold) void this.invalidateAnswers();
    if (this.state === 'degraded') {
      const message = `Redis at ${this.where} is back after ${Date.now() - this.since} ms: the response cache and persisted queries are shared again.`;
      this.log.info({ redis: this.where }, message);
    }
    this.state = 'connected';
    this.since = Date.now();
  }

  /** Logs an outage once, however many commands fail during it. */
  private down(reason: string): void {
    if (this.closed || this.state === 'degraded') return;
    this.log.warn(
      { redis: this.where, reason },
      `Redis at ${this.where} cannot be used (${reason}): answers are computed afresh and not shared until it can.`,
    );
    this.state = 'degraded';
    this.reason = reason;
    this.since = Date.now();
  }
}
