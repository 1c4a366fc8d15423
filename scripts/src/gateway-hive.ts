import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import http from '@graphql-mesh/transport-http';
import { subgraphUrlsFromEnv } from '@hub/gateway';
import { gatewaySecretHeaders, REQUEST_ID_HEADER, stopOnSignals } from '@hub/server';

/**
 * `npm run gateway:hive`: the committed supergraph served by Hive Gateway (the
 * MIT @graphql-hive/gateway-runtime) instead of the hub's own gateway, for a
 * deployment that wants a standard gateway in front of the subgraphs. It reads
 * the hub gateway's settings: PORT (4000), HOST (loopback), SUPERGRAPH_PATH
 * (schema/supergraph.graphql), SUBGRAPH_<NAME>_URL and HUB_GATEWAY_SECRET.
 *
 * Hive Gateway does not verify the user's token: it forwards the Authorization
 * header unchanged, and each subgraph verifies it (HUB_JWT_SECRET or
 * HUB_JWKS_URL) before it reads or writes anything for that user. Hive's JWT
 * plugin would only verify the same token a second time, at the cost of
 * keeping its settings in step with the subgraphs', so it is left off.
 *
 * What the hub's gateway adds on top (limits, demand control from the hub's
 * settings, the response cache, the IDE, subscriptions, metrics) is not here:
 * this command serves the graph and nothing else.
 */
export interface HiveGatewayOptions {
  /** The supergraph file (default schema/supergraph.graphql), read again every `pollIntervalMs`. */
  supergraphPath?: string;
  /**
   * How often to look at the supergraph file for a change, in ms (default 1000);
   * 0 serves the file as it was at start. Hive looks lazily, on the first
   * request after the interval, and switches only when the text differs.
   */
  pollIntervalMs?: number;
  /** Where each subgraph really is, by name; a name not listed keeps the supergraph's routing URL. From SUBGRAPH_<NAME>_URL by default. */
  subgraphUrls?: Record<string, string>;
  /** Port to listen on (0: any free one); default 4000. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /**
   * Whether identical queries in flight share one subgraph call (Hive's
   * `deduplicateInflightRequests`; default true). Off only to measure what the sharing saves.
   */
  deduplicateInflightRequests?: boolean;
  /** Hive's own demand control, if wanted: it reads the prices (@cost, @listSize) from the supergraph. */
  demandControl?: Parameters<typeof createGatewayRuntime>[0]['demandControl'];
  /** Extra Hive Gateway plugins, e.g. one that records where requests went. */
  plugins?: GatewayPlugin[];
  /**
   * Hive's own log output; false (silent) by default, since errors reach the client in the answer.
   * Hive also reads LOG_LEVEL, and refuses pino's "silent" and "fatal" there (the command removes them).
   */
  logging?: boolean | 'debug' | 'info' | 'warn' | 'error';
}

export interface RunningHiveGateway {
  /** The GraphQL endpoint. */
  url: string;
  /** The supergraph file served. */
  supergraphPath: string;
  stop(): Promise<void>;
}

const COMMITTED_SUPERGRAPH = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));

/** W3C trace context: a subgraph's spans join the client's trace. */
const TRACE_HEADERS = ['traceparent', 'tracestate'];

/**
 * Adds the client's trace context to each subgraph call as it is sent, after
 * Hive has decided which identical queries share one call: a header that
 * differs on every request would otherwise stop that sharing altogether. (Hive's
 * own request-id plugin forwards x-request-id the same way.)
 */
function forwardTraceContext(): GatewayPlugin {
  return {
    onFetch({ context, options, setOptions }) {
      if (!('request' in context)) return;
      const trace = TRACE_HEADERS.flatMap((name) => {
        const value = context.request.headers.get(name);
        return value ? [[name, value] as const] : [];
      });
      if (trace.length) setOptions({ ...options, headers: { ...options.headers, ...Object.fromEntries(trace) } });
    },
  };
}

