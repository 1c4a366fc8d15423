import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { MikroORM } from '@mikro-orm/postgresql';
import {
  authFromEnv,
  formatError,
  isDevelopment,
  sendJson,
  serveApollo,
  startTracing,
  stopOnSignals,
  subgraphCallerVerifier,
  type AuthOptions,
  type Route,
} from '@hub/server';
import { AuditEntry } from './audit.js';
import { ChangeFeed, type ChangeFeedLimits } from './change-feed.js';
import { changeFeedLimitsFromEnv, serveChangeFeed, type ChangeFeedServeLimits } from './change-feed-http.js';
import { createOrm, migrate } from './orm.js';
import { RequestContext } from './request-context.js';
import { maxRowsFromEnv } from './row-budget.js';
import { buildFederatedSchema } from './schema.js';
import { startEmbeddedPostgres } from './embedded.js';
import type { SubgraphContext, SubgraphDefinition } from './subgraph.js';

export interface RunningSubgraph {
  name: string;
  url: string;
  orm: MikroORM;
  stop(): Promise<void>;
}

export interface StartSubgraphOptions {
  databaseUrl: string;
  /** 0 picks a free port. */
  port: number;
  /** Interface to listen on: loopback unless told otherwise (`HOST=0.0.0.0` in a container). */
  host?: string;
  /** Write the source document's facts when the database is empty. */
  seed?: boolean;
  onQuery?: (sql: string) => void;
  poolSize?: number;
  /** The change feed's limits, else the SUBGRAPH_FEED_* and SUBGRAPH_MAX_FEEDS settings and their defaults. */
  changeFeed?: Partial<ChangeFeedLimits & ChangeFeedServeLimits>;
  /** Where the hub's other subgraphs listen, by name, for a subgraph whose background work reads them through their API (search). */
  subgraphUrls?: Record<string, string>;
  /** How users' tokens are verified; from the environment (HUB_JWT_SECRET, HUB_JWKS_URL) by default, as the gateway reads them. */
  auth?: AuthOptions;
}

export function createSubgraphOrm(definition: SubgraphDefinition, options: Omit<StartSubgraphOptions, 'port' | 'seed'>) {
  return createOrm({
    schema: definition.name,
    clientUrl: options.databaseUrl,
    // Every subgraph keeps its own audit trail, in its own schema.
    entities: [...definition.entities, AuditEntry],
    migrations: definition.migrations,
    ...(options.onQuery ? { onQuery: options.onQuery } : {}),
    ...(options.poolSize ? { poolSize: options.poolSize } : {}),
  });
}

/** The Apollo server of a subgraph, not yet listening: tests and the entry point both use it. */
export async function createSubgraphServer(definition: SubgraphDefinition, orm: MikroORM, auth: AuthOptions = authFromEnv()) {
  const { schema } = await buildFederatedSchema(definition);
  const server = new ApolloServer<SubgraphContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: isDevelopment(),
    // Apollo's per-field hooks cost a wrapper and an object on every field of
    // every answer: traces and usage reports are for Apollo's hosted studio,
    // which the hub does not report to, and no type or field of the hub sets a
    // cache hint (the gateway keeps its own response cache).
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginCacheControlDisabled()],
    // The hub stops its parts itself, in order (stopOnSignals); Apollo's own
    // handler would stop this server alone and re-raise the signal.
    stopOnTerminationSignals: false,
  });
  const scope = { orm, definition, maxRows: maxRowsFromEnv() };
  // Read at start, so a missing secret or bad token settings stop the subgraph rather than failing each request.
  const callerOf = subgraphCallerVerifier(definition.agencies, auth);
  const context = async (request: { headers: Record<string, string | string[] | undefined> }, requestId: string): Promise<SubgraphContext> =>
    new RequestContext(scope, requestId, await callerOf(request.headers));
  return { server, context, schema };
}

