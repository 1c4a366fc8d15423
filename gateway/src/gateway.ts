import { readFile } from 'node:fs/promises';
import { unwatchFile, watchFile } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloGateway, RemoteGraphQLDataSource, type SupergraphSdlHook } from '@apollo/gateway';
import { formatError, isDevelopment, type Route } from '@hub/toolkit';
import { exportRoute } from './export.js';

export interface GatewayOptions {
  /**
   * The composed supergraph: its SDL, or a file (`schema/supergraph.graphql`)
   * that the gateway watches and switches to when it changes, without a restart.
   */
  supergraph: { sdl: string } | { path: string; watch?: boolean; pollIntervalMs?: number };
  /** Where the gateway reports supergraph switches and refusals. */
  log?: (message: string) => void;
  /**
   * Where each subgraph really is, by subgraph name. Production hosts differ
   * from the routing URLs composed on a laptop; a name not listed keeps the
   * supergraph's routing URL.
   */
  subgraphUrls?: Record<string, string>;
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
        update(next);
        current = next;
        log(`supergraph ${path} changed: now serving the new one.`);
      } catch (error) {
        log(`supergraph ${path} changed but does not load; still serving the previous one. ${(error as Error).message}`);
      }
    };
    // Polling, not fs.watch: it sees files replaced by editors and by `npm run compose` alike.
    watchFile(path, { interval: pollIntervalMs, persistent: false }, () => void onChange());
    return { supergraphSdl: current, cleanup: async () => unwatchFile(path) };
  };
}

/** The hub's gateway: @apollo/gateway over the supergraph, inside Apollo Server, not yet listening. */
export function createGateway(options: GatewayOptions): ApolloServer {
  const log = options.log ?? ((message: string) => console.log(`[gateway] ${message}`));
  const { supergraph } = options;
  const gateway = new ApolloGateway({
    supergraphSdl:
      'sdl' in supergraph
        ? supergraph.sdl
        : supergraphFile(supergraph.path, supergraph.watch ?? true, supergraph.pollIntervalMs ?? 1000, log),
    buildService: ({ name, url }) => new RemoteGraphQLDataSource({ url: options.subgraphUrls?.[name] ?? url }),
  });
  return new ApolloServer({
    gateway,
    formatError,
    includeStacktraceInErrorResponses: isDevelopment(),
    // The hub stops its parts itself, in order (stopOnSignals); Apollo's own
    // handler would stop this server alone and re-raise the signal.
    stopOnTerminationSignals: false,
  });
}

/** The gateway's routes beside /graphql. */
export function gatewayRoutes(server: ApolloServer): Route[] {
  return [exportRoute(server)];
}
