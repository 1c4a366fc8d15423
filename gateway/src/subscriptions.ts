import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildOperationContext, executeQueryPlan, type ServiceMap } from '@apollo/gateway';
import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type QueryPlan, type SubscriptionNode } from '@apollo/query-planner';
import {
  buildASTSchema,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  OperationTypeNode,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { createHandler, print, type ExecutionResult, type RequestParams } from 'graphql-sse';
import { decodeJwt } from 'jose';
import { formatError, isJsonContentType, logger, REQUEST_ID_HEADER, unauthenticated, type GraphQLExchange, type Interceptor, type Viewer } from '@hub/server';
import type { DemandControl } from './demand-control.js';
import { checkVariableDepth, missingOperation, type OperationLimits } from './limits.js';
import type { GatewayMetrics } from './metrics.js';
import type { SubgraphSource } from './subgraph-source.js';

/**
 * Subscriptions through the gateway. @apollo/gateway plans a subscription
 * (a primary fetch to the subgraph that owns the root field, and the `rest`
 * of the selection) but refuses to run it; this module runs it:
 *
 * 1. it checks the operation as a query is checked (the API schema's rules,
 *    GraphQL Armor's depth/alias/directive limits, demand control's cost,
 *    the bearer token) before any subgraph is called;
 * 2. it opens the primary fetch on the owning subgraph over GraphQL over SSE,
 *    under the subscriber's signed identity (SubgraphSource.subscribe);
 * 3. for each event it runs `rest` with @apollo/gateway's own executor and
 *    the gateway's data sources, seeded with the event as the primary's
 *    answer: the rest of the event's fields are fetched through the graph
 *    as a query's would be, under the same identity, with a fresh deadline;
 * 4. it streams the results in the protocol the client asked for: GraphQL
 *    over SSE (graphql-sse) or Apollo's multipart HTTP subscriptions.
 */

/** The stream protocols a subscription can be answered in, told by the request's Accept header. */
export type Transport = 'sse' | 'multipart';

/**
 * Which stream a client accepts, if any. Tolerant, unlike graphql-sse's exact
 * match: any media range of the list counts, in any case, with parameters;
 * Apollo's clients write `subscriptionSpec` quoted or not.
 */
export function transportOf(accept: string | undefined): Transport | undefined {
  for (const range of accept?.toLowerCase().split(',') ?? []) {
    const [type, ...parameters] = range.split(';').map((part) => part.trim());
    if (type === 'multipart/mixed' && parameters.some((parameter) => parameter.startsWith('subscriptionspec'))) return 'multipart';
    if (type === 'text/event-stream') return 'sse';
  }
  return undefined;
}

/**
 * Events from the owning subgraph that may wait to be resolved before the
 * subscriber is cut off as falling behind. A burst of writes (an agency's
 * import, say) arrives faster than records resolve one by one, so this is
 * room for a burst, not a steady backlog: a few hundred bytes an event.
 */
export const MAX_WAITING_EVENTS = 1_000;
/** How long a stream that was ended may take to drain to its client before its connection is closed regardless. */
const DRAIN_MS = 5_000;
/** Plans kept per supergraph. */
const MAX_PLANS = 500;
/** The longest delay a Node timer takes. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Stands in the plan for the owning subgraph's answer: each event, as it arrives. */
const EVENT_SOURCE = '__subscription_event__';

function refusal(message: string, code: string, status: number, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions, http: { status } } });
}

/** A subscription refused before its stream began: the errors, and the HTTP status a plain answer carries. */
class Refused extends Error {
  constructor(
    readonly errors: readonly GraphQLError[],
    readonly status: number,
  ) {
    super(errors[0]?.message);
  }

  static from(error: GraphQLError): Refused {
    const status = (error.extensions.http as { status?: number } | undefined)?.status ?? 400;
    return new Refused([error], status);
  }
}

