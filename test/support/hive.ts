import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import type { Transport } from '@graphql-mesh/transport-common';
import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import { SCHEMA_DIR } from '@hub/scripts/compose';

export interface RunningHiveGateway {
  /** Hive Gateway's GraphQL endpoint, on loopback. */
  url: string;
  /** Every URL Hive Gateway fetched from, in order, to check where it went. */
  fetched: string[];
  stop(): Promise<void>;
}

/**
 * The plain-HTTP subgraph transport. The Hive Gateway CLI (@graphql-hive/gateway)
 * bundles @graphql-mesh/transport-http for this; the runtime package alone imports
 * it on first use, and it is not installed here. Its core is this: a GraphQL-over-HTTP
 * executor per subgraph, at the entry's location, through the gateway's own fetch
 * (so onFetch hooks see every request).
 */
const httpTransport: Transport = {
  getSubgraphExecutor({ transportEntry, fetch, getDisposeReason }) {
    if (!transportEntry.location) throw new Error(`subgraph ${transportEntry.subgraph} has no location`);
    return buildHTTPExecutor({
      endpoint: transportEntry.location,
      ...(fetch ? { fetch } : {}),
      ...(transportEntry.headers ? { headers: Object.fromEntries(transportEntry.headers) } : {}),
      ...(getDisposeReason ? { getDisposeReason } : {}),
    });
  },
};

/**
 * Hive Gateway (the MIT @graphql-hive/gateway-runtime) over the committed
 * supergraph, in this process, on a free loopback port. The committed file keeps
 * its routing URLs (http://localhost:400N/graphql); each subgraph's endpoint is
 * overridden by name with the runtime's `transportEntries`, as a deployment would.
 */
export async function startHiveGateway(subgraphUrls: Record<string, string>): Promise<RunningHiveGateway> {
  const fetched: string[] = [];
  const runtime = createGatewayRuntime({
    supergraph: await readFile(SCHEMA_DIR + 'supergraph.graphql', 'utf8'),
    transports: { http: httpTransport },
    transportEntries: Object.fromEntries(Object.entries(subgraphUrls).map(([name, url]) => [name, { location: url }])),
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
