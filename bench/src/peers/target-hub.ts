import { createGateway, limitsFromEnv, serveGateway, subgraphTimeoutsFromEnv } from '@hub/gateway';
import { runTarget } from './child.js';

// (a, b) The hub's own gateway, set up as `npm start` sets it up (scripts/src/hub.ts):
// the watched supergraph file, GraphQL Armor limits, subgraph timeouts,
// request logging (LOG_LEVEL, info by default) and the response cache
// (GATEWAY_CACHE_TTL_MS: the harness runs it once with 0, off, and once on). Its JSON log
// lines go to this child's stdout, which the harness points at /dev/null.
await runTarget(async ({ supergraphPath, subgraphUrls }) => {
  const gateway = createGateway({
    supergraph: { path: supergraphPath, pollIntervalMs: 250 },
    subgraphUrls,
    subgraphTimeouts: subgraphTimeoutsFromEnv(),
    limits: limitsFromEnv(),
  });
  const served = await serveGateway(gateway, { port: 0, host: '127.0.0.1' });
  return { url: served.url, stop: () => served.close() };
});