/** An error as a client reads it, formatted as Apollo Server formats one: always a code, never an HTTP status or a stack. */
function formatted(error: GraphQLError): GraphQLFormattedError {
  const { http: _http, stacktrace: _stacktrace, ...extensions } = error.extensions;
  return formatError({ ...error.toJSON(), extensions: { ...extensions, code: extensions.code ?? 'INTERNAL_SERVER_ERROR' } }, error);
}

/**
 * Whether an error is a GraphQLError: the executor's come from its copy of
 * graphql-js, which may not be this module's (see SupergraphPlan), so they
 * are known by name.
 */
const isGraphQLError = (error: unknown): error is GraphQLError => error instanceof Error && error.name === 'GraphQLError';

/** An error as a client may see it: a GraphQLError as it is, anything else as an internal error. */
function asGraphQLError(error: unknown): GraphQLError {
  return isGraphQLError(error) ? error : new GraphQLError('Internal server error', { originalError: error as Error });
}

/** One supergraph as subscriptions are checked and planned against it. */
class SupergraphPlan {
  readonly apiSchema: Schema;
  /** The API schema for this module's graphql-js functions: validation, variables. */
  readonly api: GraphQLSchema;
  /** The API and supergraph schemas for @apollo/gateway's executor. */
  readonly executorApi: GraphQLSchema;
  readonly supergraphSchema: GraphQLSchema;
  private readonly planner: QueryPlanner;
  /** Plans by operation: a dashboard's many subscribers ask the same subscription. */
  private readonly plans = new Map<string, SubscriptionNode>();

  constructor(sdl: string) {
    // The gateway validated this supergraph when it loaded it.
    const supergraph = Supergraph.build(sdl, { validateSupergraph: false });
    this.apiSchema = supergraph.apiSchema();
    // Two copies of graphql-js can be loaded (Apollo's packages load the CommonJS one; a test runner may hand
    // this module the ES one), and a schema works only with the copy that built it: each side builds its own.
    this.api = buildASTSchema(this.apiSchema.toAST());
    this.executorApi = this.apiSchema.toGraphQLJSSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.planner = new QueryPlanner(supergraph);
  }

  /** The primary fetch and the rest of a subscription, as @apollo/query-planner plans it. */
  plan(query: string, document: DocumentNode, operationName: string | undefined): SubscriptionNode {
    const key = `${operationName ?? ''}\n${query}`;
    let node = this.plans.get(key);
    if (!node) {
      const plan = this.planner.buildQueryPlan(operationFromDocument(this.apiSchema, document, { operationName }));
      if (plan.node?.kind !== 'Subscription') throw new Error(`a subscription was planned as ${plan.node?.kind ?? 'nothing'}`);
      if (this.plans.size >= MAX_PLANS) this.plans.clear();
      this.plans.set(key, (node = plan.node));
    }
    return node;
  }
}

/**
 * The events of one subscription that wait to be resolved, in order. Bounded:
 * when the owning subgraph sends faster than the graph resolves, the
 * subscriber is cut off with a reason rather than buffered without end.
 */
class WaitingEvents {
  private readonly events: FormattedExecutionResult[] = [];
  private ended = false;
  private failure: GraphQLError | undefined;
  private wake: (() => void) | undefined;

  push(event: FormattedExecutionResult): void {
    if (this.ended) return;
    if (this.events.length >= MAX_WAITING_EVENTS) {
      const message =
        `Events arrived faster than the gateway could resolve their fields (more than ${MAX_WAITING_EVENTS} waiting). ` +
        'Subscribe again, asking for fewer fields.';
      return this.abort(new GraphQLError(message, { extensions: { code: 'SUBSCRIPTION_BACKLOG' } }));
    }
    this.events.push(event);
    this.wake?.();
  }

