import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Membership, people } from '../src/subgraph.js';
import { startTestSubgraph, type TestSubgraph } from '@hub/toolkit/testing';

describe('people subgraph', () => {
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(people);
  });
  afterAll(() => subgraph?.stop());

  it("holds the four mandated roles of a provincial people's centre, in the post's order", async () => {
    const result = await subgraph.query(/* GraphQL */ `{
      peopleOrganization(id: "peo_th80_centre") { status mandatedRoles { ordinal themes } }
    }`);
    expect(result).toEqual({
      data: {
        peopleOrganization: {
          status: 'IN_COORDINATION',
          mandatedRoles: [
            { ordinal: 1, themes: [] },
            { ordinal: 2, themes: [] },
            { ordinal: 3, themes: [] },
            { ordinal: 4, themes: ['PRODUCTION', 'MANAGEMENT', 'LAND', 'BASIC_WELFARE', 'SUFFICIENCY_LIVELIHOOD'] },
          ],
        },
      },
    });
  });

  it('extends Province with its people\'s organisations and resolves PeopleOrganization references', async () => {
    const result = await subgraph.query(
      /* GraphQL */ `
        query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Province { peopleOrganizations { nodes { id } } }
            ... on PeopleOrganization { id name sector parent { id } }
          }
        }
      `,
      {
        representations: [
          { __typename: 'Province', code: 'TH-80' },
          { __typename: 'Province', code: 'TH-10' },
          { __typename: 'PeopleOrganization', id: 'peo_th80_networks' },
        ],
      },
    );
    expect(result).toEqual({
      data: {
        _entities: [
          { peopleOrganizations: { nodes: [{ id: 'peo_th80_centre' }, { id: 'peo_th80_networks' }] } },
          { peopleOrganizations: { nodes: [] } },
          { id: 'peo_th80_networks', name: 'ขบวนเครือข่ายชุมชนจังหวัดนครศรีธรรมราช', sector: 'PEOPLE', parent: null },
        ],
      },
    });
  });

  it('shows memberships from both ends (Popolo)', async () => {
    const em = subgraph.em();
    em.create(Membership, { id: 'mem_test_1', memberId: 'peo_th80_networks', organizationId: 'peo_th80_centre', role: 'coordinator' });
    await em.flush();
    const result = await subgraph.query(/* GraphQL */ `{
      member: peopleOrganization(id: "peo_th80_networks") { memberOf { nodes { role organization { id } } } }
      organization: peopleOrganization(id: "peo_th80_centre") { members { totalCount nodes { member { id } } } }
    }`);
    expect(result).toEqual({
      data: {
        member: { memberOf: { nodes: [{ role: 'coordinator', organization: { id: 'peo_th80_centre' } }] } },
        organization: { members: { totalCount: 1, nodes: [{ member: { id: 'peo_th80_networks' } }] } },
      },
    });
  });

  it('refuses a malformed province filter with BAD_USER_INPUT', async () => {
    const result = await subgraph.query(`{ peopleOrganizations(provinceCode: "80") { totalCount } }`);
    expect(result.data).toEqual({ peopleOrganizations: null });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
