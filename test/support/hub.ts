import type { EntityManager } from '@mikro-orm/postgresql';
import { startHub, type HubOptions, type RunningHub } from '@hub/scripts/hub';
import { createTestDatabase, graphql, type GraphQLResponse } from '@hub/toolkit/testing';

export interface TestHub extends RunningHub {
  /** Sends an operation to the gateway over HTTP. */
  query(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  /** A fresh EntityManager on one subgraph's own database schema, for fixtures. */
  em(subgraph: string): EntityManager;
}

/**
 * The whole hub on a database of its own, seeded with the source facts; stop()
 * drops the database. The gateway's response cache is off unless a test asks
 * for it: most tests send the same query again to see what changed.
 */
export async function startTestHub(options: Partial<Omit<HubOptions, 'databaseUrl' | 'port'>> = {}): Promise<TestHub> {
  const database = await createTestDatabase();
  let hub: RunningHub;
  try {
    hub = await startHub({ databaseUrl: database.url, port: 0, seed: true, responseCache: { ttlMs: 0, maxBytes: 0 }, ...options });
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    ...hub,
    query: (query, variables) => graphql(hub.gatewayUrl, query, variables),
    em(name) {
      const subgraph = hub.subgraphs.find((s) => s.name === name);
      if (!subgraph) throw new Error(`no subgraph named ${name}`);
      return subgraph.orm.em.fork();
    },
    async stop() {
      await hub.stop();
      await database.drop();
    },
  };
}
