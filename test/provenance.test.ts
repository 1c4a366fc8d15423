import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SOURCE, POST_50646 } from '@hub/domain';
import { migrate } from '@hub/toolkit';
import { startTestHub, type TestHub } from './support/hub.js';

/**
 * The post the seeded facts cite, as published (GotoKnow record 50646), with
 * its runs of white space as one space, as passages quote it.
 */
const POST = normalise(await readFile(new URL('./fixtures/sources/gotoknow-50646.txt', import.meta.url), 'utf8'));

function normalise(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/**
 * Whether a passage quotes the post verbatim: without its [insertions], each
 * part between the "…" of its elisions is in the post, in the post's order.
 */
function isVerbatim(passage: string): boolean {
  const parts = normalise(passage.replace(/\[[^\]]*\]/g, ' ')).split('…').map((part) => part.trim());
  let from = 0;
  for (const part of parts) {
    const at = part === '' ? -1 : POST.indexOf(part, from);
    if (at < 0) return false;
    from = at + part.length;
  }
  return true;
}

interface Cited {
  title: string;
  url: string | null;
  publishedOn: string | null;
  basis: string;
  passage: string | null;
  note: string | null;
}

const SOURCE = 'sources { title url publishedOn basis passage note }';

/** A citation of the post: where it is, and whether it states the fact or the fact was inferred from it. */
const citesPost = (basis: 'STATED' | 'INFERRED', passage: unknown = expect.any(String)) => ({
  title: POST_50646.title,
  url: POST_50646.url,
  publishedOn: POST_50646.publishedOn,
  basis,
  passage,
  note: expect.any(String),
});

/** The rows the seed wrote before sources had a basis, as they read: what the provenance migrations upgrade. */
async function ageToTheOldSeed(hub: TestHub) {
  const sql = (subgraph: string, statement: string, params: unknown[] = []) => hub.em(subgraph).getConnection().execute(statement, params);
  for (const subgraph of ['people', 'government', 'partners', 'initiatives']) {
    const tables = await sql(subgraph, `select table_name from information_schema.columns where table_schema = ? and column_name = 'sources'`, [subgraph]);
    for (const { table_name: table } of tables) {
      await sql(subgraph, `update "${subgraph}"."${table}" set sources = (
        select coalesce(jsonb_agg(s - 'basis' - 'passage' order by n), '[]'::jsonb) from jsonb_array_elements(sources) with ordinality as e(s, n))`);
    }
  }
  await sql('people', `update people.mandated_role set title_th = replace(title_th, 'ต่าง ๆเพื่อ', 'ต่าง ๆ เพื่อ') where id = 'role_provincial_centre_2'`);
  await sql('government', `update government.province set name_en = 'Bangkok' where code = 'TH-10'`);
  await sql('government', `update government.government_centre set name_en = 'Bangkok Provincial Operations Centre for the Fight to Overcome Poverty' where id = 'gov_th10_centre'`);
  await sql('initiatives', `update initiatives.participation set role = 'ACCOUNTABLE', lead = true where id = 'par_km_nakhon_government'`);
  await sql('initiatives', `update initiatives.initiative set description = ? where id = 'ini_km_nakhon'`, [
    "Already performs all four roles of a provincial people's centre, though its main host is not wholly the people's sector: started by the people's sector, hosted jointly.",
  ]);
  await sql('initiatives', `update initiatives.link set note = ? where id = 'lnk_people_government_th80'`, [
    "Role 3 of a provincial people's centre: coordinate with the provincial centre. Nakhon's centre is still in coordination.",
  ]);
}

/** Runs each subgraph's provenance migration again, as an upgrade from before it would. */
async function upgrade(hub: TestHub) {
  for (const { name, orm } of hub.subgraphs) {
    await orm.em.getConnection().execute(`delete from "${name}"."mikro_orm_migrations" where name like '%\\_provenance'`);
    await migrate(orm);
  }
}

/** A record of the demo generator, as it writes them: its source is DEMO_SOURCE, without a basis before the change. */
async function addDemoRecord(hub: TestHub, source: object) {
  await hub.em('people').getConnection().execute(
    `insert into people.people_organization (id, name, kind, organisation_type, status, sources, demo) values ('peo_demo_provenance', 'ชุมชนสาธิต', 'COMMUNITY_ORGANISATION', 'NATIONAL_NGO', 'ESTABLISHED', ?::jsonb, true)`,
    [JSON.stringify([source])],
  );
}

const { basis: _basis, passage: _passage, ...OLD_DEMO_SOURCE } = DEMO_SOURCE;

