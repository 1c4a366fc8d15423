import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSubgraph, type RunningSubgraph } from '@hub/toolkit';
import { createGateway, serveGateway, type OperationLimits, type ResponseCacheOptions } from '@hub/gateway';
import { SCHEMA_DIR } from './compose.js';
import { SUBGRAPHS } from './subgraphs.js';

/** Where the embedded database keeps its data: `HUB_DATA_DIR`, else `.data/pglite` in the checkout. */
export function embeddedDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HUB_DATA_DIR ? resolve(env.HUB_DATA_DIR) : fileURLToPath(new URL('../../.data/pglite', import.meta.url));
}

export interface HubOptions {
  databaseUrl: string;
  /** The gateway's port; the subgraphs take the next five. 0 gives every part a free port. */
  port: number;
  /** Write the source document's facts into empty subgraphs. */
  seed?: boolean;
  /** Sees every SQL statement each subgraph sends. */
  onQuery?: (subgraph: string, sql: string) => void;
  poolSize?: number;
  /** The supergraph file the gateway serves and watches; the committed one by default. */
  supergraphPath?: string;
  /** Where the gateway reports supergraph switches. */
  log?: (message: string) => void;
  /** How long the gateway waits for each subgraph (else SUBGRAPH_TIMEOUT_MS, else 10 s). */
  subgraphTimeouts?: { default?: number; bySubgraph?: Record<string, number> };
  /** The gateway's response cache (else GATEWAY_CACHE_TTL_MS and its default). */
  responseCache?: ResponseCacheOptions;
  /** What one request may ask of the gateway (else the GATEWAY_* settings and their defaults). */
  limits?: OperationLimits;
}

export interface RunningHub {
  gatewayUrl: string;
  subgraphs: RunningSubgraph[];
  stop(): Promise<void>;
}

/** The subgraphs and the gateway over the committed supergraph, in one process. */
export async function startHub(options: HubOptions): Promise<RunningHub> {
  const subgraphs: RunningSubgraph[] = [];
  const stopAll = async () => {
    for (const part of subgraphs.reverse()) await part.stop();
  };
  try {
    // One after another: each migrates its own schema, and PGlite serves one session at a time anyway.
    for (const [index, definition] of SUBGRAPHS.entries()) {
      const { onQuery } = options;
      subgraphs.push(
        await startSubgraph(definition, {
          databaseUrl: options.databaseUrl,
          port: options.port === 0 ? 0 : options.port + index + 1,
          seed: options.seed ?? false,
          // Those started before it, for a subgraph that reads the others through their API (search, started last).
          subgraphUrls: Object.fromEntries(subgraphs.map((s) => [s.name, s.url])),
          ...(onQuery ? { onQuery: (sql: string) => onQuery(definition.name, sql) } : {}),
          ...(options.poolSize ? { poolSize: options.poolSize } : {}),
        }),
      );
    }
    const gateway = createGateway({
      supergraph: { path: options.supergraphPath ?? SCHEMA_DIR + 'supergraph.graphql', pollIntervalMs: 250 },
      subgraphUrls: Object.fromEntries(subgraphs.map((s) => [s.name, s.url])),
      ...(options.subgraphTimeouts ? { subgraphTimeouts: options.subgraphTimeouts } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.responseCache ? { responseCache: options.responseCache } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
    const served = await serveGateway(gateway, { port: options.port });
    return {
      gatewayUrl: served.url,
      subgraphs: [...subgraphs],
      async stop() {
        await served.close();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

