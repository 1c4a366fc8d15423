import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError } from 'graphql';
import { schemaDetailsShown } from '@hub/server';

/**
 * What one request may ask of the gateway. Each limit has a default that
 * every operation in examples/ fits well inside, and a setting.
 */
export interface OperationLimits {
  /** Deepest selection (GATEWAY_MAX_DEPTH). */
  maxDepth: number;
  /** Aliases in one document (GATEWAY_MAX_ALIASES). */
  maxAliases: number;
  /** Lexical tokens in one document (GATEWAY_MAX_TOKENS). */
  maxTokens: number;
  /** Directives in one document (GATEWAY_MAX_DIRECTIVES). */
  maxDirectives: number;
  /** Estimated cost of one operation, priced from the supergraph's `@cost`/`@listSize` (GATEWAY_MAX_COST). */
  maxCost: number;
  /**
   * Estimated cost that one operation may ask of each subgraph: a default
   * (SUBGRAPH_MAX_COST, else maxCost) and overrides by name (SUBGRAPH_<NAME>_MAX_COST).
   */
  subgraphMaxCost: { default?: number; bySubgraph?: Record<string, number> };
  /** Wall-clock budget of one request, in ms, subgraph calls included (GATEWAY_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /** Largest answer accepted from a subgraph, in bytes (SUBGRAPH_MAX_RESPONSE_BYTES). */
  maxSubgraphResponseBytes: number;
  /** Request body, in bytes (GATEWAY_MAX_BODY_BYTES). */
  maxBodyBytes: number;
  /** Subscriptions one client (a token's subject, else an address) may hold open at once (GATEWAY_MAX_SUBSCRIPTIONS). */
  maxSubscriptionsPerClient: number;
  /** Subscriptions the gateway holds open in all (GATEWAY_MAX_SUBSCRIPTIONS_TOTAL). */
  maxSubscriptions: number;
  /** How often an open subscription's stream gets a heartbeat, in ms, so proxies keep it open while idle (GATEWAY_SUBSCRIPTION_HEARTBEAT_MS). */
  subscriptionHeartbeatMs: number;
  /**
   * Bytes a subscriber may leave unread before the gateway cuts it off with a
   * reason: a client too slow to keep up is never buffered without bound
   * (GATEWAY_SUBSCRIPTION_MAX_BUFFER_BYTES).
   */
  subscriptionMaxBufferBytes: number;
  /**
   * Schema introspection, and field suggestions in errors (GATEWAY_INTROSPECTION):
   * on unless NODE_ENV=production, where a schema should not be handed out.
   */
  introspection: boolean;
}

export const DEFAULT_LIMITS: OperationLimits = {
  maxDepth: 15,
  maxAliases: 30,
  maxTokens: 3_000,
  maxDirectives: 50,
  // Calibrated on examples/, dashboard questions and the hostile mix (docs/demand-control.md): the
  // dearest example, a depth-2 neighbourhood with its edges, costs 25,500, and an analyst's depth-3
  // neighbourhood with each link's ends about 30,500; a province card with 50 initiatives of 50
  // participants 5,102.
  maxCost: 50_000,
  subgraphMaxCost: {},
  requestTimeoutMs: 15_000,
  maxSubgraphResponseBytes: 32 * 2 ** 20,
  maxBodyBytes: 200_000,
  // A dashboard holds a few live cards; a hundred is a client gone wrong.
  maxSubscriptionsPerClient: 20,
  maxSubscriptions: 10_000,
  // Below the 15 s that the graphql-sse and Apollo clients, and common proxies, tolerate between bytes.
  subscriptionHeartbeatMs: 10_000,
  subscriptionMaxBufferBytes: 2 ** 20,
  introspection: schemaDetailsShown(),
};

const SETTINGS: Record<Exclude<keyof OperationLimits, 'introspection' | 'subgraphMaxCost'>, string> = {
  maxDepth: 'GATEWAY_MAX_DEPTH',
  maxAliases: 'GATEWAY_MAX_ALIASES',
  maxTokens: 'GATEWAY_MAX_TOKENS',
  maxDirectives: 'GATEWAY_MAX_DIRECTIVES',
  maxCost: 'GATEWAY_MAX_COST',
  maxBodyBytes: 'GATEWAY_MAX_BODY_BYTES',
  requestTimeoutMs: 'GATEWAY_REQUEST_TIMEOUT_MS',
  maxSubgraphResponseBytes: 'SUBGRAPH_MAX_RESPONSE_BYTES',
  maxSubscriptionsPerClient: 'GATEWAY_MAX_SUBSCRIPTIONS',
  maxSubscriptions: 'GATEWAY_MAX_SUBSCRIPTIONS_TOTAL',
  subscriptionHeartbeatMs: 'GATEWAY_SUBSCRIPTION_HEARTBEAT_MS',
  subscriptionMaxBufferBytes: 'GATEWAY_SUBSCRIPTION_MAX_BUFFER_BYTES',
};