  /** Ends the stream once the events that arrived are resolved: with `failure` if given. */
  end(failure?: GraphQLError): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = failure;
    this.wake?.();
  }

  /** Ends the stream now, dropping the events that wait. */
  abort(failure?: GraphQLError): void {
    this.events.length = 0;
    this.end(failure);
  }

  /** The next event; undefined once the stream has ended, or the error it ended with. */
  async next(): Promise<FormattedExecutionResult | undefined> {
    while (this.events.length === 0 && !this.ended) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
    const event = this.events.shift();
    if (event) return event;
    if (this.failure) throw this.failure;
    return undefined;
  }
}

/** What a checked subscription runs with. */
interface Checked {
  plan: SupergraphPlan;
  document: DocumentNode;
  request: RequestParams;
  viewer: Viewer;
  /** The client's Authorization header, verified: passed on so each subgraph reads the user's token itself. */
  authorization: string | undefined;
  requestId: string;
  /** Who holds it, for the per-client cap: the token's subject, else the address it came from. */
  client: string;
  /** When the subscriber's token expires, in ms since the epoch. */
  expiresAt: number | undefined;
}

/** One running subscription: the owning subgraph's stream in, each event resolved through the graph out. */
class Subscription {
  private readonly waiting = new WaitingEvents();
  private readonly seeded: QueryPlan;
  private readonly operationContext: ReturnType<typeof buildOperationContext>;
  private closeUpstream: (() => void) | undefined;
  private expiry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly checked: Checked,
    private readonly node: SubscriptionNode,
    private readonly sources: ReadonlyMap<string, SubgraphSource>,
    private readonly limits: OperationLimits,
    private readonly metrics: GatewayMetrics,
    private readonly release: () => void,
  ) {
    // The primary fetch answered by each event in turn, then the rest of the plan as for a query.
    const primary = { ...node.primary, serviceName: EVENT_SOURCE, operationKind: OperationTypeNode.QUERY };
    this.seeded = { kind: 'QueryPlan', node: { kind: 'Sequence', nodes: node.rest ? [primary, node.rest] : [primary] } };
    const { plan, document, request } = checked;
    this.operationContext = buildOperationContext({ schema: plan.executorApi, operationDocument: document, operationName: request.operationName });
  }

  /** Opens the owning subgraph's stream; resolves once it is accepted, or throws the error naming the subgraph. */
  async open(): Promise<void> {
    const { primary } = this.node;
    const source = this.sources.get(primary.serviceName);
    if (!source) {
      const message = `The ${primary.serviceName} subgraph is not served by this gateway.`;
      throw new GraphQLError(message, { extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: primary.serviceName } });
    }
    const given = this.checked.request.variables ?? {};
    const variables = Object.fromEntries((primary.variableUsages ?? []).filter((name) => Object.hasOwn(given, name)).map((name) => [name, given[name]]));
    const { viewer, authorization, requestId, expiresAt } = this.checked;
    const operation = { query: primary.operation, variables, ...(primary.operationName ? { operationName: primary.operationName } : {}) };
    this.closeUpstream = await source.subscribe(operation, { viewer, authorization, requestId }, {
      next: (event) => this.waiting.push(event),
      error: (error) => this.waiting.end(asGraphQLError(error)),
      complete: () => this.waiting.end(),
    });
    // The client may have left while the subgraph was accepting the stream.
    if (this.stopped) return this.closeUpstream();
    if (expiresAt !== undefined) this.expireAt(expiresAt);
  }

  /** A subscriber whose token expires sees no more: not even the events that were waiting. */
  private expireAt(expiresAt: number): void {
    const left = expiresAt - Date.now();
    // A timer waits at most about 24 days; a token that lives longer is looked at again then.
    if (left > MAX_TIMER_MS) this.expiry = setTimeout(() => this.expireAt(expiresAt), MAX_TIMER_MS);
    else this.expiry = setTimeout(() => this.waiting.abort(unauthenticated('The token has expired: subscribe again with a new one.')), left);
  }

  /** Each event with the rest of its fields, in order; throws the error the stream ended with. */
  async *results(): AsyncGenerator<FormattedExecutionResult> {
    try {
      for (let event = await this.waiting.next(); event; event = await this.waiting.next()) {
        const result = await this.resolve(event);
        this.metrics.subscriptionEvent();
        yield result;
      }
    } finally {
      this.stop();
    }
  }

  /** Ends the subscription: the owning subgraph's stream is closed and the client's place is freed. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.expiry);
    this.waiting.abort();
    this.closeUpstream?.();
    this.release();
  }

  /** One event resolved through the graph, as the query that asks the same of the event's entities would be. */
  private async resolve(event: FormattedExecutionResult): Promise<FormattedExecutionResult> {
    const { plan, document, request, viewer, authorization, requestId } = this.checked;
    const serviceMap: ServiceMap = Object.fromEntries(this.sources);
    serviceMap[EVENT_SOURCE] = { process: async () => event as Awaited<ReturnType<SubgraphSource['process']>> };
    // Each event has the time a request has, and asks the subgraphs as the subscriber.
    const context = { requestId, viewer, authorization, deadline: AbortSignal.timeout(this.limits.requestTimeoutMs) };
    // What the executor reads of Apollo's request context; `metrics` it must have.
    const requestContext = {
      request: { query: request.query, variables: request.variables ?? {}, operationName: request.operationName },
      document,
      operationName: request.operationName ?? null,
      context,
      metrics: {},
      logger,
    } as unknown as Parameters<typeof executeQueryPlan>[2];
    try {
      const result = await executeQueryPlan(this.seeded, serviceMap, requestContext, this.operationContext, plan.supergraphSchema, plan.apiSchema);
      return { data: result.data ?? null, ...(result.errors?.length ? { errors: result.errors.map((error) => formatted(asGraphQLError(error))) } : {}) };
    } catch (error) {
      return { data: null, errors: [formatted(asGraphQLError(error))] };
    }
  }
}

