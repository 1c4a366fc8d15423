import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { type Identity, mintToken, Role } from '@hub/server';
import { actorTypeOf, FACT, provincialGovernmentCentreId } from '@hub/domain';
import { graphql, type GraphQLResponse } from '@hub/toolkit/testing';
import { startTestHub, type TestHub } from './support/hub.js';

// What a client gets back from an operation with several mutation fields:
// through the real gateway over HTTP on real PostgreSQL, with tokens minted as
// `npm run token` mints them. Which text each owner's inputs accept is tested
// beside its subgraph, in subgraphs/<name>/test/writes.test.ts.

const nakhonGovernment = provincialGovernmentCentreId(FACT.nakhonProvince);

function editorOf(agency: string): Identity {
  return { user: `editor@${agency}`, agency, sector: actorTypeOf(agency)!.sector, role: Role.EDITOR, subgraphs: [] };
}

let hub: TestHub;
/** Sends an operation to the gateway as the holder of `token`. */
let as: (token: string, query: string, variables?: Record<string, unknown>) => Promise<GraphQLResponse>;
const tokens = { peopleCentre: '', government: '' };

beforeAll(async () => {
  hub = await startTestHub();
  as = (token, query, variables) => graphql(hub.gatewayUrl, query, variables, { authorization: `Bearer ${token}` });
  tokens.peopleCentre = await mintToken(editorOf(FACT.nakhonPeopleCentre));
  tokens.government = await mintToken(editorOf(nakhonGovernment));
});
afterAll(async () => {
  await hub?.stop();
});

/** A title no other test uses, so a search for it finds only what this test wrote. */
const uniqueTitle = (title: string) => `${title} ${randomBytes(4).toString('hex')}`;

const INITIATIVE = /* GraphQL */ `
  query ($id: ID!) {
    initiative(id: $id) { id title description version history { totalCount nodes { action } } }
  }
`;

describe('an operation with several mutations', () => {
  it('answers with each one that committed, and null with an error for the one refused after it', async () => {
    // The government centre leads an initiative; the people's centre creates its own, then tries to retitle the centre's in the same operation.
    const theirs = await as(tokens.government, `mutation { createInitiative(input: { title: "${uniqueTitle('กองทุนสวัสดิการ')}" }) { id version title } }`);
    expect(theirs.errors).toBeUndefined();
    const other = theirs.data.createInitiative;
    const title = uniqueTitle('ธนาคารข้าวชุมชน');

    const response = await as(
      tokens.peopleCentre,
      /* GraphQL */ `
        mutation ($title: String!, $otherId: ID!, $otherVersion: Int!) {
          a: createInitiative(input: { title: $title }) { id title version }
          b: updateInitiative(id: $otherId, expectedVersion: $otherVersion, input: { title: "taken over" }) { id title }
        }
      `,
      { title, otherId: other.id, otherVersion: other.version },
    );

    expect(response.data.a).toMatchObject({ title, version: 1 });
    expect(response.data.a.id).toMatch(/^ini_/);
    expect(response.data.b).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]).toMatchObject({ path: ['b'], extensions: { code: 'FORBIDDEN' } });

    const found = await as(tokens.peopleCentre, `query ($title: String!) { initiatives(search: $title, first: 10) { totalCount nodes { id } } }`, { title });
    expect(found.data.initiatives).toEqual({ totalCount: 1, nodes: [{ id: response.data.a.id }] });
    const created = await as(tokens.peopleCentre, INITIATIVE, { id: response.data.a.id });
    expect(created.data.initiative.history).toEqual({ totalCount: 1, nodes: [{ action: 'CREATE' }] });
    const untouched = await as(tokens.peopleCentre, INITIATIVE, { id: other.id });
    expect(untouched.data.initiative).toMatchObject({ title: other.title, version: other.version, history: { totalCount: 1 } });
  });
});
