import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParticipationRole } from '@hub/initiatives';
import { FACT, POST_50646 } from '@hub/domain';
import { createParticipation, createPrivatePartner } from './support/factories.js';
import { startTestHub, type TestHub } from './support/hub.js';

describe('the federated graph, through the gateway over HTTP', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub();
    // The source names no private partner, so the test brings one to Nakhon's initiative.
    const partner = await createPrivatePartner(hub.em('partners'), {
      id: 'prt_test_nakhon_coop',
      name: 'สหกรณ์ออมทรัพย์ทดสอบนครศรีธรรมราช',
      provinceCode: 'TH-80',
    });
    await createParticipation(hub.em('initiatives'), {
      initiativeId: FACT.nakhonKnowledgeInitiative,
      actorId: partner.id,
      role: ParticipationRole.FUNDING,
    });
  });

  afterAll(() => hub?.stop());

  it("answers a province with its people's organisations, government centres, partners and initiatives", async () => {
    const result = await hub.query(/* GraphQL */ `
      query NakhonProvince {
        province(code: "TH-80") {
          code
          nameTh
          nameEn
          region
          peopleOrganizations { totalCount nodes { id kind status } }
          governmentCentres { totalCount nodes { id kind } }
          partners { totalCount nodes { id kind } }
          initiatives { totalCount nodes { id title } }
        }
      }
    `);
    expect(result).toEqual({
      data: {
        province: {
          code: 'TH-80',
          nameTh: 'นครศรีธรรมราช',
          nameEn: 'Nakhon Si Thammarat',
          region: 'SOUTH',
          peopleOrganizations: {
            totalCount: 2,
            nodes: [
              { id: 'peo_th80_centre', kind: 'PROVINCIAL_CENTRE', status: 'IN_COORDINATION' },
              { id: 'peo_th80_networks', kind: 'COMMUNITY_NETWORK', status: 'ESTABLISHED' },
            ],
          },
          governmentCentres: { totalCount: 1, nodes: [{ id: 'gov_th80_centre', kind: 'PROVINCIAL_CENTRE' }] },
          partners: { totalCount: 1, nodes: [{ id: 'prt_test_nakhon_coop', kind: 'COMPANY' }] },
          initiatives: { totalCount: 1, nodes: [{ id: 'ini_km_nakhon', title: 'โครงการจัดการความรู้แก้จนเมืองคอน' }] },
        },
      },
    });
  });

  it('answers an initiative with participants from all three sectors, each field from its owner', async () => {
    const result = await hub.query(/* GraphQL */ `
      query KnowledgeInitiative {
        initiative(id: "ini_km_nakhon") {
          title
          status
          themes
          provinces { code nameEn }
          participants {
            nodes {
            role
            lead
            actor {
              __typename
              id
              sector
              province { code }
              ... on PeopleOrganization { peopleKind: kind status }
              ... on GovernmentCentre { governmentKind: kind organisationType }
              ... on PrivatePartner { partnerKind: kind }
            }
            }
          }
          sources { url publishedOn }
        }
      }
    `);
    expect(result).toEqual({
      data: {
        initiative: {
          title: 'โครงการจัดการความรู้แก้จนเมืองคอน',
          status: 'IMPLEMENTATION',
          themes: ['PRODUCTION', 'MANAGEMENT', 'LAND', 'BASIC_WELFARE', 'SUFFICIENCY_LIVELIHOOD'],
          provinces: [{ code: 'TH-80', nameEn: 'Nakhon Si Thammarat' }],
          participants: { nodes: [
            {
              role: 'IMPLEMENTING',
              lead: false,
              actor: {
                __typename: 'GovernmentCentre',
                id: 'gov_th80_centre',
                sector: 'GOVERNMENT',
                province: { code: 'TH-80' },
                governmentKind: 'PROVINCIAL_CENTRE',
                organisationType: 'GOVERNMENT',
              },
            },
            {
              role: 'IMPLEMENTING',
              lead: true,
              actor: {
                __typename: 'PeopleOrganization',
                id: 'peo_th80_networks',
                sector: 'PEOPLE',
                province: { code: 'TH-80' },
                peopleKind: 'COMMUNITY_NETWORK',
                status: 'ESTABLISHED',
              },
            },
            {
              role: 'FUNDING',
              lead: false,
              actor: {
                __typename: 'PrivatePartner',
                id: 'prt_test_nakhon_coop',
                sector: 'PRIVATE',
                province: { code: 'TH-80' },
                partnerKind: 'COMPANY',
              },
            },
          ] },
          sources: [{ url: POST_50646.url, publishedOn: '2006-09-18' }],
        },
      },
    });
  });

  it('answers an actor with its links, whichever subgraph owns each end', async () => {
    const result = await hub.query(/* GraphQL */ `
      query ActorLinks($id: ID!) {
        actor(id: $id) {
          id
          name
          sector
          links { nodes { type source { id sector } target { id sector } } }
          initiatives { nodes { id } }
        }
      }
    `, { id: 'gov_th80_centre' });
    expect(result.errors).toBeUndefined();
    expect(result.data.actor).toMatchObject({
      id: 'gov_th80_centre',
      sector: 'GOVERNMENT',
      links: {
        nodes: [
          {
            type: 'COORDINATION',
            source: { id: 'peo_th80_centre', sector: 'PEOPLE' },
            target: { id: 'gov_th80_centre', sector: 'GOVERNMENT' },
          },
        ],
      },
      initiatives: { nodes: [{ id: 'ini_km_nakhon' }] },
    });
    expect(result.data.actor.name).toContain('นครศรีธรรมราช');
  });

  it("tells the 2006 order's facts: 42 pilots, none of them named, so no province is marked a pilot", async () => {
    const result = await hub.query(/* GraphQL */ `
      query PilotOrder {
        officialOrders { id issuedOn pilotProvinceCount pilotProvinces { code } issuedBy { id } }
        province(code: "TH-80") { pilotIn { id } }
      }
    `);
    expect(result).toEqual({
      data: {
        officialOrders: [
          {
            id: 'ord_2006_02_28',
            issuedOn: '2006-02-28',
            pilotProvinceCount: 42,
            pilotProvinces: [],
            issuedBy: { id: 'gov_national_centre' },
          },
        ],
        province: { pilotIn: [] },
      },
    });
  });

  it('lists all 77 provinces, each with ISO, DOPA and OCHA codes that agree', async () => {
    const result = await hub.query(/* GraphQL */ `{ provinces { code dopaCode pcode region } }`);
    const provinces = result.data.provinces as { code: string; dopaCode: string; pcode: string }[];
    expect(provinces).toHaveLength(77);
    for (const p of provinces) {
      expect(p.code).toBe(`TH-${p.dopaCode}`);
      expect(p.pcode).toBe(`TH${p.dopaCode}`);
    }
  });

  it('refuses bad input with a coded error, not a crash', async () => {
    const result = await hub.query(/* GraphQL */ `
      { province(code: "Nakhon") { code } actor(id: "nobody") { id } initiatives(first: 501) { totalCount } }
    `);
    expect(result.data).toEqual({ province: null, actor: null, initiatives: null });
    expect(result.errors?.map((e) => [e.path?.[0], e.extensions?.code])).toEqual(
      expect.arrayContaining([
        ['province', 'BAD_USER_INPUT'],
        ['actor', 'BAD_USER_INPUT'],
        ['initiatives', 'BAD_USER_INPUT'],
      ]),
    );
  });

  it('pages initiatives with cursors that never skip or repeat', async () => {
    const first = await hub.query(/* GraphQL */ `{ initiatives(first: 1) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`);
    expect(first.data.initiatives.totalCount).toBe(1);
    expect(first.data.initiatives.pageInfo.hasNextPage).toBe(false);
    const after = await hub.query(`query($after: String) { initiatives(first: 1, after: $after) { edges { node { id } } } }`, {
      after: first.data.initiatives.pageInfo.endCursor,
    });
    expect(after).toEqual({ data: { initiatives: { edges: [] } } });
  });
});
