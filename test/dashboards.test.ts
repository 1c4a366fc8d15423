import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OfficialOrder } from '@hub/government';
import { InitiativeStatus } from '@hub/initiatives';
import { PeopleOrganization, PeopleOrganizationKind } from '@hub/people';
import { PrivatePartnerKind } from '@hub/partners';
import { EstablishmentStatus, provinceCodesOf, Region, Theme } from '@hub/domain';
import { createInitiative, createParticipation, createPrivatePartner } from './support/factories.js';
import { startTestHub, type TestHub } from './support/hub.js';

/** Counts as the API gives them: [{ value, count }], largest first. */
type Counts = { value: string; count: number }[];
const sorted = (rows: { value: string; count: number | string }[]): Counts =>
  rows
    .map((r) => ({ value: r.value, count: Number(r.count) }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));

describe('dashboard aggregates and coverage, through the gateway', () => {
  let hub: TestHub;
  const sql = (subgraph: string, query: string, params: unknown[] = []) =>
    hub.em(subgraph).getConnection().execute<any[]>(query, params);

  beforeAll(async () => {
    hub = await startTestHub();
    // A second province with a people's centre that has no coordination link, and some partners and initiatives.
    const people = hub.em('people');
    people.create(PeopleOrganization, {
      id: 'peo_test_th10_centre',
      name: 'ศตจ.ปชช.กรุงเทพมหานคร (ทดสอบ)',
      kind: PeopleOrganizationKind.PROVINCIAL_CENTRE,
      status: EstablishmentStatus.ESTABLISHED,
      provinceCode: 'TH-10',
    });
    await people.flush();
    await createPrivatePartner(hub.em('partners'), { provinceCode: 'TH-80', kind: PrivatePartnerKind.FOUNDATION });
    await createPrivatePartner(hub.em('partners'), { provinceCode: 'TH-80', kind: PrivatePartnerKind.COMPANY });
    await createPrivatePartner(hub.em('partners'), { provinceCode: 'TH-90', kind: PrivatePartnerKind.COMPANY });
    const south = await createInitiative(hub.em('initiatives'), {
      provinceCodes: ['TH-80', 'TH-90'],
      themes: [Theme.LAND, Theme.BASIC_WELFARE],
      status: InitiativeStatus.PIPELINE,
    });
    await createParticipation(hub.em('initiatives'), { initiativeId: south.id, actorId: 'gov_th90_centre' });
    await createInitiative(hub.em('initiatives'), { provinceCodes: ['TH-10'], themes: [Theme.PRODUCTION] });
    const government = hub.em('government');
    government.create(OfficialOrder, {
      id: 'ord_test_pilots',
      title: 'คำสั่งทดสอบ',
      issuedOn: '2007-01-01',
      issuedById: 'gov_national_centre',
      pilotProvinceCodes: ['TH-80', 'TH-10', 'TH-50'],
    });
    await government.flush();
  });
  afterAll(() => hub?.stop());

  it('counts one province by sector and kind, each owner in SQL, matching independent counts', async () => {
    const result = await hub.query(/* GraphQL */ `{
      province(code: "TH-80") {
        peopleStats { total byKind { value count } byStatus { value count } }
        governmentStats { total byKind { value count } }
        partnerStats { total byKind { value count } }
        initiativeStats { total byTheme { value count } byStatus { value count } participationsByRole { value count } participationsBySector { value count } }
      }
    }`);
    expect(result.errors).toBeUndefined();
    const p = result.data.province;
    expect(p.peopleStats.byKind).toEqual(
      sorted(await sql('people', `select kind as value, count(*) as count from people.people_organization where province_code = 'TH-80' group by kind`)),
    );
    expect(p.peopleStats.total).toBe(2);
    expect(p.partnerStats).toEqual({
      total: 2,
      byKind: sorted(await sql('partners', `select kind as value, count(*) as count from partners.private_partner where province_code = 'TH-80' group by kind`)),
    });
    expect(p.governmentStats).toEqual({ total: 1, byKind: [{ value: 'PROVINCIAL_CENTRE', count: 1 }] });
    expect(p.initiativeStats.total).toBe(2);
    expect(p.initiativeStats.byTheme).toEqual(
      sorted(await sql('initiatives', `select th as value, count(*) as count from initiatives.initiative, unnest(themes) th where 'TH-80' = any(province_codes) group by th`)),
    );
    expect(p.initiativeStats.participationsBySector).toEqual(
      sorted(
        await sql(
          'initiatives',
          `select p.sector as value, count(*) as count from initiatives.participation p join initiatives.initiative i on i.id = p.initiative_id
           where 'TH-80' = any(i.province_codes) group by p.sector`,
        ),
      ),
    );
  });

  it('counts a region without counting an initiative twice, and the whole country', async () => {
    const result = await hub.query(/* GraphQL */ `{
      south: initiativeStats(region: SOUTH) { total byStatus { value count } }
      country: initiativeStats { total participationsByRole { value count } }
      people: peopleStats { total }
    }`);
    const southCodes = provinceCodesOf(Region.SOUTH);
    const [southTotal] = await sql('initiatives', `select count(*) as n from initiatives.initiative where province_codes && ?::text[]`, [
      `{${southCodes.join(',')}}`,
    ]);
    expect(result.data.south.total).toBe(Number(southTotal.n));
    expect(result.data.south.total).toBe(2); // the Nakhon initiative and the one in TH-80 and TH-90, once each
    const [all] = await sql('initiatives', `select count(*) as n from initiatives.initiative`);
    expect(result.data.country.total).toBe(Number(all.n));
    expect(result.data.country.participationsByRole).toEqual(
      sorted(await sql('initiatives', `select role as value, count(*) as count from initiatives.participation group by role`)),
    );
    expect(result.data.people.total).toBe(4);
  });

  it('answers which provinces have a people\'s centre, for all 77 in one request', async () => {
    const result = await hub.query(`{ provinces { code peopleCentre { id status } } }`);
    const withCentre = result.data.provinces.filter((p: any) => p.peopleCentre);
    expect(withCentre).toEqual([
      { code: 'TH-10', peopleCentre: { id: 'peo_test_th10_centre', status: 'ESTABLISHED' } },
      { code: 'TH-80', peopleCentre: { id: 'peo_th80_centre', status: 'IN_COORDINATION' } },
    ]);
  });

  it("answers which people's centres have no coordination link to their provincial government centre", async () => {
    const result = await hub.query(`{
      peopleOrganizations(kind: PROVINCIAL_CENTRE) { nodes { id coordinatesWithProvincialCentre } }
    }`);
    expect(result).toEqual({
      data: {
        peopleOrganizations: {
          nodes: [
            { id: 'peo_test_th10_centre', coordinatesWithProvincialCentre: false },
            { id: 'peo_th80_centre', coordinatesWithProvincialCentre: true },
          ],
        },
      },
    });
  });

  it('answers which pilot provinces have no joint initiative', async () => {
    const result = await hub.query(`{
      officialOrder(id: "ord_test_pilots") { pilotProvinces { code initiatives { totalCount } } }
    }`);
    expect(result).toEqual({
      data: {
        officialOrder: {
          pilotProvinces: [
            { code: 'TH-80', initiatives: { totalCount: 2 } },
            { code: 'TH-10', initiatives: { totalCount: 1 } },
            { code: 'TH-50', initiatives: { totalCount: 0 } },
          ],
        },
      },
    });
  });

  it('refuses a stats scope of both a region and a province', async () => {
    const result = await hub.query(`{ partnerStats(region: SOUTH, provinceCode: "TH-80") { total } }`);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

});