function positiveWhole(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number; got "${value}".`);
  return n;
}

export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): OperationLimits {
  const limits = { ...DEFAULT_LIMITS, subgraphMaxCost: { bySubgraph: {} as Record<string, number> } as OperationLimits['subgraphMaxCost'] };
  for (const [key, name] of Object.entries(SETTINGS) as [keyof typeof SETTINGS, string][]) {
    const value = env[name];
    if (value !== undefined) limits[key] = positiveWhole(name, value);
  }
  if (env.SUBGRAPH_MAX_COST) limits.subgraphMaxCost.default = positiveWhole('SUBGRAPH_MAX_COST', env.SUBGRAPH_MAX_COST);
  for (const [key, value] of Object.entries(env)) {
    const match = /^SUBGRAPH_([A-Z0-9_]+)_MAX_COST$/.exec(key);
    if (match?.[1] && value) limits.subgraphMaxCost.bySubgraph![match[1].toLowerCase()] = positiveWhole(key, value);
  }
  limits.introspection = schemaDetailsShown(env);
  return limits;
}

/** GraphQL Armor's validation rules and plugins for these limits. */
export function armor(limits: OperationLimits) {
  return new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: limits.maxAliases },
    // Tokens are limited by graphql-js's own parser (parseOptions in gateway.ts), which
    // reports a too-long document as a parse error (400); Armor's plugin re-parses and throws 500s.
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives },
    // Cost is priced from the supergraph's own directives (demandControl below), as other routers price it.
    costLimit: { enabled: false },
    // Suggestions ("Did you mean ...?") would hand out the schema that introspection keeps back:
    // formatError removes every kind of them (fields and enum values alike) in one place.
    blockFieldSuggestion: { enabled: false },
  }).protect();
}

/** Deepest nesting of lists and objects accepted in `variables`. */
const MAX_VARIABLE_DEPTH = 32;

function depthOf(value: unknown, limit: number, depth = 0): number {
  if (depth > limit || value === null || typeof value !== 'object') return depth;
  let deepest = depth;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depthOf(child, limit, depth + 1));
  return deepest;
}

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
}

/**
 * The refusal of a request whose document has no operation of the name it
 * gives, or several and no name.
 */
export function missingOperation(operationName: string | null | undefined): GraphQLError {
  return badRequest(
    operationName
      ? `The document has no operation named ${JSON.stringify(operationName)}.`
      : 'The document has several operations (or none): name the one to run in "operationName".',
  );
}

/** Refuses `variables` nested absurdly deep before anything walks them. */
export function checkVariableDepth(variables: Record<string, unknown>): void {
  if (depthOf(variables, MAX_VARIABLE_DEPTH) > MAX_VARIABLE_DEPTH) {
    throw badRequest(`"variables" are nested more than ${MAX_VARIABLE_DEPTH} levels deep.`);
  }
}

/**
 * A subscription sent as a plain request: it needs a stream to answer on, and
 * the client did not accept one (subscriptions.ts serves both kinds). 406, as
 * Apollo Router answers it.
 */
function streamRequired(): GraphQLError {
  return new GraphQLError(
    'A subscription is answered as a stream: send it with "Accept: text/event-stream" (GraphQL over SSE, a JSON POST or a GET) or ' +
      'as a JSON POST with "Accept: multipart/mixed;subscriptionSpec=1.0" (Apollo\'s multipart subscriptions), as graphql-sse\'s and Apollo\'s clients do.',
    { extensions: { code: 'SUBSCRIPTION_STREAM_REQUIRED', http: { status: 406 } } },
  );
}

/**
 * Requests the gateway cannot plan are the client's mistake, answered 400
 * before any subgraph is called: a missing or ambiguous operation name, an
 * operation type this graph has no root for, variables nested absurdly deep.
 */
export const requestGuard: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, request, schema }) {
        if (!operation) throw missingOperation(request.operationName);
        const root = { query: schema.getQueryType(), mutation: schema.getMutationType(), subscription: schema.getSubscriptionType() }[operation.operation];
        if (!root) throw badRequest(`This graph has no ${operation.operation} operations.`);
        if (operation.operation === 'subscription') throw streamRequired();
        checkVariableDepth(request.variables ?? {});
      },
    };
  },
};
