import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { GraphQLError, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { createHandler } from 'graphql-sse';
import { ErrorCode, formatError, logger, REQUEST_ID_HEADER, sendJson, type Interceptor } from '@hub/server';
import { DEFAULT_FEED_MAX_BEHIND, type ChangeFeed, type ChangeFeedLimits } from './change-feed.js';
import { changeFeedSchema, type ChangeFeedContext } from './change-feed-schema.js';
import type { SubgraphContext } from './subgraph.js';

export interface ChangeFeedServeLimits {
  /** Feeds one subgraph process keeps open at once; the next is refused with 503 TOO_MANY_FEEDS. */
  maxFeeds: number;
  /** Bytes a subscriber's connection may hold unsent before the feed waits for it (and, once it falls behind, cuts it off). */
  maxBufferBytes: number;
}

export const DEFAULT_MAX_FEEDS = 1_000;
export const DEFAULT_FEED_BUFFER_BYTES = 1 << 20;
/** How long an ended stream may take to reach its client before its connection is closed anyway. */
const END_GRACE_MS = 5_000;

/** `SUBGRAPH_MAX_FEEDS`, `SUBGRAPH_FEED_BUFFER_BYTES` and `SUBGRAPH_FEED_MAX_BEHIND`, else the defaults. */
export function changeFeedLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): ChangeFeedServeLimits & Pick<ChangeFeedLimits, 'maxBehind'> {
  return {
    maxFeeds: positiveWholeNumber(env, 'SUBGRAPH_MAX_FEEDS', DEFAULT_MAX_FEEDS),
    maxBufferBytes: positiveWholeNumber(env, 'SUBGRAPH_FEED_BUFFER_BYTES', DEFAULT_FEED_BUFFER_BYTES),
    maxBehind: positiveWholeNumber(env, 'SUBGRAPH_FEED_MAX_BEHIND', DEFAULT_FEED_MAX_BEHIND),
  };
}

