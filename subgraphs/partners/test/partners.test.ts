import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contribution, ContributionKind, partners, PrivatePartner, PrivatePartnerKind } from '../src/subgraph.js';
import { startTestSubgraph, type TestSubgraph } from '@hub/toolkit/testing';

describe('partners subgraph', () => {
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(partners);
    const em = subgraph.em();
    em.create(PrivatePartner, { id: 'prt_test_bank', name: 'ธนาคารทดสอบ', kind: PrivatePartnerKind.FINANCIAL_INSTITUTION, provinceCode: 'TH-80' });
    em.create(Contribution, {
      id: 'con_test_1',
      partnerId: 'prt_test_bank',
      initiativeId: 'ini_km_nakhon',
      kind: ContributionKind.FUNDING,
      description: 'Seed money for a savings group',
      amountThb: 50000,
    });
    await em.flush();
  });
  afterAll(() => subgraph?.stop());

  it('resolves partners, provinces and initiatives through _entities', async () => {
    const result = await subgraph.query(
      /* GraphQL */ `
        query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on PrivatePartner { id sector province { code } contributions { nodes { id amountThb } } }
            ... on Province { partners { nodes { id } } }
            # Aliased: Initiative.contributions is nullable (another owner's type) and PrivatePartner's is not,
            # so one response name cannot hold both (the gateway's planner aliases them alike).
            ... on Initiative { initiativeContributions: contributions { nodes { id partner { id } initiative { id } } } }
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
          { initiativeContributions: { nodes: [{ id: 'con_test_1', partner: { id: 'prt_test_bank' }, initiative: { id: 'ini_km_nakhon' } }] } },
        ],
      },
    });
  });

  it('seeds no partner facts: the source names none', async () => {
    const result = await subgraph.query(`{ privatePartners(provinceCode: "TH-10") { totalCount } }`);
    expect(result).toEqual({ data: { privatePartners: { totalCount: 0 } } });
  });
});
