import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import http from '@graphql-mesh/transport-http';
import { SCHEMA_DIR } from '@hub/scripts/compose';
import { anonymousGatewayHeader } from '@hub/gateway';

export interface RunningHiveGateway {
  /** Hive Gateway's GraphQL endpoint, on loopback. */
  url: string;
  /** Every URL Hive Gateway fetched from, in order, to check where it went. */
  fetched: string[];
  stop(): Promise<void>;
}

/**
 * Hive Gateway (the MIT @graphql-hive/gateway-runtime) over the committed
 * supergraph, in this process, on a free loopback port. The committed file keeps
 * its routing URLs (http://localhost:400N/graphql); each subgraph's endpoint is
 * overridden by name with the runtime's `transportEntries`, as a deployment would.
 *
 * - Subgraphs are reached with @graphql-mesh/transport-http, the transport the
 *   Hive Gateway CLI bundles; it is passed explicitly rather than left to the
 *   runtime's import-by-name, so the dependency is a declared, typed import.
 * - Queries are planned by Hive Router's Rust query planner
 *   (@graphql-hive/router-runtime's `unifiedGraphHandler`, over the napi addon
 *   @graphql-hive/router-query-planner), not by @graphql-tools/federation's JS
 *   planner, which cannot plan this supergraph's `Actor` interface (see
 *   test/hive-gateway.test.ts).
 */
export async function startHiveGateway(
  subgraphUrls: Record<string, string>,
  options: { demandControl?: Parameters<typeof createGatewayRuntime>[0]['demandControl'] } = {},
): Promise<RunningHiveGateway> {
  const fetched: string[] = [];
  // The subgraphs answer only a gateway that signs its calls: Hive sends the header the hub's gateway would.
  const identity = await anonymousGatewayHeader();
  const runtime = createGatewayRuntime({
    supergraph: await readFile(SCHEMA_DIR + 'supergraph.graphql', 'utf8'),
    unifiedGraphHandler,
    transports: { http },
    transportEntries: Object.fromEntries(Object.entries(subgraphUrls).map(([name, url]) => [name, { location: url, headers: [identity] }])),
    plugins: () => [
      {
        onFetch({ url }) {
          fetched.push(url);
        },
      },
    ],
    // Nothing that phones home or serves pages: no usage reporting (none configured),
    // no GraphiQL, no landing page, no logs.
    graphiql: false,
    landingPage: false,
    logging: false,
    ...(options.demandControl ? { demandControl: options.demandControl } : {}),
  });
  const server = createServer(runtime);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
  } catch (error) {
    await runtime.dispose();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    fetched,
    async stop() {
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      await runtime.dispose();
    },
  };
}
