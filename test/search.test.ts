import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from './support/hub.js';

const SEARCH_EVERYWHERE = /* GraphQL */ `
  query SearchEverywhere($search: String!) {
    peopleOrganizations(search: $search) { totalCount nodes { id } }
    governmentCentres(search: $search) { totalCount nodes { id } }
    privatePartners(search: $search) { totalCount nodes { id } }
    initiatives(search: $search) { totalCount nodes { id } }
  }
`;

describe('search by name, in Thai or English, across the graph', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub?.stop());

  const ids = (result: any, field: string) => result.data[field].nodes.map((n: { id: string }) => n.id);

  it('finds a Thai substring inside words written without spaces, in every owner at once', async () => {
    const result = await hub.query(SEARCH_EVERYWHERE, { search: 'นครศรีธรรมราช' });
    expect(result.errors).toBeUndefined();
    expect(ids(result, 'peopleOrganizations')).toEqual(['peo_th80_centre', 'peo_th80_networks']);
    expect(ids(result, 'governmentCentres')).toEqual(['gov_th80_centre']);
    expect(ids(result, 'privatePartners')).toEqual([]);

    // Independently: the same rows by a plain ILIKE on the owners' tables.
    const people = await hub.em('people').getConnection().execute(
      `select id from people.people_organization where name ilike '%นครศรีธรรมราช%' or name_en ilike '%นครศรีธรรมราช%' order by id`,
    );
    expect(ids(result, 'peopleOrganizations')).toEqual(people.map((r: any) => r.id));
  });

  it('ignores missing Thai tone marks, spaces, case and punctuation', async () => {
    const withoutMarks = await hub.query(SEARCH_EVERYWHERE, { search: 'ศูนยอำนวยการตอสู' }); // ศูนย์อำนวยการต่อสู้ without ์ ่ ้
    expect(withoutMarks.data.governmentCentres.totalCount).toBe(77 + 1);
    const english = await hub.query(SEARCH_EVERYWHERE, { search: 'NAKHON-SI  thammarat' });
    expect(ids(english, 'governmentCentres')).toEqual(['gov_th80_centre']);
    expect(ids(english, 'initiatives')).toEqual(['ini_km_nakhon']);
  });

  it('finds the initiative by part of its Thai title', async () => {
    const result = await hub.query(SEARCH_EVERYWHERE, { search: 'แก้จนเมืองคอน' });
    expect(ids(result, 'initiatives')).toEqual(['ini_km_nakhon']);
  });

  it('refuses a search with fewer than two letters', async () => {
    const result = await hub.query(`{ peopleOrganizations(search: " . ") { totalCount } }`);
    expect(result.data).toEqual({ peopleOrganizations: null });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
