import { fileURLToPath } from 'node:url';
import { serveApollo, stopOnSignals } from '@hub/toolkit';
import { createGateway, gatewayRoutes, subgraphUrlsFromEnv } from './gateway.js';

// The gateway deployed alone: any supergraph file (SUPERGRAPH_PATH), subgraph
// addresses from SUBGRAPH_<NAME>_URL, and PORT.
const supergraphPath = process.env.SUPERGRAPH_PATH ?? fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));
const server = createGateway({
  // SUPERGRAPH_WATCH=false serves the file as it was at start.
  supergraph: { path: supergraphPath, watch: process.env.SUPERGRAPH_WATCH !== 'false' },
  subgraphUrls: subgraphUrlsFromEnv(),
});
const served = await serveApollo(server, {
  port: Number(process.env.PORT ?? 4000),
  ...(process.env.HOST ? { host: process.env.HOST } : {}),
  context: async () => ({}),
  routes: gatewayRoutes(server),
});
console.log(`gateway ready at ${served.url} (supergraph: ${supergraphPath})`);
stopOnSignals([{ stop: () => served.close() }]);