describe.each([
  { hub: 'a freshly seeded hub', upgraded: false },
  { hub: 'a hub seeded before sources had a basis, then upgraded', upgraded: true },
])('the provenance of the post\'s facts, in $hub', ({ upgraded }) => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub();
    if (upgraded) {
      await addDemoRecord(hub, OLD_DEMO_SOURCE);
      await ageToTheOldSeed(hub);
      await upgrade(hub);
    } else {
      await addDemoRecord(hub, DEMO_SOURCE);
    }
  });
  afterAll(() => hub?.stop());

  it('tells, fact by fact, what the post states and what was inferred from it, with the hedge on who hosts the Nakhon project kept', async () => {
    const result = await hub.query(/* GraphQL */ `
      query FactsOfThePost {
        order: officialOrder(id: "ord_2006_02_28") { issuedOn pilotProvinceCount pilotProvinces { code } issuedBy { id } ${SOURCE} }
        nationalGovernmentCentre: governmentCentre(id: "gov_national_centre") { kind ${SOURCE} }
        codi: governmentCentre(id: "gov_codi") { kind ${SOURCE} }
        nationalPeopleCentre: peopleOrganization(id: "peo_national_centre") {
          kind ${SOURCE}
          links { nodes { id type target { id } ${SOURCE} } }
        }
        nakhonPeopleCentre: peopleOrganization(id: "peo_th80_centre") {
          kind status province { code } ${SOURCE}
          links { nodes { id type source { id } target { id } note ${SOURCE} } }
        }
        nakhonPeoplesSector: peopleOrganization(id: "peo_th80_networks") { name kind ${SOURCE} }
        roles: mandatedRoles(appliesTo: PROVINCIAL_CENTRE) { ordinal ${SOURCE} }
        initiative(id: "ini_km_nakhon") {
          status themes description ${SOURCE}
          participants { nodes { id role lead actor { id } ${SOURCE} } }
        }
        provincialCentres: governmentCentres(kind: PROVINCIAL_CENTRE, first: 100) { totalCount nodes { ${SOURCE} } }
        bangkok: province(code: "TH-10") { nameEn ${SOURCE} governmentCentres { nodes { nameEn } } }
      }
    `);
    const stated = citesPost('STATED');
    const inferred = citesPost('INFERRED');
    expect(result).toEqual({
      data: {
        order: { issuedOn: '2006-02-28', pilotProvinceCount: 42, pilotProvinces: [], issuedBy: { id: 'gov_national_centre' }, sources: [stated] },
        nationalGovernmentCentre: { kind: 'NATIONAL_CENTRE', sources: [stated] },
        codi: { kind: 'PUBLIC_ORGANISATION', sources: [citesPost('STATED', 'พัช พอช.')] },
        nationalPeopleCentre: {
          kind: 'NATIONAL_CENTRE',
          sources: [stated],
          links: { nodes: [{ id: 'lnk_people_government_national', type: 'COUNTERPART', target: { id: 'gov_national_centre' }, sources: [inferred] }] },
        },
        nakhonPeopleCentre: {
          kind: 'PROVINCIAL_CENTRE',
          status: 'IN_COORDINATION',
          province: { code: 'TH-80' },
          sources: [stated],
          links: {
            nodes: expect.arrayContaining([
              // Coordination is the third role's duty, not something the post reports.
              {
                id: 'lnk_people_government_th80',
                type: 'COORDINATION',
                source: { id: 'peo_th80_centre' },
                target: { id: 'gov_th80_centre' },
                note: expect.stringMatching(/^A duty, not reported coordination/),
                sources: [citesPost('INFERRED', expect.stringContaining('3 ประสานการทำงานร่วมกับ'))],
              },
              {
                id: 'lnk_networks_people_centre_th80',
                type: 'COORDINATION',
                source: { id: 'peo_th80_networks' },
                target: { id: 'peo_th80_centre' },
                note: expect.stringContaining('(inferred)'),
                sources: [inferred],
              },
            ]),
          },
        },
        nakhonPeoplesSector: { name: 'ขบวนเครือข่ายชุมชนจังหวัดนครศรีธรรมราช', kind: 'COMMUNITY_NETWORK', sources: [inferred] },
        roles: [1, 2, 3, 4].map((ordinal) => ({ ordinal, sources: [stated] })),
        initiative: {
          status: 'IMPLEMENTATION',
          themes: ['PRODUCTION', 'MANAGEMENT', 'LAND', 'BASIC_WELFARE', 'SUFFICIENCY_LIVELIHOOD'],
          description: expect.stringContaining('may not be wholly'),
          sources: [citesPost('STATED', expect.stringContaining('เจ้าภาพหลักอาจจะไม่ใช่ประชาชนทั้งหมด'))],
          participants: {
            nodes: expect.arrayContaining([
              { id: 'par_km_nakhon_networks', role: 'IMPLEMENTING', lead: true, actor: { id: 'peo_th80_networks' }, sources: [inferred] },
              // Takes part; that it co-hosts is only possible ("อาจจะ"), so it is no main host.
              {
                id: 'par_km_nakhon_government',
                role: 'IMPLEMENTING',
                lead: false,
                actor: { id: 'gov_th80_centre' },
                sources: [citesPost('INFERRED', expect.stringContaining('อาจจะ'))],
              },
            ]),
          },
        },
        provincialCentres: { totalCount: 77, nodes: Array.from({ length: 77 }, () => ({ sources: [inferred] })) },
        bangkok: {
          nameEn: 'Krung Thep Maha Nakhon',
          sources: [expect.objectContaining({ title: expect.stringContaining('ISO 3166-2:TH'), basis: 'STATED', passage: null })],
          governmentCentres: { nodes: [{ nameEn: 'Krung Thep Maha Nakhon Provincial Operations Centre for the Fight to Overcome Poverty' }] },
        },
      },
    });
    expect(result.data.initiative.participants.nodes).toHaveLength(2);
    expect(result.data.nakhonPeopleCentre.links.nodes).toHaveLength(2);
  });

  it('quotes the post verbatim in every passage and role title, insertions in [brackets] and elisions as "…"', async () => {
    const cited = await everySourceOfThePost(hub);
    expect(cited.length).toBeGreaterThan(77 + 10);
    const misquoted = cited.filter(({ passage }) => !isVerbatim(passage ?? ''));
    expect(misquoted, 'passages not found in the post').toEqual([]);

    const roles = await hub.query(`{ mandatedRoles(appliesTo: PROVINCIAL_CENTRE) { titleTh } }`);
    expect(roles.data.mandatedRoles.filter(({ titleTh }: { titleTh: string }) => !isVerbatim(titleTh))).toEqual([]);

    // The check itself: an unmarked insertion, or parts out of the post's order, are not verbatim.
    expect(isVerbatim('การริเริ่มในเบื้องต้นนั้นใช่ (ประชาชน)')).toBe(false);
    expect(isVerbatim('การริเริ่มในเบื้องต้นนั้นใช่ [ประชาชน]')).toBe(true);
    expect(isVerbatim('แต่การริเริ่มในเบื้องต้นนั้นใช่ … ศตจ.ชาติจึงได้มีคำสั่งจัดตั้ง')).toBe(false);
  });

  it('cites the post nowhere without a passage, and explains every inference', async () => {
    const cited = await everySourceOfThePost(hub);
    expect(cited.filter((source) => !source.passage)).toEqual([]);
    expect(cited.filter((source) => source.basis !== 'STATED' && source.basis !== 'INFERRED')).toEqual([]);
    expect(cited.filter((source) => source.basis === 'INFERRED' && !source.note)).toEqual([]);
  });

  it('marks generated demo data as such, not as stated by a source', async () => {
    const result = await hub.query(`{ peopleOrganization(id: "peo_demo_provenance") { demo sources { basis passage } } }`);
    expect(result).toEqual({ data: { peopleOrganization: { demo: true, sources: [{ basis: 'GENERATED', passage: null }] } } });
  });
});

