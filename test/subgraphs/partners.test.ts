import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partners } from '@hub/partners';
import { createContribution, createPrivatePartner } from '../support/factories.js';
import { startTestSubgraph, type TestSubgraph } from '../support/hub.js';

describe('partners subgraph', () => {
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(partners);
    const partner = await createPrivatePartner(subgraph.em(), { id: 'prt_test_bank', provinceCode: 'TH-80' });
    await createContribution(subgraph.em(), { id: 'con_test_1', partnerId: partner.id, initiativeId: 'ini_km_nakhon', amountThb: 50000 });
  });
  afterAll(() => subgraph?.stop());

  it('resolves partners, provinces and initiatives through _entities', async () => {
    const result = await subgraph.query(
      /* GraphQL */ `
        query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on PrivatePartner { id sector province { code } contributions { nodes { id amountThb } } }
            ... on Province { partners { nodes { id } } }
            ... on Initiative { contributions { nodes { id partner { id } initiative { id } } } }
          }
        }
      `,
      {
        representations: [
          { __typename: 'PrivatePartner', id: 'prt_test_bank' },
          { __typename: 'Province', code: 'TH-80' },
          { __typename: 'Initiative', id: 'ini_km_nakhon' },
        ],
      },
    );
    expect(result).toEqual({
      data: {
        _entities: [
          {
            id: 'prt_test_bank',
            sector: 'PRIVATE',
            province: { code: 'TH-80' },
            contributions: { nodes: [{ id: 'con_test_1', amountThb: 50000 }] },
          },
          { partners: { nodes: [{ id: 'prt_test_bank' }] } },
          { contributions: { nodes: [{ id: 'con_test_1', partner: { id: 'prt_test_bank' }, initiative: { id: 'ini_km_nakhon' } }] } },
        ],
      },
    });
  });

  it('seeds no partner facts: the source names none', async () => {
    const result = await subgraph.query(`{ privatePartners(provinceCode: "TH-10") { totalCount } }`);
    expect(result).toEqual({ data: { privatePartners: { totalCount: 0 } } });
  });
});