/** How a stream is written in one protocol. */
interface Framing {
  /** Written as soon as the stream is accepted, so clients and proxies see it begin. */
  opening: string;
  heartbeat: string;
  /** The last words of a stream that ends with an error. */
  failure(errors: GraphQLFormattedError[]): string;
  /** The last words of a stream that ends well. */
  end: string;
}

/** GraphQL over SSE (graphql-sse): events are framed by graphql-sse itself; comments keep the stream alive. */
const SSE: Framing = {
  opening: ':\n\n',
  heartbeat: ':\n\n',
  // A formatted error is what goes over the wire, whatever graphql-sse's types say.
  failure: (errors) => print({ event: 'next', data: { errors } as unknown as ExecutionResult }) + print({ event: 'complete', data: null }),
  // graphql-sse writes the `complete` event of a stream that ends well.
  end: '',
};

/**
 * Apollo's multipart HTTP subscriptions: every part is followed at once by
 * the next delimiter (Apollo Client hands a part on only when it sees one),
 * `{}` parts are heartbeats, and a fatal error is `{payload: null, errors}`.
 */
const part = (body: unknown) => `\r\ncontent-type: application/json\r\n\r\n${JSON.stringify(body)}\r\n--graphql`;
const MULTIPART: Framing = {
  opening: '\r\n--graphql',
  heartbeat: part({}),
  failure: (errors) => `${part({ payload: null, errors })}--\r\n`,
  end: '--\r\n',
};

/** What every stream is sent with: kept by no cache, and passed on by proxies (nginx) as it comes, not buffered. */
const STREAM_HEADERS = { 'cache-control': 'no-store', 'x-accel-buffering': 'no' };

/** Why a stream ended, as /metrics counts it: `complete`, `client` (it left), or the code of the error it ended with. */
type EndReason = string;

/**
 * One client's stream: heartbeats while idle, and never more than
 * `subscriptionMaxBufferBytes` left unread: a client that reads too slowly is
 * cut off with a reason. However it ends, `onEnd` runs once.
 */
class Stream {
  private ended = false;
  private readonly heartbeat: NodeJS.Timeout;
  /** Settles when the connection is done with: drained and finished, or closed. */
  readonly closed: Promise<void>;