/** Every source, of every record the hub serves, that cites the post: a few questions, to stay within the cost limit. */
async function everySourceOfThePost(hub: TestHub): Promise<Cited[]> {
  const links = (first: number) => `links(first: ${first}) { totalCount nodes { ${SOURCE} } }`;
  const questions = [
    `{ provinces { ${SOURCE} } officialOrders { ${SOURCE} } mandatedRoles { ${SOURCE} } }`,
    `{ initiatives(first: 50) { totalCount nodes { ${SOURCE} participants(first: 50) { totalCount nodes { ${SOURCE} } } } } }`,
    `{ peopleOrganizations(first: 50) { totalCount nodes { ${SOURCE} ${links(20)} } } }`,
    `{ privatePartners(first: 50) { totalCount nodes { ${SOURCE} ${links(20)} } } }`,
    `{ governmentCentres(first: 100) { totalCount nodes { ${SOURCE} ${links(5)} } } }`,
  ];
  const sources: Cited[] = [];
  for (const question of questions) {
    const result = await hub.query(question);
    expect(result.errors).toBeUndefined();
    JSON.stringify(result.data, (key, value) => {
      if (key === 'sources') sources.push(...(value as Cited[]));
      // Every page holds its whole list: no record is left unchecked.
      if (value?.nodes && 'totalCount' in value) expect(value.nodes).toHaveLength(value.totalCount);
      return value;
    });
  }
  return sources.filter((source) => source.url === POST_50646.url);
}
