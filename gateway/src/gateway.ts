import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { unwatchFile, watchFile } from 'node:fs';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloGateway, type SupergraphSdlHook } from '@apollo/gateway';
import { Kind, parse } from 'graphql';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { authFromEnv, bearerVerifier, formatError, isDevelopment, logger, serveApollo, type AuthOptions, type Route, type Served, type Viewer } from '@hub/server';
import { AGENCIES } from '@hub/domain/actors';
import { ChangeListener } from './change-listener.js';
import { exportRoute } from './export.js';
import { healthRoutes } from './health.js';
import { ideRoute } from './ide.js';
import { DemandControl } from './demand-control.js';
import { armor, limitsFromEnv, requestGuard, type OperationLimits } from './limits.js';
import { GatewayMetrics } from './metrics.js';
import { DEFAULT_SUBGRAPH_TIMEOUT_MS, SubgraphSource, subgraphTimeoutsFromEnv } from './subgraph-source.js';
import { ResponseCache, responseCacheFromEnv, type CacheableContext, type ResponseCacheOptions } from './response-cache.js';
import { SubscriptionServer } from './subscriptions.js';

export { subgraphTimeoutsFromEnv } from './subgraph-source.js';
export { DEFAULT_LIMITS, limitsFromEnv, type OperationLimits } from './limits.js';
export { MAX_WAITING_EVENTS } from './subscriptions.js';
export { COST_HEADER, type CostExtension } from './demand-control.js';
export { estimateCost, PriceList, type CostReport } from './cost.js';
export { DEFAULT_RESPONSE_CACHE, ResponseCache, responseCacheFromEnv, type ResponseCacheOptions } from './response-cache.js';

export interface GatewayOptions {
  /**
   * The composed supergraph: its SDL, or a file (`schema/supergraph.graphql`)
   * that the gateway watches and switches to when it changes, without a restart.
   */
  supergraph: { sdl: string } | { path: string; watch?: boolean; pollIntervalMs?: number };
  /** Where the gateway reports the supergraph it serves, each switch, and refusals; `details` holds the same facts as fields. */
  log?: (message: string, details?: Record<string, unknown>) => void;
  /**
   * Where each subgraph really is, by subgraph name. Production hosts differ
   * from the routing URLs composed on a laptop; a name not listed keeps the
   * supergraph's routing URL.
   */
  subgraphUrls?: Record<string, string>;
  /** What one request may ask (depth, aliases, tokens, cost, time, body size, introspection); from the GATEWAY_* settings by default. */
  limits?: OperationLimits;
  /** How long to wait for each subgraph, in ms: a default, and overrides by subgraph name; from SUBGRAPH_*TIMEOUT_MS by default. */
  subgraphTimeouts?: { default?: number; bySubgraph?: Record<string, number> };
  /** How bearer tokens are verified; from the environment (HUB_JWT_SECRET, HUB_JWKS_URL) by default. */
  auth?: AuthOptions;
  /** Answers to anonymous queries served again for a short time; from the environment (GATEWAY_CACHE_TTL_MS) by default. */
  responseCache?: ResponseCacheOptions;
}

/** Subgraph addresses from `SUBGRAPH_<NAME>_URL` variables, e.g. `SUBGRAPH_PEOPLE_URL`. */
export function subgraphUrlsFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key);
    if (match?.[1] && value) urls[match[1].toLowerCase()] = value;
  }
  return urls;
}

/**
 * Serves a supergraph file and follows it: when the file changes, the gateway
 * builds the new schema beside the old one and swaps it in, so requests in
 * flight finish on the schema they started with. A file that does not load
 * (a bad edit, a half-written file) leaves the old schema serving, and says why.
 */
function supergraphFile(path: string, watch: boolean, pollIntervalMs: number, log: (message: string) => void): SupergraphSdlHook {
  return async ({ update }) => {
    let current = await readFile(path, 'utf8');
    if (!watch) return { supergraphSdl: current };
    const onChange = async () => {
      const next = await readFile(path, 'utf8').catch((error: Error) => {
        log(`supergraph ${path} could not be read (${error.message}); still serving the previous one.`);
        return current;
      });
      if (next === current) return;
      try {
        // The switch itself is logged as the gateway takes the new schema (logSupergraphSwitches).
        update(next);
        current = next;
      } catch (error) {
        log(`supergraph ${path} changed but does not load; still serving the previous one. ${(error as Error).message}`);
      }
    };
    // Polling, not fs.watch: it sees files replaced by editors and by `npm run compose` alike.
    watchFile(path, { interval: pollIntervalMs, persistent: false }, () => void onChange());
    return { supergraphSdl: current, cleanup: async () => unwatchFile(path) };
  };
}