  constructor(
    private readonly response: ServerResponse,
    private readonly framing: Framing,
    private readonly limits: OperationLimits,
    private readonly onEnd: (reason: EndReason) => void,
  ) {
    this.closed = new Promise((resolve) => response.once('close', resolve));
    response.once('close', () => this.clientLeft());
    response.write(framing.opening);
    this.heartbeat = setInterval(() => this.write(framing.heartbeat), limits.subscriptionHeartbeatMs);
  }

  clientLeft(): void {
    this.stop('client');
  }

  /**
   * Writes a chunk, unless the client has left more than the bound unread
   * from earlier writes (one large event alone never counts against it):
   * then the stream ends with the reason instead. False once it has ended.
   */
  write(chunk: string): boolean {
    if (this.ended) return false;
    if (this.response.writableLength > this.limits.subscriptionMaxBufferBytes) {
      const message =
        `The stream was cut: the client left more than ${this.limits.subscriptionMaxBufferBytes} bytes unread. ` +
        'Read events as they arrive, and subscribe again.';
      this.fail(new GraphQLError(message, { extensions: { code: 'SLOW_CONSUMER' } }));
      return false;
    }
    if (chunk) this.response.write(chunk);
    return true;
  }

  end(): void {
    this.stop('complete', this.framing.end);
  }

  fail(error: GraphQLError): void {
    this.stop(String(error.extensions.code ?? 'INTERNAL_SERVER_ERROR'), this.framing.failure([formatted(error)]));
  }

  private stop(reason: EndReason, lastWords?: string): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.heartbeat);
    if (lastWords !== undefined && !this.response.destroyed) {
      this.response.end(lastWords);
      // A client that does not read would keep the connection, and its buffer, for ever.
      const drain = setTimeout(() => this.response.destroy(), DRAIN_MS);
      this.response.once('close', () => clearTimeout(drain));
    }
    this.onEnd(reason);
  }
}

export interface SubscriptionServerOptions {
  limits: OperationLimits;
  metrics: GatewayMetrics;
  /** The gateway's data sources by subgraph name, as buildService makes them: the same calls, identity and limits as queries. */
  sources: ReadonlyMap<string, SubgraphSource>;
  verifyBearer: (authorization: string | string[] | undefined) => Promise<Viewer>;
  /** The validation rules queries get beyond graphql-js's own (GraphQL Armor's limits). */
  validationRules: readonly ValidationRule[];
  demandControl: DemandControl;
}

/** A subscription as a request asked for it. */
interface Asked {
  request: IncomingMessage;
  requestId: string;
  params: RequestParams;
  document: DocumentNode;
}

/** What graphql-sse's handler carries for one request. */
interface SseContext {
  asked: Asked;
  /** The subscription once it started; none when it was refused. */
  subscription?: Subscription;
}

/**
 * Serves subscriptions at /graphql beside Apollo Server: a request that
 * accepts a stream and carries a subscription is answered here; anything
 * else, queries and mutations whatever they accept included, goes on to
 * Apollo.
 */
export class SubscriptionServer {
  private sdl: string | undefined;
  private built: SupergraphPlan | undefined;
  private readonly streams = new Set<Stream>();
  private readonly perClient = new Map<string, number>();
  private open = 0;
  private closing = false;
  private readonly log = logger.child({ part: 'gateway' });
  private readonly sse = createHandler<IncomingMessage, SseContext>({
    // Distinct connections only: one stream per subscription, closed to unsubscribe.
    authenticate: () => null,
    onSubscribe: async ({ context }) => {
      try {
        context.subscription = await this.start(context.asked);
        // Results go out as JSON: formatted, whatever graphql-sse's types say.
        return context.subscription.results() as AsyncGenerator<ExecutionResult>;
      } catch (error) {
        // Said as the stream's only event, as graphql-sse says a validation error: its client does not retry it.
        const errors = error instanceof Refused ? error.errors : [asGraphQLError(error)];
        // graphql-sse recognises a result by its `data` key; undefined leaves it out of the JSON, as a refusal has none.
        return { data: undefined, errors: errors.map(formatted) } as unknown as ExecutionResult;
      }
    },
  });

