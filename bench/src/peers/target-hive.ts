import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import http from '@graphql-mesh/transport-http';
import { anonymousGatewayHeader } from '@hub/gateway';
import { runTarget } from './child.js';

// (d) Hive Gateway's runtime planning with Hive Router's Rust query planner
// (@graphql-hive/router-runtime) and reaching the subgraphs with
// @graphql-mesh/transport-http, set up as test/support/hive.ts sets it up
// (its JS planner cannot plan this supergraph's Actor interface), on node:http.
// Its HTTP executor shares one subgraph request among identical ones in flight
// (`deduplicateInflightRequests`, on by default); PEERS_HIVE_DEDUP=false turns that off.
await runTarget(async ({ supergraphPath, subgraphUrls, hiveDedup }) => {
  // The subgraphs answer only a gateway that signs its calls: Hive sends the header the hub's gateway would.
  const identity = await anonymousGatewayHeader();
  const runtime = createGatewayRuntime({
    supergraph: await readFile(supergraphPath, 'utf8'),
    unifiedGraphHandler,
    transports: { http },
    transportEntries: Object.fromEntries(Object.entries(subgraphUrls).map(([name, url]) => [name, { location: url, headers: [identity], ...(hiveDedup ? {} : { options: { deduplicateInflightRequests: false } }) }])),
    graphiql: false,
    landingPage: false,
    logging: false,
  });
  const server = createServer(runtime);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.dispose();
    },
  };
});
