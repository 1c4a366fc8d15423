import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '@hub/scripts/demo';
import { startHub, type RunningHub } from '@hub/scripts/hub';
import { PrivatePartner, PrivatePartnerKind } from '@hub/partners';
import { mintToken, Role } from '@hub/server';
import { PROVINCES, provincialGovernmentCentreId } from '@hub/domain';
import { createSubgraphOrm, foldSearchText, migrate, parseSearch, searchTextOf, searchTextSql, searchWordStarts } from '@hub/toolkit';
import { people } from '@hub/people';
import { initiatives } from '@hub/initiatives';
import { createTestDatabase, graphql, type GraphQLResponse, type TestDatabase } from '@hub/toolkit/testing';

/** The migration that brings the fold below and word starts to every searchable table. */
const MIGRATION = 'Migration20261130090000_thai_search';

/** The decomposed sara am (U+0E4D U+0E32) that text pasted from PDFs carries, spelled out so no editor composes it. */
const AM = '\u0E4D\u0E32';

describe('the search fold', () => {
  it('composes sara am typed as two characters, also with a tone mark between them', () => {
    expect(foldSearchText(`หนองบัวล${AM}ภู`)).toBe(foldSearchText('หนองบัวลำภู'));
    expect(foldSearchText(`ศูนย์อ${AM}นวยการ`)).toBe(foldSearchText('ศูนย์อำนวยการ'));
    expect(foldSearchText('น\u0E4D\u0E49\u0E32')).toBe(foldSearchText('น้ำ')); // นํ้า: nikhahit, mai tho, sara aa
    expect(foldSearchText('น้ำ')).toBe('นำ');
  });

  it('keeps ignoring tone marks, case, spaces and punctuation, and composes to NFC', () => {
    expect(foldSearchText('ศูนย์อำนวยการต่อสู้')).toBe(foldSearchText('ศูนยอำนวยการตอสู'));
    expect(foldSearchText('NAKHON-SI  thammarat')).toBe('nakhonsithammarat');
    expect(foldSearchText('Cafe\u0301')).toBe(foldSearchText('Café'));
  });

  it('drops ฯลฯ ("etc.") and the abbreviation mark ฯ', () => {
    expect(foldSearchText('ข้าว ปลา ฯลฯ')).toBe('ขาวปลา');
    expect(foldSearchText('กรุงเทพฯ')).toBe('กรุงเทพ');
  });

  it('reads a query as words split where its writer split them, a word ending in ฯ an abbreviation', () => {
    expect(parseSearch('นครศรีฯ').words).toEqual([{ text: 'นครศรี', abbreviation: true }]);
    expect(parseSearch('กรุงเทพฯเขตบางรัก ฯลฯ').words).toEqual([
      { text: 'กรุงเทพ', abbreviation: true },
      { text: 'เขตบางรัก', abbreviation: false },
    ]);
    // A Thai phrase typed without spaces stays one word: it means the phrase.
    expect(parseSearch('แก้จนเมืองคอน').words).toEqual([{ text: 'แกจนเมืองคอน', abbreviation: false }]);
    expect(parseSearch('Nakhon  Si').phrase).toBe('nakhonsi');
  });

  it('refuses a search with fewer than two letters, over 200 characters or over 8 words', () => {
    for (const search of [' ฯ ', 'ก', 'x'.repeat(201), 'a b c d e f g h i']) {
      expect(() => parseSearch(search), search).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
    }
  });

  it('finds where words start, in both names, with Intl.Segmenter', () => {
    const name = 'ศูนย์อำนวยการต่อสู้เพื่อเอาชนะความยากจนจังหวัดนครศรีธรรมราช (ศตจ.จังหวัด)';
    const text = searchTextOf(name, 'Nakhon Si Thammarat');
    const starts = searchWordStarts(name, 'Nakhon Si Thammarat');
    const wordAt = (at: number) => text.slice(at - 1);
    expect(starts.some((at) => wordAt(at).startsWith('นครศรีธรรมราช'))).toBe(true);
    expect(starts.some((at) => wordAt(at).startsWith('nakhon'))).toBe(true);
    expect(starts.some((at) => wordAt(at).startsWith('thammarat'))).toBe(true);
    // Inside พระนครศรีอยุธยา, นคร starts no word.
    const ayutthaya = searchTextOf('จังหวัดพระนครศรีอยุธยา');
    expect(searchWordStarts('จังหวัดพระนครศรีอยุธยา').some((at) => ayutthaya.slice(at - 1).startsWith('นคร'))).toBe(false);
  });
});