  constructor(private readonly options: SubscriptionServerOptions) {}

  /** Plans against the supergraph being served from now on; subscriptions already open keep theirs. */
  useSupergraph(sdl: string): void {
    this.sdl = sdl;
    this.built = undefined;
  }

  /** Wraps the gateway's interceptor: subscriptions asked for as a stream are answered here, everything else by `inner`. */
  interceptor<Context>(inner: Interceptor<Context>): Interceptor<Context> {
    return async (exchange, execute) => {
      const transport = transportOf(exchange.request.headers.accept);
      const asked = transport && this.subscriptionIn(exchange);
      if (!asked) return inner(exchange, execute);
      if (transport === 'sse') return this.serveSse(exchange, asked);
      return this.serveMultipart(exchange, asked);
    };
  }

  /** Ends every stream, each with a reason its client can act on, and refuses new ones; resolves once they are closed. */
  async close(): Promise<void> {
    this.closing = true;
    const streams = [...this.streams];
    for (const stream of streams) stream.fail(shuttingDown());
    await Promise.all(streams.map((stream) => stream.closed));
  }

  /**
   * The subscription a request carries; undefined for any other operation,
   * and for a request that is not well formed, which Apollo refuses as it
   * refuses any.
   */
  private subscriptionIn({ request, response, url, body }: GraphQLExchange): Asked | undefined {
    const params = paramsOf(request, url, body);
    if (!params) return undefined;
    let document: DocumentNode;
    try {
      document = parse(params.query, { maxTokens: this.options.limits.maxTokens });
    } catch {
      return undefined;
    }
    if (getOperationAST(document, params.operationName)?.operation !== OperationTypeNode.SUBSCRIPTION) return undefined;
    return { request, requestId: String(response.getHeader(REQUEST_ID_HEADER) ?? ''), params, document };
  }

  private supergraph(): SupergraphPlan {
    if (!this.sdl) throw refusal('The gateway has not loaded its supergraph yet; try again shortly.', 'SUPERGRAPH_NOT_LOADED', 503);
    // Built when the first subscription after a switch needs it: a gateway that serves none never builds it.
    return (this.built ??= new SupergraphPlan(this.sdl));
  }

  /** GraphQL over SSE, through graphql-sse's own handler and framing, on the body the server read within its bound. */
  private async serveSse({ request, response, body }: GraphQLExchange, asked: Asked): Promise<void> {
    const context: SseContext = { asked };
    try {
      const [events, init] = await this.sse({
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        // graphql-sse takes only an exact `text/event-stream`; transportOf has read the header more tolerantly.
        headers: { get: (name) => (name === 'accept' ? 'text/event-stream' : [request.headers[name] ?? []].flat().join(', ') || null) },
        body: body || null,
        raw: request,
        context,
      });
      if (typeof events === 'string' || !events) {
        // graphql-sse's own refusals of a request it cannot read.
        response.writeHead(init.status, { 'content-type': 'application/json; charset=utf-8' });
        return void response.end(JSON.stringify(codedRefusal(events, init.status)));
      }
      // Not graphql-sse's `connection: keep-alive`: the server keeps or closes the connection as the client asked.
      const { connection: _connection, ...headers } = init.headers ?? {};
      response.writeHead(init.status, { ...headers, ...STREAM_HEADERS });
      const { subscription } = context;
      if (!subscription) {
        // Refused: the refusal is the stream's only event.
        for await (const chunk of events) response.write(chunk);
        return void response.end();
      }
      const stream = this.stream(response, SSE, 'sse', () => {
        subscription.stop();
        void events.return(undefined).catch(() => undefined);
      });
      try {
        for await (const chunk of events) {
          // graphql-sse's own keep-alive comments: the stream writes heartbeats of its own, at the configured pace.
          if (chunk !== SSE.heartbeat && !stream.write(chunk)) return;
        }
        stream.end();
      } catch (error) {
        stream.fail(asGraphQLError(error));
      }
    } finally {
      context.subscription?.stop();
    }
  }

