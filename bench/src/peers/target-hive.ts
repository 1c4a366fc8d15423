import { startHiveGateway } from '@hub/scripts/gateway-hive';
import { runTarget } from './child.js';

// (d) Hive Gateway as `npm run gateway:hive` serves it: its runtime planning
// with Hive Router's Rust query planner (@graphql-hive/router-runtime; its JS
// planner cannot plan this supergraph's Actor interface), reaching the
// subgraphs with @graphql-mesh/transport-http, on node:http, with the gateway
// secret and the client's token on every subgraph call. Its HTTP executor
// shares one subgraph request among identical ones in flight
// (`deduplicateInflightRequests`, on by default); PEERS_HIVE_DEDUP=false turns that off.
await runTarget(async ({ supergraphPath, subgraphUrls, hiveDedup }) => {
  const hive = await startHiveGateway({ supergraphPath, subgraphUrls, port: 0, pollIntervalMs: 0, deduplicateInflightRequests: hiveDedup });
  return { url: hive.url, stop: () => hive.stop() };
});
