import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Initiative, InitiativeStatus, Link, LinkType, Participation, ParticipationRole } from '@hub/initiatives';
import { PrivatePartner, PrivatePartnerKind } from '@hub/partners';
import { mintToken, Role } from '@hub/server';
import { PROVINCES, provincialGovernmentCentreId, Sector, Theme } from '@hub/domain';
import { graphql } from '@hub/toolkit/testing';
import { DEFAULT_LIMITS } from '@hub/gateway';
import { startTestHub, type TestHub } from './support/hub.js';

const INITIATIVES = 60;

describe('batching (no N+1)', () => {
  let hub: TestHub;
  const statements: Record<string, number> = {};

  beforeAll(async () => {
    hub = await startTestHub({
      onQuery: (subgraph) => (statements[subgraph] = (statements[subgraph] ?? 0) + 1),
      // Batching is measured on pages of 50 at every level, far above what an anonymous
      // client may ask (demand control): an operator's budget, raised for this test.
      limits: { ...DEFAULT_LIMITS, maxCost: 10_000_000 },
    });
    // Sixty initiatives in different provinces, each with a people's, a government and a private participant.
    const partnersEm = hub.em('partners');
    const initiativesEm = hub.em('initiatives');
    for (let i = 0; i < INITIATIVES; i++) {
      const province = PROVINCES[i % PROVINCES.length]!;
      const partnerId = `prt_batch_${i}`;
      partnersEm.create(PrivatePartner, { id: partnerId, name: `ห้างหุ้นส่วน ${i}`, kind: PrivatePartnerKind.COMPANY, provinceCode: province.code });
      const initiativeId = `ini_batch_${String(i).padStart(3, '0')}`;
      initiativesEm.create(Initiative, {
        id: initiativeId,
        title: `โครงการ ${i}`,
        status: InitiativeStatus.IMPLEMENTATION,
        themes: [Theme.BASIC_WELFARE],
        provinceCodes: [province.code],
      });
      const participants: [string, Sector][] = [
        ['peo_th80_networks', Sector.PEOPLE],
        [provincialGovernmentCentreId(province.code), Sector.GOVERNMENT],
        [partnerId, Sector.PRIVATE],
      ];
      for (const [actorId, sector] of participants) {
        initiativesEm.create(Participation, { id: `par_batch_${i}_${sector}`, initiativeId, actorId, sector, role: ParticipationRole.IMPLEMENTING });
      }
      initiativesEm.create(Link, { id: `lnk_batch_${i}`, type: LinkType.FUNDING, sourceId: partnerId, targetId: 'peo_th80_networks' });
    }
    await partnersEm.flush();
    await initiativesEm.flush();
  });

  afterAll(() => hub?.stop());

  async function statementsFor(first: number) {
    for (const key of Object.keys(statements)) delete statements[key];
    const result = await hub.query(
      /* GraphQL */ `
        query DeepPage($first: Int) {
          initiatives(first: $first) {
            edges {
              node {
                id
                provinces { nameEn governmentCentres { totalCount nodes { id } } peopleOrganizations { nodes { id } } }
                participants {
                  totalCount
                  nodes {
                    role
                    actor { name sector province { nameTh } links { totalCount nodes { type target { name } } } }
                  }
                }
                contributions { nodes { id } }
              }
            }
          }
        }
      `,
      { first },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.initiatives.edges).toHaveLength(first);
    return { ...statements };
  }

  it('sends the same SQL statements to every subgraph for a page of 5 and a page of 50', async () => {
    const small = await statementsFor(5);
    const large = await statementsFor(50);
    expect(Object.keys(large).sort()).toEqual(['government', 'initiatives', 'partners', 'people']);
    expect(large).toEqual(small);
    const total = Object.values(large).reduce((sum, n) => sum + n, 0);
    // A handful per subgraph, however long the page: one per list or reference, never one per row.
    expect(total).toBeLessThanOrEqual(20);
  });

  async function statementsForHistories(first: number) {
    const viewer = await mintToken({ user: 'analyst', agency: 'peo_national_centre', sector: 'PEOPLE', role: Role.VIEWER, subgraphs: [] });
    for (const key of Object.keys(statements)) delete statements[key];
    const result = await graphql(
      hub.gatewayUrl,
      /* GraphQL */ `
        query Histories($first: Int) {
          initiatives(first: $first) {
            nodes {
              history { totalCount nodes { action user } }
              participants { nodes { history { nodes { action } } } }
            }
          }
          privatePartners(first: $first) { nodes { contact { email } history { nodes { action } } } }
        }
      `,
      { first },
      { authorization: `Bearer ${viewer}` },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.initiatives.nodes).toHaveLength(first);
    return { ...statements };
  }

  it('reads the change histories and contact details of a page of 5 and of 50 with the same SQL statements', async () => {
    const small = await statementsForHistories(5);
    const large = await statementsForHistories(50);
    expect(large).toEqual(small);
    // Initiatives: the page, the participants, their histories and the initiatives' (one each, plus a count); partners: the page and histories.
    expect(Object.values(large).reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(8);
  });

  async function statementsForProvinces(region: string | null) {
    for (const key of Object.keys(statements)) delete statements[key];
    const result = await hub.query(
      /* GraphQL */ `
        query ProvinceCards($region: Region) {
          provinces(region: $region) {
            code
            peopleCentre { id coordinatesWithProvincialCentre }
            peopleStats { total byKind { value count } }
            governmentStats { total }
            partnerStats { byKind { value count } }
            initiativeStats { total byTheme { value count } participationsByRole { value count } }
            initiatives(first: 3) { totalCount nodes { participants(first: 2) { nodes { actor { name } } } } }
          }
        }
      `,
      { region },
    );
    expect(result.errors).toBeUndefined();
    return { provinces: result.data.provinces.length, statements: { ...statements } };
  }

  it('counts and covers 14 provinces or all 77 with the same SQL statements', async () => {
    const south = await statementsForProvinces('SOUTH');
    const all = await statementsForProvinces(null);
    expect([south.provinces, all.provinces]).toEqual([14, 77]);
    expect(all.statements).toEqual(south.statements);
  });
});