  /** Apollo's multipart subscriptions. */
  private async serveMultipart({ request, response }: GraphQLExchange, asked: Asked): Promise<void> {
    let subscription: Subscription;
    try {
      subscription = await this.start(asked);
    } catch (error) {
      const refused = error instanceof Refused ? error : new Refused([asGraphQLError(error)], 500);
      // Apollo's clients read a JSON answer as the only result; with graphql-response+json, whatever its status.
      const json = /application\/graphql-response\+json/i.test(request.headers.accept ?? '');
      response.writeHead(refused.status, { 'content-type': `${json ? 'application/graphql-response+json' : 'application/json'}; charset=utf-8` });
      return void response.end(JSON.stringify({ errors: refused.errors.map(formatted) }));
    }
    response.writeHead(200, { 'content-type': 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0', ...STREAM_HEADERS });
    const stream = this.stream(response, MULTIPART, 'multipart', () => subscription.stop());
    try {
      for await (const result of subscription.results()) {
        if (!stream.write(part({ payload: result }))) break;
      }
      stream.end();
    } catch (error) {
      stream.fail(asGraphQLError(error));
    } finally {
      subscription.stop();
    }
  }

  /** A stream counted in the metrics and ended on shutdown; `onEnd` runs once, however it ends. */
  private stream(response: ServerResponse, framing: Framing, transport: Transport, onEnd: () => void): Stream {
    const { metrics } = this.options;
    metrics.subscriptionOpened(transport);
    const stream = new Stream(response, framing, this.options.limits, (reason) => {
      this.streams.delete(stream);
      metrics.subscriptionEnded(transport, reason);
      if (reason !== 'complete' && reason !== 'client') this.log.info({ requestId: response.getHeader(REQUEST_ID_HEADER), transport, reason }, 'subscription ended');
      onEnd();
    });
    this.streams.add(stream);
    // A client that left while its subscription was being checked and opened: its 'close' has passed.
    if (!response.socket || response.socket.destroyed) stream.clientLeft();
    return stream;
  }

  /**
   * Checks a subscription as a query is checked, takes a place for it within
   * the caps, and opens it on its owning subgraph: throws Refused otherwise.
   */
  private async start(asked: Asked): Promise<Subscription> {
    if (this.closing) throw Refused.from(shuttingDown());
    let checked: Checked;
    let node: SubscriptionNode;
    try {
      checked = await this.check(asked);
      node = checked.plan.plan(asked.params.query, asked.document, asked.params.operationName);
    } catch (error) {
      throw isGraphQLError(error) ? Refused.from(error) : error;
    }
    const release = this.reserve(checked.client);
    const subscription = new Subscription(checked, node, this.options.sources, this.options.limits, this.options.metrics, release);
    try {
      await subscription.open();
    } catch (error) {
      subscription.stop();
      // The owning subgraph would not take it: a bad gateway, in HTTP's words.
      throw isGraphQLError(error) ? new Refused([error], 502) : error;
    }
    return subscription;
  }

  /** The checks a query gets, in the order Apollo Server makes them; throws the first that fails. */
  private async check({ request, requestId, params, document }: Asked): Promise<Checked> {
    const { demandControl, validationRules } = this.options;
    const authorization = request.headers.authorization;
    const viewer = await this.options.verifyBearer(authorization);
    const plan = this.supergraph();
    const invalid = validate(plan.api, document, [...specifiedRules, ...validationRules]);
    if (invalid.length) throw new Refused(invalid.map((error) => coded(error, 'GRAPHQL_VALIDATION_FAILED')), 400);
    const operation = getOperationAST(document, params.operationName);
    if (!operation) throw missingOperation(params.operationName);
    const variables = params.variables ?? {};
    checkVariableDepth(variables);
    const coerced = getVariableValues(plan.api, operation.variableDefinitions ?? [], variables, { maxErrors: 10 });
    if (coerced.errors) throw new Refused(coerced.errors.map((error) => coded(error, 'BAD_USER_INPUT')), 400);
    demandControl.check(plan.api, document, operation, variables);
    return {
      plan,
      document,
      request: params,
      viewer,
      authorization,
      requestId,
      client: viewer ? `user:${viewer.user}` : `address:${request.socket.remoteAddress ?? 'unknown'}`,
      expiresAt: authorization && viewer ? expiryOf(authorization) : undefined,
    };
  }

  /** Takes a place for a client's subscription within the caps; the function returned gives it back. */
  private reserve(client: string): () => void {
    const { maxSubscriptionsPerClient, maxSubscriptions } = this.options.limits;
    const held = this.perClient.get(client) ?? 0;
    if (held >= maxSubscriptionsPerClient) {
      const message = `This client already holds ${held} open subscriptions, the most one client may (GATEWAY_MAX_SUBSCRIPTIONS); close one first.`;
      throw Refused.from(refusal(message, 'TOO_MANY_SUBSCRIPTIONS', 429, { max: maxSubscriptionsPerClient }));
    }
    if (this.open >= maxSubscriptions) {
      const message = `The gateway holds as many subscriptions as it may (${maxSubscriptions}); try again later.`;
      throw Refused.from(refusal(message, 'TOO_MANY_SUBSCRIPTIONS', 503, { max: maxSubscriptions }));
    }
    this.perClient.set(client, held + 1);
    this.open += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.open -= 1;
      const left = (this.perClient.get(client) ?? 1) - 1;
      if (left > 0) this.perClient.set(client, left);
      else this.perClient.delete(client);
    };
  }
}

function shuttingDown(): GraphQLError {
  return refusal('The gateway is shutting down: subscribe again to go on.', 'SHUTTING_DOWN', 503);
}

/** A graphql-js error (validation, variables) with the code Apollo Server gives its kind. */
function coded(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, extensions: { ...error.extensions, code } });
}

