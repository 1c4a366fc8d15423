import { SCHEMA_DIR } from '@hub/scripts/compose';
import { startHiveGateway as startGatewayHive, type HiveGatewayOptions } from '@hub/scripts/gateway-hive';

export interface RunningHiveGateway {
  /** Hive Gateway's GraphQL endpoint, on loopback. */
  url: string;
  /** Every URL Hive Gateway fetched from, in order, to check where it went. */
  fetched: string[];
  stop(): Promise<void>;
}

/**
 * Hive Gateway as `npm run gateway:hive` runs it (scripts/src/gateway-hive.ts),
 * in this process, on a free loopback port, over the committed supergraph. The
 * committed file keeps its routing URLs (http://localhost:400N/graphql); each
 * subgraph's endpoint is overridden by name, as a deployment would.
 */
export async function startHiveGateway(
  subgraphUrls: Record<string, string>,
  options: { demandControl?: HiveGatewayOptions['demandControl'] } = {},
): Promise<RunningHiveGateway> {
  const fetched: string[] = [];
  const hive = await startGatewayHive({
    supergraphPath: SCHEMA_DIR + 'supergraph.graphql',
    subgraphUrls,
    port: 0,
    plugins: [
      {
        onFetch({ url }) {
          fetched.push(url);
        },
      },
    ],
    ...(options.demandControl ? { demandControl: options.demandControl } : {}),
  });
  return { url: hive.url, fetched, stop: () => hive.stop() };
}
