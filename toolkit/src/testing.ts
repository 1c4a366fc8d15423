/**
 * Helpers for tests that talk to real PostgreSQL and real HTTP: a database of
 * the test's own, a GraphQL client, and one subgraph served alone, as its
 * owner runs it. Imported as `@hub/toolkit/testing`, never by running code.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import pg from 'pg';
import { GATEWAY_SECRET_HEADER, gatewaySecretHeaders, mintToken, type Viewer } from '@hub/server';
import { AuditEntry } from './audit.js';
import { startEmbeddedPostgres } from './embedded.js';
import { startSubgraph, type RunningSubgraph, type StartSubgraphOptions } from './server.js';
import type { SubgraphDefinition } from './subgraph.js';
import type { EntityManager } from '@mikro-orm/postgresql';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A database of this test file's own: a fresh database on the server named by
 * DATABASE_URL (dropped afterwards), or else an in-memory embedded PostgreSQL.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres();
    return { url: embedded.url, drop: () => embedded.stop() };
  }
  const name = `hub_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: () => admin(`drop database if exists "${name}" with (force)`),
  };
}

export interface GraphQLResponse<Data = any> {
  data?: Data;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

/** Posts an operation to a GraphQL endpoint over HTTP, as any client would. */
export async function graphql<Data = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<Data>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<Data>;
}

/**
 * What the gateway sends with every subgraph call: the gateway secret, and for
 * a signed-in `viewer` (anonymous by default) the user's token, minted here. A
 * test that calls one subgraph directly stands in for the gateway.
 */
export async function gatewayHeaders(viewer: Viewer = null): Promise<Record<string, string>> {
  return viewer ? { ...gatewaySecretHeaders(), authorization: `Bearer ${await mintToken(viewer)}` } : gatewaySecretHeaders();
}

/** The headers that carry trust on a call the gateway made (its secret, the user's token), for a proxy in a test to pass on. */
export function trustHeadersOf(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of [GATEWAY_SECRET_HEADER, 'authorization']) {
    const value = headers[name];
    if (typeof value === 'string') kept[name] = value;
  }
  return kept;
}

export interface TestSubgraph extends RunningSubgraph {
  /** Sends an operation as the gateway would, for `viewer` (anonymous by default). */
  query(query: string, variables?: Record<string, unknown>, viewer?: Viewer): Promise<GraphQLResponse>;
  /** A fresh EntityManager on the subgraph's database schema, for fixtures. */
  em(): EntityManager;
  /** A record's audit entries, oldest first, read straight from the table, which the API cannot hide. */
  trailOf(recordId: string): Promise<AuditEntry[]>;
  /** How many audit entries the subgraph holds in all. */
  auditEntries(): Promise<number>;
}

/** The code of an answer's first error. */
export function errorCodeOf(response: GraphQLResponse): unknown {
  return response.errors?.[0]?.extensions?.code;
}

/** The fields one BAD_USER_INPUT names, sorted; anything else is a failure of the test. */
export function refusedFields(response: GraphQLResponse): string[] {
  const [error, ...others] = response.errors ?? [];
  if (!error || others.length > 0 || error.extensions?.code !== 'BAD_USER_INPUT') {
    throw new Error(`expected one BAD_USER_INPUT, got ${JSON.stringify(response.errors)}`);
  }
  return (error.extensions.fields as { field: string }[]).map((f) => f.field).sort();
}

/** One subgraph alone, on a database of its own, seeded with its facts; stop() drops the database. */
export async function startTestSubgraph(
  definition: SubgraphDefinition,
  options: Partial<Omit<StartSubgraphOptions, 'databaseUrl' | 'port'>> = {},
): Promise<TestSubgraph> {
  const database = await createTestDatabase();
  let subgraph: RunningSubgraph;
  try {
    subgraph = await startSubgraph(definition, { databaseUrl: database.url, port: 0, seed: true, ...options });
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    ...subgraph,
    query: async (query, variables, viewer) => graphql(subgraph.url, query, variables, await gatewayHeaders(viewer)),
    em: () => subgraph.orm.em.fork(),
    trailOf: (recordId) => subgraph.orm.em.fork().find(AuditEntry, { recordId }, { orderBy: { seq: 'asc' } }),
    auditEntries: () => subgraph.orm.em.fork().count(AuditEntry, {}),
    async stop() {
      await subgraph.stop();
      await database.drop();
    },
  };
}