/**
 * The operation a request carries, as GraphQL over HTTP sends one: a JSON
 * POST, or a GET's query string (EventSource); undefined when it is not
 * well formed.
 */
function paramsOf(request: IncomingMessage, url: URL, body: string): RequestParams | undefined {
  let given: Record<string, unknown>;
  try {
    if (request.method === 'POST' && isJsonContentType(request.headers['content-type'])) {
      given = JSON.parse(body) as Record<string, unknown>;
    } else if (request.method === 'GET') {
      const variables = url.searchParams.get('variables');
      given = { query: url.searchParams.get('query'), operationName: url.searchParams.get('operationName'), variables: variables && JSON.parse(variables) };
    } else {
      return undefined;
    }
  } catch {
    return undefined;
  }
  const { query, variables, operationName } = given ?? {};
  if (typeof query !== 'string') return undefined;
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return undefined;
  return { query, ...(variables ? { variables: variables as Record<string, unknown> } : {}), ...(typeof operationName === 'string' ? { operationName } : {}) };
}

/** When a bearer token that verified expires, in ms since the epoch. */
function expiryOf(authorization: string): number | undefined {
  const token = /^Bearer +(\S+)$/i.exec(authorization.trim())?.[1];
  const exp = token ? decodeJwt(token).exp : undefined;
  return exp === undefined ? undefined : exp * 1000;
}

/** graphql-sse's refusal of a malformed request, with the code every error of the hub carries. */
function codedRefusal(body: string | null | undefined, status: number): { errors: GraphQLFormattedError[] } {
  let message = `The stream request was refused (HTTP ${status}).`;
  try {
    const said = (JSON.parse(body ?? '') as { errors?: { message?: unknown }[] }).errors?.[0]?.message;
    if (typeof said === 'string') message = said;
  } catch {
    // Not JSON: the status says enough.
  }
  return { errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] };
}