/** Migrates the subgraph's schema, seeds it if asked, and serves it over HTTP. */
export async function startSubgraph(definition: SubgraphDefinition, options: StartSubgraphOptions): Promise<RunningSubgraph> {
  const orm = await createSubgraphOrm(definition, options);
  try {
    await migrate(orm);
    if (options.seed) await definition.seedFacts(orm.em.fork());
    const { server, context, schema } = await createSubgraphServer(definition, orm, options.auth);
    const feedLimits = { ...changeFeedLimitsFromEnv(), ...options.changeFeed };
    const feed = new ChangeFeed({
      schema: definition.name,
      databaseUrl: options.databaseUrl,
      // Its reads serve no request: neither counted as a request's statements (onQuery) nor traced.
      execute: (sql, params) => orm.em.getConnection().execute(sql, params, 'all', undefined, { enabled: false }),
      recordTypes: definition.entities.map((entity) => entity.name),
      limits: feedLimits,
    });
    // A subgraph that owns a subscription root field (search: the public `changes`) serves it on the streams at its /graphql, beside its feed.
    const changeFeed = await serveChangeFeed(feed, context, feedLimits, schema.getSubscriptionType() ? schema : undefined);
    const served = await serveApollo(server, {
      context,
      // The change feed answers requests that accept an event stream, at the same /graphql.
      intercept: changeFeed.intercept,
      port: options.port,
      routes: [liveRoute, databaseReadyRoute(orm)],
      name: definition.name,
      // Only the gateway calls a subgraph, and its entity batches for an operation
      // within the cost budget run to a few megabytes: room for them, still bounded.
      maxBodyBytes: SUBGRAPH_MAX_BODY_BYTES,
      ...(options.host ? { host: options.host } : {}),
    });
    feed.start();
    const background = await definition.background?.({ orm, subgraphUrls: options.subgraphUrls ?? {} });
    return {
      name: definition.name,
      url: served.url,
      orm,
      async stop() {
        await background?.stop();
        // Open feeds first: an event stream never ends by itself, and the server waits for every request to end.
        await changeFeed.close();
        await served.close();
        await orm.close();
      },
    };
  } catch (error) {
    await orm.close();
    throw error;
  }
}

const HEALTH_TIMEOUT_MS = 2_000;
const SUBGRAPH_MAX_BODY_BYTES = 16 * 2 ** 20;

/**
 * `/health`: the process answers (liveness). It asks nothing of the database:
 * an orchestrator restarts a part whose liveness fails, and restarting every
 * subgraph while their database is away would mend nothing.
 */
const liveRoute: Route = async (_request, response, url) => {
  if (url.pathname !== '/health') return false;
  sendJson(response, 200, { status: 'ok' });
  return true;
};

/** `/ready`: 200 when the subgraph's database answers a query in time, else 503, so traffic waits for it. */
function databaseReadyRoute(orm: MikroORM): Route {
  return async (_request, response, url) => {
    if (url.pathname !== '/ready') return false;
    const deadline = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS).unref(),
    );
    try {
      await Promise.race([orm.em.getConnection().execute('select 1'), deadline]);
      sendJson(response, 200, { status: 'ok', database: 'up' });
    } catch (error) {
      // The reason names hosts and ports: only for development.
      sendJson(response, 503, { status: 'unavailable', database: 'down', ...(isDevelopment() ? { reason: (error as Error).message } : {}) });
    }
    return true;
  };
}

/**
 * The database a subgraph uses: its own `<NAME>_DATABASE_URL` when its owner
 * runs a separate database, else the shared `DATABASE_URL`.
 */
export function databaseUrlFor(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[`${name.toUpperCase()}_DATABASE_URL`] ?? env.DATABASE_URL;
}

/**
 * The entry point of a subgraph deployed alone: its own database
 * (`<NAME>_DATABASE_URL` or `DATABASE_URL`, else an embedded one kept in
 * `.data/<name>`), its own port (`PORT`, else its default).
 */
export async function runSubgraph(definition: SubgraphDefinition): Promise<void> {
  const parts: { stop(): Promise<void> }[] = [{ stop: startTracing(`hub-${definition.name}`) }];
  let databaseUrl = databaseUrlFor(definition.name);
  if (!databaseUrl) {
    const embedded = await startEmbeddedPostgres({ dataDir: `.data/${definition.name}` });
    parts.push(embedded);
    databaseUrl = embedded.url;
  }
  const port = process.env.PORT ? Number(process.env.PORT) : definition.defaultPort;
  const subgraph = await startSubgraph(definition, {
    databaseUrl,
    port,
    seed: process.env.SEED !== 'false',
    ...(process.env.HOST ? { host: process.env.HOST } : {}),
  });
  parts.push(subgraph);
  console.log(`${definition.name} subgraph ready at ${subgraph.url}`);
  stopOnSignals(parts);
}
