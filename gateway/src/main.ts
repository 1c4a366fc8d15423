import { fileURLToPath } from 'node:url';
import { startTracing, stopOnSignals } from '@hub/server';
import { createGateway, serveGateway, subgraphUrlsFromEnv } from './gateway.js';

// The gateway deployed alone: any supergraph file (SUPERGRAPH_PATH), subgraph
// addresses from SUBGRAPH_<NAME>_URL, and PORT.
const supergraphPath = process.env.SUPERGRAPH_PATH ?? fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));
const stopTracing = startTracing('hub-gateway');
const gateway = createGateway({
  // SUPERGRAPH_WATCH=false serves the file as it was at start.
  supergraph: { path: supergraphPath, watch: process.env.SUPERGRAPH_WATCH !== 'false' },
  subgraphUrls: subgraphUrlsFromEnv(),
});
const served = await serveGateway(gateway, {
  port: Number(process.env.PORT ?? 4000),
  ...(process.env.HOST ? { host: process.env.HOST } : {}),
});
console.log(`gateway ready at ${served.url} (supergraph: ${supergraphPath})`);
stopOnSignals([{ stop: stopTracing }, { stop: () => served.close() }]);