const PAGE = /* GraphQL */ `
  query Search($search: String, $first: Int, $after: String) {
    governmentCentres(search: $search, first: $first, after: $after) {
      totalCount
      edges { cursor node { id name nameEn demo } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

interface Node {
  id: string;
  name: string;
  nameEn: string | null;
  demo: boolean;
}

describe('search in Thai as typed, ranked by relevance, through the gateway', () => {
  let database: TestDatabase;
  let hub: RunningHub;
  const statements: Record<string, number> = {};
  const query = (text: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> => graphql(hub.gatewayUrl, text, variables);
  const sql = async (subgraph: string, text: string, params: unknown[] = []) =>
    hub.subgraphs.find((s) => s.name === subgraph)!.orm.em.getConnection().execute<Record<string, any>[]>(text, params);
  const nodesOf = (result: GraphQLResponse, field: string): Node[] => {
    expect(result.errors).toBeUndefined();
    return result.data[field].edges.map((edge: { node: Node }) => edge.node);
  };
  /** Real records first: once a demo record comes, only demo records follow (at equal rank, which a test arranges). */
  const realFirst = (nodes: Node[]) => nodes.findIndex((n) => n.demo) === -1 || nodes.slice(nodes.findIndex((n) => n.demo)).every((n) => n.demo);

  beforeAll(async () => {
    database = await createTestDatabase();
    // The source facts and a small demo dataset: demo ids (gov_demo_…) sort before the real ones (gov_th…).
    await generateDemo({ scale: 'tiny' }, database.url);
    hub = await startHub({
      databaseUrl: database.url,
      port: 0,
      seed: true,
      responseCache: { ttlMs: 0, maxBytes: 0 },
      onQuery: (subgraph) => (statements[subgraph] = (statements[subgraph] ?? 0) + 1),
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await database?.drop();
  });

  it('stores what the JavaScript fold and Intl.Segmenter give, for seeded, demo and ORM-written rows alike', async () => {
    const tables = [
      ['people', 'people.people_organization', 'name', 'name_en'],
      ['government', 'government.government_centre', 'name', 'name_en'],
      ['partners', 'partners.private_partner', 'name', 'name_en'],
      ['initiatives', 'initiatives.initiative', 'title', 'title_en'],
    ] as const;
    const checked = { demo: 0, real: 0 };
    for (const [subgraph, table, name, nameEn] of tables) {
      const rows = await sql(subgraph, `select "${name}" as a, "${nameEn}" as b, search_text, search_word_starts, demo from ${table}`);
      for (const row of rows) {
        checked[row.demo ? 'demo' : 'real']++;
        expect(row.search_text, `${table}: ${row.a}`).toBe(searchTextOf(row.a, row.b));
        expect(row.search_word_starts, `${table}: ${row.a}`).toEqual(searchWordStarts(row.a, row.b));
      }
    }
    expect(checked.demo).toBeGreaterThan(100);
    expect(checked.real).toBeGreaterThan(PROVINCES.length);
  });

  it('folds in SQL as in JavaScript: decomposed sara am, tone marks, ฯ, ฯลฯ, punctuation', async () => {
    const names = [`หนองบัวล${AM}ภู`, 'น\u0E4D\u0E49\u0E32ใส', 'กรุงเทพฯ ฯลฯ', 'ศตจ.ปชช.', "O'Brien & Co. ฿100", 'Cafe\u0301 ๏ ๚ ๛', 'สํสกฤต'];
    for (const name of names) {
      const [row] = await sql('people', `select ${searchTextSql('a', 'b')} as folded from (select ?::text as a, ?::text as b) t`, [name, name]);
      expect(row!.folded, name).toBe(searchTextOf(name, name));
    }
  });

  it('finds Nakhon Si Thammarat\'s government centre by the post\'s abbreviation "นครศรีฯ", first, and not Phra Nakhon Si Ayutthaya\'s', async () => {
    const nodes = nodesOf(await query(PAGE, { search: 'นครศรีฯ', first: 50 }), 'governmentCentres');
    expect(nodes[0]?.id).toBe('gov_th80_centre');
    // ฯ abbreviates a word from its start: นครศรี inside พระนครศรีอยุธยา is not one.
    expect(nodes.map((n) => n.id)).not.toContain('gov_th14_centre');
    expect(nodes.every((n) => n.name.includes('นครศรีธรรมราช')), 'every match is in Nakhon Si Thammarat').toBe(true);
    expect(realFirst(nodes)).toBe(true);
    // Without ฯ, นครศรี is a fragment anywhere: Ayutthaya's centre matches, below Nakhon Si Thammarat's.
    const fragment = nodesOf(await query(PAGE, { search: 'นครศรี', first: 50 }), 'governmentCentres').map((n) => n.id);
    expect(fragment).toContain('gov_th14_centre');
    expect(fragment.indexOf('gov_th80_centre')).toBeLessThan(fragment.indexOf('gov_th14_centre'));
  });

  it('finds Nakhon Si Thammarat\'s people\'s centres by "นครฯ", first, real records before demo ones', async () => {
    const result = await query(/* GraphQL */ `{
      peopleOrganizations(search: "นครฯ", first: 100) { totalCount edges { node { id name nameEn demo } } }
    }`);
    const nodes = nodesOf(result, 'peopleOrganizations');
    const real = await sql('people', `select id, name from people.people_organization where not demo and archived_at is null order by id`);
    // Independently of the stored columns: real records with a Thai word starting with นคร, by Intl.Segmenter.
    const words = new Intl.Segmenter('th', { granularity: 'word' });
    const expected = real.filter((row) => [...words.segment(row.name)].some((s) => s.segment.startsWith('นคร'))).map((row) => row.id);
    expect(expected).toContain('peo_th80_centre');
    expect(nodes[0]?.id).toBe('peo_th80_centre');
    expect(nodes.filter((n) => !n.demo).map((n) => n.id).sort()).toEqual(expected.sort());
    expect(realFirst(nodes)).toBe(true);
    expect(nodes.some((n) => n.demo), 'demo records of Nakhon provinces match too, after').toBe(true);
  });

  it('finds TH-39\'s centre by its name with sara am typed as two characters', async () => {
    const id = provincialGovernmentCentreId('TH-39');
    const decomposed = nodesOf(await query(PAGE, { search: `หนองบัวล${AM}ภู`, first: 50 }), 'governmentCentres');
    expect(decomposed[0]?.id).toBe(id);
    const composed = nodesOf(await query(PAGE, { search: 'หนองบัวลำภู', first: 50 }), 'governmentCentres');
    expect(decomposed).toEqual(composed);
    const counts = await query(/* GraphQL */ `{
      decomposed: governmentCentres(search: "ศูนย์อ${AM}นวยการ") { totalCount }
      composed: governmentCentres(search: "ศูนย์อำนวยการ") { totalCount }
    }`);
    // The national centre and one per province.
    expect(counts.data.decomposed.totalCount).toBeGreaterThanOrEqual(PROVINCES.length + 1);
    expect(counts.data.decomposed.totalCount).toBe(counts.data.composed.totalCount);
  });

  it('ranks the real centres of "Nakhon …" provinces above demo records, and Nakhon Si Thammarat\'s first for "Nakhon Si"', async () => {
    const page1 = nodesOf(await query(PAGE, { search: 'Nakhon', first: 10 }), 'governmentCentres');
    // The provinces whose English name starts with Nakhon: their centres' names start with it too.
    const startsWithNakhon = PROVINCES.filter((p) => p.nameEn.startsWith('Nakhon ')).map((p) => provincialGovernmentCentreId(p.code));
    expect(startsWithNakhon).toContain('gov_th80_centre');
    expect(page1.slice(0, startsWithNakhon.length).map((n) => n.id)).toEqual([...startsWithNakhon].sort());
    // In id order, demo records (gov_demo_…) came first and the real centre was not on the page.
    const before = await sql('government', `select id from government.government_centre where search_text like '%nakhon%' order by id limit 10`);
    expect(before.map((row) => row.id)).not.toContain('gov_th80_centre');

    const nakhonSi = nodesOf(await query(PAGE, { search: 'Nakhon Si', first: 10 }), 'governmentCentres');
    expect(nakhonSi[0]?.id).toBe('gov_th80_centre');
    // "Phra Nakhon Si Ayutthaya" has Nakhon Si at a word start, not at the start of the name: after.
    expect(nakhonSi.findIndex((n) => n.id === 'gov_th14_centre')).toBeGreaterThan(0);
  });

  it('ranks a name that is the text above one that starts with it, above a word start, above a fragment, above words apart', async () => {
    const em = hub.subgraphs.find((s) => s.name === 'partners')!.orm.em.fork();
    const names: [string, string][] = [
      ['prt_rank_a_fragment', 'Paddyrice Mill'],
      ['prt_rank_b_apart', 'Mill of Rice'],
      ['prt_rank_c_word', 'Golden Rice Mill'],
      ['prt_rank_d_prefix', 'Rice Mill Cooperative'],
      ['prt_rank_e_exact', 'Rice-Mill'],
    ];
    for (const [id, name] of names) em.create(PrivatePartner, { id, name, kind: PrivatePartnerKind.COMPANY, provinceCode: 'TH-80' });
    await em.flush();
    const result = await query(/* GraphQL */ `{ privatePartners(search: "rice mill", first: 500) { edges { node { id } } } }`);
    const ids = nodesOf(result, 'privatePartners').map((n) => n.id).filter((id) => id.startsWith('prt_rank_'));
    expect(ids).toEqual(['prt_rank_e_exact', 'prt_rank_d_prefix', 'prt_rank_c_word', 'prt_rank_a_fragment', 'prt_rank_b_apart']);
  });

  it('gives a record written through the API its word starts, and new ones when its name changes, outside its audit trail', async () => {
    // The national centre's stewards, admins of the partners subgraph, register a rice mill in Nakhon Si Thammarat, then rename it.
    const token = await mintToken({ user: 'steward', agency: 'gov_national_centre', sector: 'GOVERNMENT', role: Role.ADMIN, subgraphs: ['partners'] });
    const asAdmin = (text: string, variables: Record<string, unknown>) => graphql(hub.gatewayUrl, text, variables, { authorization: `Bearer ${token}` });
    const created = await asAdmin(`mutation ($name: String!) { createPrivatePartner(input: { name: $name, kind: COMPANY, provinceCode: "TH-80" }) { id version } }`, {
      name: 'บริษัท โรงสีข้าวนครศรีธรรมราช จำกัด',
    });
    expect(created.errors).toBeUndefined();
    const { id, version } = created.data.createPrivatePartner;
    const ids = async (search: string) =>
      nodesOf(await query(`query ($s: String) { privatePartners(search: $s, first: 100) { edges { node { id } } } }`, { s: search }), 'privatePartners').map((n) => n.id);
    expect(await ids('นครศรีฯ')).toContain(id);

    const renamed = await asAdmin(`mutation ($id: ID!, $v: Int!) { updatePrivatePartner(id: $id, expectedVersion: $v, input: { name: "บริษัท โรงสีข้าวพระนครศรีอยุธยา จำกัด" }) { name history { nodes { before after } } } }`, {
      id,
      v: version,
    });
    expect(renamed.errors).toBeUndefined();
    const [row] = await sql('partners', `select search_word_starts from partners.private_partner where id = ?`, [id]);
    expect(row!.search_word_starts).toEqual(searchWordStarts('บริษัท โรงสีข้าวพระนครศรีอยุธยา จำกัด', null));
    expect(await ids('นครศรีฯ')).not.toContain(id);
    expect(await ids('นครศรี')).toContain(id);
    // What search derives is no fact of the record: the audit trail keeps the record's own fields.
    for (const change of renamed.data.updatePrivatePartner.history.nodes) {
      for (const values of [change.before, change.after].filter(Boolean)) {
        expect(Object.keys(values)).toContain('name');
        expect(Object.keys(values)).not.toContain('searchWordStarts');
        expect(Object.keys(values)).not.toContain('searchText');
      }
    }
  });

  it('pages through a list in order of relevance with `after`, every match exactly once, in the order of one page', async () => {
    const whole = await query(PAGE, { search: 'นคร', first: 500 });
    const all = nodesOf(whole, 'governmentCentres').map((n) => n.id);
    expect(all.length).toBe(whole.data.governmentCentres.totalCount);
    expect(all.length).toBeGreaterThan(10);
    const paged: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const result: GraphQLResponse = await query(PAGE, { search: 'นคร', first: 3, after });
      paged.push(...nodesOf(result, 'governmentCentres').map((n) => n.id));
      const { hasNextPage, endCursor } = result.data.governmentCentres.pageInfo;
      if (!hasNextPage) break;
      after = endCursor;
    }
    expect(paged).toEqual(all);
    expect(new Set(paged).size).toBe(paged.length);
  });

  it('reads a page in order of relevance in one statement, however long the page (no N+1)', async () => {
    const statementsFor = async (first: number) => {
      for (const key of Object.keys(statements)) delete statements[key];
      const result = await query(
        `query ($first: Int) { governmentCentres(search: "นคร", first: $first) { totalCount nodes { id parent { id } province { nameEn peopleOrganizations { totalCount } } } } }`,
        { first },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data.governmentCentres.nodes.length).toBe(Math.min(first, result.data.governmentCentres.totalCount));
      // Only the owners this query asks: the search subgraph indexes the others in the background meanwhile.
      return { government: statements.government, people: statements.people };
    };
    // The fewer of two runs: a statement of the background indexing may fall inside one of them.
    const fewest = async (first: number) => {
      const runs = [await statementsFor(first), await statementsFor(first)];
      const total = (run: Record<string, number | undefined>) => Object.values(run).reduce<number>((sum, n) => sum + (n ?? 0), 0);
      return total(runs[0]!) <= total(runs[1]!) ? runs[0]! : runs[1]!;
    };
    const five = await fewest(5);
    expect(await fewest(50)).toEqual(five);
    // The page, its count, the parents and the provinces.
    expect(five.government).toBe(4);
  });

  it('refuses a cursor of another order or another search, with BAD_USER_INPUT', async () => {
    const byId = await query(PAGE, { first: 2 });
    const byRelevance = await query(PAGE, { search: 'นคร', first: 2 });
    const idCursor = byId.data.governmentCentres.pageInfo.endCursor;
    const relevanceCursor = byRelevance.data.governmentCentres.pageInfo.endCursor;
    // Without search, the list is in id order as before.
    const ids = byId.data.governmentCentres.edges.map((e: { node: Node }) => e.node.id);
    expect(ids).toEqual([...ids].sort());
    for (const variables of [
      { search: 'นคร', first: 2, after: idCursor },
      { first: 2, after: relevanceCursor },
      { search: 'Nakhon', first: 2, after: relevanceCursor },
      { search: 'นคร', first: 2, after: Buffer.from('relevance:x:9:0:gov_th80_centre').toString('base64url') },
    ]) {
      const result = await query(PAGE, variables);
      expect(result.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe('BAD_USER_INPUT');
      expect(result.data).toEqual({ governmentCentres: null });
    }
  });
});

describe('the migration to Thai search', () => {
  it('gives the rows already there their new search text and their word starts', async () => {
    const database = await createTestDatabase();
    try {
      // Facts and demo rows, migrated; then the migration is undone and done again over them.
      await generateDemo({ scale: 'tiny' }, database.url);
      for (const [definition, table, name, nameEn] of [
        [people, 'people.people_organization', 'name', 'name_en'],
        [initiatives, 'initiatives.initiative', 'title', 'title_en'],
      ] as const) {
        const orm = await createSubgraphOrm(definition, { databaseUrl: database.url, poolSize: 2 });
        try {
          await orm.migrator.down([MIGRATION]);
          const connection = orm.em.getConnection();
          const [before] = await connection.execute(`select count(*)::int as n from information_schema.columns where column_name = 'search_word_starts' and table_schema = ?`, [definition.name]);
          expect(before!.n).toBe(0);
          await migrate(orm);
          const rows = await connection.execute(`select "${name}" as a, "${nameEn}" as b, search_text, search_word_starts from ${table}`);
          expect(rows.length).toBeGreaterThan(10);
          for (const row of rows) {
            expect(row.search_text).toBe(searchTextOf(row.a, row.b));
            expect(row.search_word_starts).toEqual(searchWordStarts(row.a, row.b));
          }
        } finally {
          await orm.close();
        }
      }
    } finally {
      await database.drop();
    }
  });
});
