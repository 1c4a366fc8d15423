import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initiatives } from '../src/subgraph.js';
import { startTestSubgraph, type TestSubgraph } from '@hub/toolkit/testing';

describe('initiatives subgraph', () => {
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(initiatives);
  });
  afterAll(() => subgraph?.stop());

  it('turns an Actor reference into its owner type by the id prefix', async () => {
    const result = await subgraph.query(
      /* GraphQL */ `
        query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            __typename
            ... on Actor { id links { nodes { type } } initiatives { nodes { id } } }
          }
        }
      `,
      {
        representations: [
          { __typename: 'Actor', id: 'peo_th80_centre' },
          { __typename: 'Actor', id: 'gov_th80_centre' },
          { __typename: 'PrivatePartner', id: 'prt_nobody' },
        ],
      },
    );
    expect(result).toEqual({
      data: {
        _entities: [
          {
            __typename: 'PeopleOrganization',
            id: 'peo_th80_centre',
            links: { nodes: [{ type: 'COORDINATION' }, { type: 'COORDINATION' }] },
            initiatives: { nodes: [] },
          },
          {
            __typename: 'GovernmentCentre',
            id: 'gov_th80_centre',
            links: { nodes: [{ type: 'COORDINATION' }] },
            initiatives: { nodes: [{ id: 'ini_km_nakhon' }] },
          },
          { __typename: 'PrivatePartner', id: 'prt_nobody', links: { nodes: [] }, initiatives: { nodes: [] } },
        ],
      },
    });
  });

  it('filters initiatives by province, theme and status', async () => {
    const result = await subgraph.query(/* GraphQL */ `{
      nakhon: initiatives(provinceCode: "TH-80", theme: LAND, status: IMPLEMENTATION) { totalCount }
      bangkok: initiatives(provinceCode: "TH-10") { totalCount }
      closed: initiatives(status: CLOSED) { totalCount }
    }`);
    expect(result).toEqual({
      data: { nakhon: { totalCount: 1 }, bangkok: { totalCount: 0 }, closed: { totalCount: 0 } },
    });
  });

  it('rejects a cursor it never gave out', async () => {
    const result = await subgraph.query(`{ initiatives(after: "not-a-cursor") { totalCount } }`);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