/** A supergraph as a log line names it: the start of its SHA-256 (Apollo's composition id) and its subgraphs. */
interface SupergraphSummary {
  sha256: string;
  subgraphs: string[];
}

function summarize(supergraphSdl: string): SupergraphSummary {
  // The supergraph names its subgraphs once each: `enum join__Graph { PEOPLE @join__graph(name: "people", url: "…") … }`.
  const subgraphs: string[] = [];
  for (const definition of parse(supergraphSdl, { noLocation: true }).definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const directive of (definition.values ?? []).flatMap((value) => value.directives ?? [])) {
      const name = directive.name.value === 'join__graph' ? directive.arguments?.find((argument) => argument.name.value === 'name')?.value : undefined;
      if (name?.kind === Kind.STRING) subgraphs.push(name.value);
    }
  }
  return { sha256: createHash('sha256').update(supergraphSdl).digest('hex').slice(0, 12), subgraphs: subgraphs.sort() };
}

const listed = (names: string[]) => (names.length ? names.join(', ') : 'none');

/**
 * Says which supergraph the gateway serves once it has loaded, and on every
 * switch which one it switched from and to: an operator reading the log sees
 * when a composed change reached the gateway and which subgraphs came or went.
 */
function logSupergraphSwitches(source: string, log: (message: string, details?: Record<string, unknown>) => void) {
  let served: SupergraphSummary | undefined;
  return (supergraphSdl: string) => {
    const next = summarize(supergraphSdl);
    const now = `${next.subgraphs.length} subgraphs (${listed(next.subgraphs)})`;
    if (!served) {
      log(`supergraph ${source} (sha256 ${next.sha256}) loaded: serving ${now}.`, { supergraph: source, sha256: next.sha256, subgraphs: next.subgraphs });
    } else {
      const before = served;
      const added = next.subgraphs.filter((name) => !before.subgraphs.includes(name));
      const removed = before.subgraphs.filter((name) => !next.subgraphs.includes(name));
      log(
        `supergraph ${source} changed (sha256 ${before.sha256} → ${next.sha256}): now serving the new one, ` +
          `${now}, was ${before.subgraphs.length}; added: ${listed(added)}; removed: ${listed(removed)}.`,
        { supergraph: source, from: before, to: next, added, removed },
      );
    }
    served = next;
  };
}

export interface GatewayContext extends CacheableContext {
  requestId: string;
  /** Who the bearer token says is asking; null when no token was sent. */
  viewer: Viewer;
  /** The Authorization header as the client sent it, verified: each subgraph reads the user's token from it again. */
  authorization?: string;
  /** Aborts when the request's wall-clock budget runs out: subgraph calls still waiting are cut short. */
  deadline: AbortSignal;
}

export interface Gateway {
  apollo: ApolloServer;
  /** The routes beside /graphql: health, readiness, metrics, exports. */
  routes: Route[];
  limits: OperationLimits;
  metrics: GatewayMetrics;
  responseCache: ResponseCache;
  /** Subscriptions, answered as streams beside Apollo (subscriptions.ts). */
  subscriptions: SubscriptionServer;
  /** The context of each request: its id and the verified identity; the id and the user's token are passed on to the subgraphs. */
  context: (request: IncomingMessage, requestId: string) => Promise<GatewayContext>;
}

