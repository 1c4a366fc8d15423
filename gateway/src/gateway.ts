import { ApolloServer } from '@apollo/server';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { formatError, isDevelopment, type Route } from '@hub/toolkit';
import { exportRoute } from './export.js';

export interface GatewayOptions {
  /** The composed supergraph SDL (`schema/supergraph.graphql`). */
  supergraphSdl: string;
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

/** The hub's gateway: @apollo/gateway over a static supergraph, inside Apollo Server, not yet listening. */
export function createGateway(options: GatewayOptions): ApolloServer {
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
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