/** A setting read at start: a bad one stops the subgraph rather than failing each subscription. */
function positiveWholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number; got "${raw}".`);
  return value;
}

/**
 * graphql-js's `validate` from the copy @apollo/subgraph builds schemas with
 * (CommonJS): where this module is loaded as ESM (a test runner), the ESM
 * copy would refuse a schema of the other.
 */
const { validate } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

const JSON_TYPES = new Set(['application/json', 'application/graphql-response+json']);

/**
 * Whether a request asks for an event stream: it accepts `text/event-stream`
 * (graphql-sse's client, Hive Gateway and EventSource send exactly that) and
 * no JSON, so a client that takes JSON keeps getting the federated schema's
 * answers as before.
 */
function acceptsEventStream(request: IncomingMessage): boolean {
  const types = (request.headers.accept ?? '').split(',').map((range) => range.split(';', 1)[0]!.trim().toLowerCase());
  return types.includes('text/event-stream') && !types.some((type) => JSON_TYPES.has(type));
}

/** Resolves once `response` holds no more than `maxBytes` unsent, or has closed. */
function roomIn(response: ServerResponse, maxBytes: number): Promise<void> {
  if (!response.writableNeedDrain || response.writableLength <= maxBytes) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.once('drain', done);
    response.once('close', done);
  });
}

export interface ChangeFeedServer {
  /** Answers requests that accept `text/event-stream` with the feed; hands every other to Apollo. */
  intercept: Interceptor<SubgraphContext>;
  /** Refuses new feeds, ends every open one (each completes), and waits for their streams to close. */
  close(): Promise<void>;
}

/**
 * Serves a subgraph's change feed at its own /graphql, for requests that
 * accept `text/event-stream`: GraphQL over Server-Sent Events, the graphql-sse
 * protocol in its distinct-connections mode (one request per subscription),
 * which graphql-sse's client and Hive Gateway speak. The caller's identity
 * comes from the gateway's signed header, read by `context` exactly as for
 * queries.
 */
export async function serveChangeFeed(
  feed: ChangeFeed,
  context: (request: IncomingMessage, requestId: string) => Promise<SubgraphContext>,
  limits: ChangeFeedServeLimits,
  /**
   * A subgraph whose own schema has subscriptions (search's `changes`) serves
   * them on the same streams: an operation valid against that schema is
   * answered from it, any other from the feed (the gateway's response cache
   * follows every subgraph's feed, and asks what only the feed schema has).
   */
  ownSchema?: GraphQLSchema,
): Promise<ChangeFeedServer> {
  const log = logger.child({ part: 'change-feed' });
  const feedSchema = await changeFeedSchema();
  const handler = createHandler<IncomingMessage, ChangeFeedContext, ChangeFeedContext>({
    schema: ownSchema ? (_request, { document }) => (validate(ownSchema, document).length === 0 ? ownSchema : feedSchema) : feedSchema,
    // No reserved streams (the single-connection mode): each subscription is its own request.
    authenticate: () => null as unknown as string,
    context: (request) => request.context,
    // Errors leave as every other answer's do: codes kept, internals hidden.
    onNext: (_context, _request, result) => {
      const { errors } = result as ExecutionResult;
      if (!errors?.length) return result;
      return { ...result, errors: errors.map((error) => formatError(error.toJSON(), error)) } as unknown as typeof result;
    },
  });
  const open = new Set<ServerResponse>();
  let closing = false;

  const intercept: Interceptor<SubgraphContext> = async ({ request, response, body }, execute) => {
    if (!acceptsEventStream(request)) return void (await execute());
    if (closing) return sendJson(response, 503, refusal('This subgraph is shutting down; subscribe again shortly.', 'SHUTTING_DOWN'));
    if (open.size >= limits.maxFeeds) {
      response.setHeader('retry-after', '5');
      log.warn({ open: open.size }, 'change feed refused: too many open');
      return sendJson(
        response,
        503,
        refusal(`This subgraph serves at most ${limits.maxFeeds} change feeds at once (SUBGRAPH_MAX_FEEDS); try again shortly.`, 'TOO_MANY_FEEDS'),
      );
    }
    const requestId = String(response.getHeader(REQUEST_ID_HEADER));
    let subgraphContext: SubgraphContext;
    try {
      subgraphContext = await context(request, requestId);
    } catch (error) {
      // Only the gateway may subscribe, as only it may ask: a refused identity is a 401, before any stream opens.
      if (!(error instanceof GraphQLError) || error.extensions.code !== ErrorCode.UNAUTHENTICATED) throw error;
      return sendJson(response, 401, refusal(error.message, ErrorCode.UNAUTHENTICATED));
    }
    // Counted from here, so feeds that open at the same moment cannot pass the limit together.
    open.add(response);
    try {
      // The whole request context, as a query's resolvers get it: a subgraph's own subscriptions read more of it than the feed does.
      await stream(response, request, body, Object.assign(subgraphContext, { feed, writable: () => roomIn(response, limits.maxBufferBytes) }));
    } finally {
      open.delete(response);
    }
  };

  /** Runs one request through graphql-sse and writes its answer: an event stream, or a refusal. */
  const stream = async (response: ServerResponse, request: IncomingMessage, body: string, feedContext: ChangeFeedContext) => {
    const [answer, init] = await handler({
      method: request.method ?? 'GET',
      url: request.url ?? '/graphql',
      headers: {
        // graphql-sse recognises an event stream by this exact value; the check above was the tolerant one.
        get: (name: string) => (name.toLowerCase() === 'accept' ? 'text/event-stream' : headerValue(request, name)),
      },
      body: body || null,
      raw: request,
      context: feedContext,
    });
    response.writeHead(init.status ?? 200, init.headers as Record<string, string> | undefined);
    if (!answer || typeof answer === 'string') return void response.end(answer ? withErrorCodes(answer) : undefined);
    // A client that goes away (perhaps while its subscription was being set up) ends it.
    const hangUp = () => void answer.return(undefined);
    response.once('close', hangUp);
    if (response.destroyed) hangUp();
    try {
      // Not waiting for each write to drain: the feed waits for room itself (roomIn), and a stream's other
      // messages (graphql-sse's heartbeat every 12 s, its `complete`) are small.
      for await (const message of answer) {
        if (response.destroyed) break;
        response.write(message);
      }
    } finally {
      response.off('close', hangUp);
      endWithin(response, END_GRACE_MS);
    }
  };

  return {
    intercept,
    async close() {
      closing = true;
      const streams = [...open];
      await feed.close();
      await Promise.all(streams.map((response) => closed(response)));
    },
  };
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * graphql-sse refuses a request it cannot read (a query that does not parse,
 * a body that is not JSON) with HTTP 400 and errors without a code: give
 * them the code every other refused request carries.
 */
function withErrorCodes(answer: string): string {
  try {
    const body = JSON.parse(answer) as { errors?: { extensions?: Record<string, unknown> }[] };
    if (!Array.isArray(body.errors)) return answer;
    for (const error of body.errors) error.extensions = { code: ErrorCode.BAD_REQUEST, ...error.extensions };
    return JSON.stringify(body);
  } catch {
    return answer;
  }
}

function refusal(message: string, code: string) {
  return { errors: [{ message, extensions: { code } }] };
}

/** Ends a stream; a client that no longer reads (its buffer still full) is disconnected after `graceMs`. */
function endWithin(response: ServerResponse, graceMs: number): void {
  if (response.destroyed) return;
  const timer = setTimeout(() => response.destroy(), graceMs).unref();
  response.once('close', () => clearTimeout(timer));
  response.end();
}

function closed(response: ServerResponse): Promise<void> {
  if (response.closed || response.destroyed) return Promise.resolve();
  return new Promise((resolve) => response.once('close', () => resolve()));
}