/**
 * Starts Hive Gateway over a supergraph file on node:http.
 *
 * - Queries are planned by Hive Router's Rust query planner
 *   (@graphql-hive/router-runtime's `unifiedGraphHandler`, over the napi addon
 *   @graphql-hive/router-query-planner), not by @graphql-tools/federation's JS
 *   planner, which cannot plan this supergraph's `Actor` interface (see
 *   test/hive-gateway.test.ts).
 * - Subgraphs are reached with @graphql-mesh/transport-http, the transport the
 *   Hive Gateway CLI bundles; it is passed explicitly rather than left to the
 *   runtime's import-by-name, so the dependency is a declared, typed import.
 * - Every subgraph call carries the gateway's secret, a static header on every
 *   transport entry (`'*'`), and the client's own Authorization header, through
 *   `propagateHeaders`. Both go into the request Hive's HTTP executor builds,
 *   so they are part of the key under which it shares one subgraph call among
 *   identical queries in flight: two users' queries never share one call.
 */
export async function startHiveGateway(options: HiveGatewayOptions = {}): Promise<RunningHiveGateway> {
  const supergraphPath = options.supergraphPath ?? process.env.SUPERGRAPH_PATH ?? COMMITTED_SUPERGRAPH;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const subgraphUrls = options.subgraphUrls ?? subgraphUrlsFromEnv();
  // Read once here so a missing or unreadable file stops the start, not the first request.
  const initial = await readFile(supergraphPath, 'utf8');
  const secret = Object.entries(gatewaySecretHeaders());
  const runtime = createGatewayRuntime({
    // A function is a "dynamic" supergraph to Hive: with a polling interval it reads it again.
    // A file that no longer loads leaves the previous supergraph serving.
    supergraph: pollIntervalMs > 0 ? () => readFile(supergraphPath, 'utf8') : initial,
    ...(pollIntervalMs > 0 ? { pollingInterval: pollIntervalMs } : {}),
    // Operations in flight when the supergraph changes finish on the one they started with.
    gracefulSchemaReload: { drainTimeout: 30_000 },
    unifiedGraphHandler,
    transports: { http },
    transportEntries: {
      '*': { headers: secret, ...(options.deduplicateInflightRequests === false ? { options: { deduplicateInflightRequests: false } } : {}) },
      ...Object.fromEntries(Object.entries(subgraphUrls).map(([name, url]) => [name, { location: url }])),
    },
    // The user's token, unchanged: the subgraphs verify it.
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }),
    },
    // The client's x-request-id, or a new one, on every subgraph call, so the logs join up.
    requestId: { headerName: REQUEST_ID_HEADER },
    plugins: () => [forwardTraceContext(), ...(options.plugins ?? [])],
    // Nothing that phones home or serves pages: no usage reporting (none configured),
    // no GraphiQL, no landing page.
    graphiql: false,
    landingPage: false,
    logging: options.logging ?? false,
    ...(options.demandControl ? { demandControl: options.demandControl } : {}),
  });
  const server = createServer(runtime);
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 4000, host, resolve);
    });
  } catch (error) {
    await runtime.dispose();
    throw error;
  }
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${(server.address() as AddressInfo).port}/graphql`,
    supergraphPath,
    async stop() {
      // Requests in flight finish; idle keep-alive connections would hold the close open, so they go now.
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeIdleConnections();
      await closed;
      await runtime.dispose();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Hive's logger reads LOG_LEVEL as well, every time it makes a child logger, and throws on
  // the two pino levels it lacks (silent, fatal): it is given its level below instead.
  const level = process.env.LOG_LEVEL;
  if (level === 'silent' || level === 'fatal') delete process.env.LOG_LEVEL;
  const served = await startHiveGateway({
    port: Number(process.env.PORT ?? 4000),
    ...(process.env.HOST ? { host: process.env.HOST } : {}),
    // SUPERGRAPH_WATCH=false serves the file as it was at start, as the hub's gateway does.
    ...(process.env.SUPERGRAPH_WATCH === 'false' ? { pollIntervalMs: 0 } : {}),
    logging: level === 'silent' ? false : 'error',
  });
  console.log(`Hive Gateway ready at ${served.url} (supergraph: ${served.supergraphPath})`);
  stopOnSignals([served]);
}
