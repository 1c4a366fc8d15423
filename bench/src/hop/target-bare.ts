import { readFile } from 'node:fs/promises';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import { parse } from 'graphql';
import pg from 'pg';
import { runTarget } from '../peers/child.js';
import { HOP_ENV, required } from './protocol.js';

/**
 * The bare subgraph: what a team writes from Apollo's documentation with no
 * framework. Stock @apollo/server and @apollo/subgraph over the people
 * subgraph's committed SDL, and a reference resolver for PeopleOrganization
 * that reads a batch of references with one `pg` query from a plain pool: no
 * ORM, no identity check, no logging. What the hub's people subgraph does on
 * top of this, per entity, is what the hop bench measures.
 */

interface Organization {
  id: string;
  name: string;
  nameEn: string | null;
  kind: string;
  organisationType: string;
  status: string;
  /** `yyyy-mm-dd`, as the LocalDate scalar prints it. */
  establishedOn: string | null;
  version: number;
  archivedAt: Date | null;
  demo: boolean;
}

// The table's scalar columns, named as the SDL names its fields, so a row is the answer.
const ORGANIZATIONS_BY_ID = `
  select id, name, name_en as "nameEn", kind, organisation_type as "organisationType", status,
         established_on::text as "establishedOn", version, archived_at as "archivedAt", demo
  from people.people_organization
  where id = any($1)`;

/** One query per batch of references, answered in the order asked; an id no row has is null. */
function organizationLoader(pool: pg.Pool) {
  return new DataLoader<string, Organization | null>(async (ids) => {
    const { rows } = await pool.query<Organization>(ORGANIZATIONS_BY_ID, [ids]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

interface Context {
  organizations: ReturnType<typeof organizationLoader>;
}

await runTarget(async () => {
  const pool = new pg.Pool({ connectionString: required(HOP_ENV.databaseUrl) });
  const schema = buildSubgraphSchema([
    {
      typeDefs: parse(await readFile(required(HOP_ENV.peopleSdl), 'utf8')),
      resolvers: {
        PeopleOrganization: {
          __resolveReference: (reference: { id: string }, { organizations }: Context) => organizations.load(reference.id),
          sector: () => 'PEOPLE',
        },
      },
    },
  ]);
  const server = new ApolloServer<Context>({ schema });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async () => ({ organizations: organizationLoader(pool) }),
  });
  return {
    url,
    async stop() {
      await server.stop();
      await pool.end();
    },
  };
});
