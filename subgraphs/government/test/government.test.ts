import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { government } from '../src/subgraph.js';
import { startTestSubgraph, type TestSubgraph } from '@hub/toolkit/testing';

describe('government subgraph', () => {
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(government);
  });
  afterAll(() => subgraph?.stop());

  it('serves the 77 provinces by region', async () => {
    const result = await subgraph.query(/* GraphQL */ `{ south: provinces(region: SOUTH) { code } all: provinces { code } }`);
    expect(result.data.all).toHaveLength(77);
    expect(result.data.south).toHaveLength(14);
    expect(result.data.south).toContainEqual({ code: 'TH-80' });
  });

  it('resolves Province and GovernmentCentre references through _entities, null for unknown keys', async () => {
    const result = await subgraph.query(
      /* GraphQL */ `
        query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Province { code nameEn region }
            ... on GovernmentCentre { id sector kind province { code } parent { id } }
          }
        }
      `,
      {
        representations: [
          { __typename: 'Province', code: 'TH-80' },
          { __typename: 'GovernmentCentre', id: 'gov_th80_centre' },
          { __typename: 'GovernmentCentre', id: 'gov_nobody' },
        ],
      },
    );
    expect(result).toEqual({
      data: {
        _entities: [
          { code: 'TH-80', nameEn: 'Nakhon Si Thammarat', region: 'SOUTH' },
          {
            id: 'gov_th80_centre',
            sector: 'GOVERNMENT',
            kind: 'PROVINCIAL_CENTRE',
            province: { code: 'TH-80' },
            parent: { id: 'gov_national_centre' },
          },
          null,
        ],
      },
    });
  });

  it('lists government centres a page at a time, filtered by kind', async () => {
    const page = `query ($after: String) {
      governmentCentres(kind: PROVINCIAL_CENTRE, first: 50, after: $after) {
        totalCount edges { node { id } } pageInfo { hasNextPage endCursor }
      }
    }`;
    const first = await subgraph.query(page);
    const second = await subgraph.query(page, { after: first.data.governmentCentres.pageInfo.endCursor });
    const ids = [...first.data.governmentCentres.edges, ...second.data.governmentCentres.edges].map((e: any) => e.node.id);
    expect(first.data.governmentCentres.totalCount).toBe(77);
    expect(first.data.governmentCentres.pageInfo.hasNextPage).toBe(true);
    expect(second.data.governmentCentres.pageInfo.hasNextPage).toBe(false);
    expect(new Set(ids).size).toBe(77);
  });

  it('gives the national centre its 77 provincial centres and the 2006 order', async () => {
    const result = await subgraph.query(/* GraphQL */ `{
      governmentCentre(id: "gov_national_centre") {
        children(first: 500) { totalCount nodes { id } }
        ordersIssued { id pilotProvinceCount sources { url } }
      }
    }`);
    expect(result.data.governmentCentre.children.totalCount).toBe(77);
    expect(result.data.governmentCentre.children.nodes).toHaveLength(77);
    expect(result.data.governmentCentre.ordersIssued).toEqual([
      { id: 'ord_2006_02_28', pilotProvinceCount: 42, sources: [{ url: 'https://www.gotoknow.org/posts/50646' }] },
    ]);
  });
});