/** The hub's gateway: @apollo/gateway over the supergraph, inside Apollo Server, not yet listening. */
export function createGateway(options: GatewayOptions): Gateway {
  const gatewayLog = logger.child({ part: 'gateway' });
  const log = options.log ?? ((message: string, details?: Record<string, unknown>) => gatewayLog.info(details ?? {}, message));
  const metrics = new GatewayMetrics();
  const { supergraph } = options;
  // The subgraphs of the supergraph being served, with the addresses actually called.
  const subgraphs = new Map<string, string>();
  // Their data sources, for subscriptions to fetch each event's fields with, as queries do.
  const sources = new Map<string, SubgraphSource>();
  // The gateway verifies each token to refuse a bad one before any work; the subgraphs verify it again and apply their rules.
  const verifyBearer = bearerVerifier(options.auth ?? authFromEnv(), AGENCIES);
  const responseCache = new ResponseCache(options.responseCache ?? responseCacheFromEnv());
  const limits = options.limits ?? limitsFromEnv();
  const subgraphTimeouts = options.subgraphTimeouts ?? subgraphTimeoutsFromEnv();
  const demandControl = new DemandControl(limits, metrics);
  const logSwitch = logSupergraphSwitches('path' in supergraph ? supergraph.path : '(given as SDL)', log);
  // @apollo/gateway reports usage data to Apollo (OpenTelemetry metrics, with
  // cloud metadata lookups) unless told not to; the hub sends nothing off its
  // machine unless its operator asks, so it is off unless set otherwise.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const gateway = new ApolloGateway({
    supergraphSdl:
      'sdl' in supergraph
        ? supergraph.sdl
        : supergraphFile(supergraph.path, supergraph.watch ?? true, supergraph.pollIntervalMs ?? 1000, log),
    buildService: ({ name, url }) => {
      const address = options.subgraphUrls?.[name] ?? url!;
      subgraphs.set(name, address);
      const timeout = subgraphTimeouts.bySubgraph?.[name] ?? subgraphTimeouts.default ?? DEFAULT_SUBGRAPH_TIMEOUT_MS;
      const source = new SubgraphSource(name, address, { timeoutMs: timeout, maxResponseBytes: limits.maxSubgraphResponseBytes }, metrics);
      sources.set(name, source);
      return source;
    },
  });
  // Prices come from the supergraph being served, and change with it.
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => demandControl.useSupergraph(coreSupergraphSdl));
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => logSwitch(coreSupergraphSdl));
  // The response cache hears every subgraph's change feed, following the subgraphs of each supergraph served.
  const changeListener = responseCache.followsChanges
    ? new ChangeListener({ subscriber: responseCache, ...(options.log ? { log: options.log } : {}) })
    : undefined;
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) =>
    changeListener?.follow(new Map(summarize(coreSupergraphSdl).subgraphs.map((name) => [name, subgraphs.get(name)!]))),
  );
  const protection = armor(limits);
  const subscriptions = new SubscriptionServer({ limits, metrics, sources, verifyBearer, validationRules: protection.validationRules, demandControl });
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => subscriptions.useSupergraph(coreSupergraphSdl));
  const apollo = new ApolloServer({
    gateway,
    formatError,
    includeStacktraceInErrorResponses: isDevelopment(),
    // Armor's types come from Apollo's CommonJS build, the gateway's from its ESM one: the same objects.
    plugins: [
      ...(protection.plugins as unknown as ApolloServerPlugin[]),
      requestGuard,
      demandControl.plugin(),
      ApolloServerPluginLandingPageDisabled(),
      // The response cache keeps whole answers by its own rules, not by cache
      // hints, and the hub reports nothing to Apollo's hosted studio: neither
      // hook need run on every request.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      responseCache.plugin() as ApolloServerPlugin,
      ...(changeListener ? [changeListener.plugin()] : []),
    ],
    validationRules: protection.validationRules,
    introspection: limits.introspection,
    parseOptions: { maxTokens: limits.maxTokens },
    // One operation per request: a batch would multiply every limit above.
    allowBatchedHttpRequests: false,
    // Automatic persisted queries: in Redis when replicas share one (REDIS_URL), so a
    // hash registered through one replica is known to all; else in Apollo's bounded memory.
    persistedQueries: responseCache.shared?.persistedQueries() ?? {},
    // Kept on (Apollo's default): a browser cannot post a simple form or GET without a preflight.
    csrfPrevention: true,
    // The hub stops its parts itself, in order (stopOnSignals); Apollo's own
    // handler would stop this server alone and re-raise the signal.
    stopOnTerminationSignals: false,
  });
  return {
    apollo,
    routes: [...healthRoutes(gateway, subgraphs, () => responseCache.status()), metrics.route(), exportRoute(apollo), ideRoute()],
    limits,
    metrics,
    responseCache,
    subscriptions,
    context: async (request, requestId) => {
      const { authorization } = request.headers;
      const context: GatewayContext = {
        requestId,
        viewer: await verifyBearer(authorization),
        ...(authorization ? { authorization } : {}),
        deadline: AbortSignal.timeout(limits.requestTimeoutMs),
      };
      responseCache.begin(context);
      return context;
    },
  };
}

/** Serves a gateway over HTTP with its routes, limits, request ids and metrics. */
export async function serveGateway(gateway: Gateway, listen: { port: number; host?: string }): Promise<Served> {
  const served = await serveApollo(gateway.apollo, {
    ...listen,
    name: 'gateway',
    context: gateway.context,
    routes: gateway.routes,
    maxBodyBytes: gateway.limits.maxBodyBytes,
    intercept: gateway.subscriptions.interceptor(gateway.responseCache.interceptor()),
    onResponse: ({ path, status, seconds }) => gateway.metrics.request(path, status, seconds),
  });
  return {
    url: served.url,
    // Open streams would hold the server's close for ever: they end first, each telling its client why.
    close: async () => {
      await gateway.subscriptions.close();
      await served.close();
    },
  };
}
