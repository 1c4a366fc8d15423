import type { FloorDatabase } from './database.js';
import { neighbourhood, provinceNetwork, shortestPath } from './graph.js';
import { ACTORS, actorJson, connectionJson, countsJson, DEFAULT_PAGE, jsonList, provinceNameJson } from './sql.js';

/**
 * The floor's answer to each query of examples/, by operation name: the
 * `data` of the hub's answer, as JSON text, from SQL written for that one
 * operation. All but the graph queries are one statement that builds the
 * whole answer in PostgreSQL; the graph queries (graph.ts) walk or rank in a
 * few statements and some JavaScript. Variables arrive with the example's
 * defaults and are bound as parameters.
 */

export type Variables = Record<string, unknown>;
export type Answer = (db: FloorDatabase, variables: Variables) => Promise<string>;

/** One statement whose single value is the answer's `data`; its parameters are `variables`, in order. */
function statement(name: string, sql: string, variables: string[] = []): Answer {
  const text = `select (${sql})::text`;
  return (db, values) => db.json(name, text, variables.map((v) => values[v] ?? null));
}

/** An owner's actors in a scope (a condition on `t`): how many, and how many by each of `dimensions` (columns of `t`). */
function actorStats(table: string, scope: string, dimensions: Record<string, string>): string {
  const rows = `from ${table} t where ${scope} and t.archived_at is null`;
  const counts = Object.entries(dimensions).map(([field, column]) => `'${field}', ${countsJson(`select ${column}, count(*)::int ${rows} group by 1`)}`);
  return `json_build_object('total', (select count(*)::int ${rows}), ${counts.join(', ')})`;
}

/**
 * Initiatives and participations counted in a scope: a condition on an
 * initiative (`initiatives('t')`), and the same on a participation `t`
 * (through its initiative). An initiative counts once however many of the
 * scope's provinces it works in, and once under each of its themes.
 */
function initiativeStats(scope: { initiatives: (initiative: string) => string; participations: string }, fields: string[]): string {
  const initiatives = (join = '') => `from initiatives.initiative t ${join} where ${scope.initiatives('t')} and t.archived_at is null`;
  const participations = `from initiatives.participation t where ${scope.participations} and t.archived_at is null`;
  const all: Record<string, string> = {
    total: `(select count(*)::int ${initiatives()})`,
    byTheme: countsJson(`select th.theme, count(*)::int ${initiatives('cross join lateral unnest(t.themes) th(theme)')} group by 1`),
    byStatus: countsJson(`select t.status, count(*)::int ${initiatives()} group by 1`),
    participationsByRole: countsJson(`select t.role, count(*)::int ${participations} group by 1`),
    participationsBySector: countsJson(`select t.sector, count(*)::int ${participations} group by 1`),
  };
  return `json_build_object(${fields.map((field) => `'${field}', ${all[field]}`).join(', ')})`;
}

/** The province codes of region `$1`. */
const REGION_CODES = 'array(select code::text from government.province where region = $1)';

/** An actor `t` in region `$1`, or anywhere when `$1` is null. */
const ACTOR_IN_REGION = `($1::text is null or t.province_code = any(${REGION_CODES}))`;

/** An initiative's participants (`initiative` is its id), a page in id order. */
function participants(initiative: string, node: string, totalCount = false): string {
  return connectionJson({
    rows: `select * from initiatives.participation pa where pa.initiative_id = ${initiative} and pa.archived_at is null`,
    first: String(DEFAULT_PAGE),
    node,
    totalCount,
  });
}

/** Initiatives working in province `code`, archived ones left out. */
function initiativesIn(code: string): string {
  return `select * from initiatives.initiative i where i.province_codes @> array[${code}]::text[] and i.archived_at is null`;
}

/** `{ code }` of each province an initiative `r` works in, in its order. */
const PROVINCE_CODES = jsonList(`json_build_object('code', r.code)`, 'select * from unnest(r.province_codes) with ordinality c(code, n)', 'r.n');

/**
 * The example's search text `$1` folded in SQL as the table's `search_text`
 * column folds names (toolkit/src/search.ts: NFC; Thai marks but nikhahit
 * dropped; sara am composed; ฯลฯ, ฯ, nikhahit, spaces and punctuation dropped;
 * lower case). The subgraphs also split a search into words at spaces and ฯ;
 * the example's is one word.
 */
const SEARCH_PHRASE = `(select lower(regexp_replace(replace(replace(regexp_replace(normalize($1, NFC),
  '[\\u0E47-\\u0E4C\\u0E4E]', '', 'g'), '\u0E4D\u0E32', '\u0E33'), '\u0E2F\u0E25\u0E2F', ''),
  '[[:space:][:punct:]\\u0E2F\\u0E4D\\u0E3F\\u0E4F\\u0E5A\\u0E5B]', '', 'g')))`;

const ID_NAME_KIND = `json_build_object('id', r.id, 'name', r.name, 'kind', r.kind)`;

/**
 * The search across owners, `first` 10, from the search subgraph's own index
 * (search.search_entry), in the order of relevance every search of the hub
 * has (toolkit/src/search.ts searchRankSql): a name that is the text, one
 * that starts with it, one with a word that does, one with it inside a word;
 * real records before demo ones; then id. Each hit is scored as Query.search
 * scores it, in tenths (1.0 a name that is the text, 0.2 less for each kind
 * of match below, 0.1 less for a demo record), with the fields the example
 * asks of its record read from the owner's table.
 */
function searchedEverywhere(): string {
  const rank = `case
    when ' ' || s.search_text || ' ' like '% ' || ${SEARCH_PHRASE} || ' %' then 0
    when ' ' || s.search_text like '% ' || ${SEARCH_PHRASE} || '%' then 1
    when exists (select from unnest(s.search_word_starts) w(at)
      where substr(s.search_text, w.at, length(${SEARCH_PHRASE})) = ${SEARCH_PHRASE}) then 2
    else 3 end`;
  const record = `case r.type_name
    when 'Initiative' then (select json_build_object('__typename', 'Initiative', 'id', i.id, 'title', i.title, 'status', i.status)
      from initiatives.initiative i where i.id = r.id)
    when 'Province' then (select json_build_object('__typename', 'Province', 'code', p.code, 'nameTh', p.name_th, 'nameEn', p.name_en)
      from government.province p where p.code = r.id)
    else (select json_build_object('__typename', a.typename, 'id', a.id, 'name', a.name, 'sector', a.sector) from ${ACTORS} a where a.id = r.id)
    end`;
  return connectionJson({
    rows: `select s.id, s.type_name, s.demo, ${rank} as search_rank from search.search_entry s
      where s.search_text like '%' || ${SEARCH_PHRASE} || '%' and s.archived_at is null`,
    orderBy: 'q.search_rank, q.demo, q.id',
    first: '10',
    node: `json_build_object('score', (10 - (2 * r.search_rank + r.demo::int))::float8 / 10, 'node', ${record})`,
    totalCount: true,
  });
}

export const FLOOR_ANSWERS: Record<string, Answer> = {
  Collaborators: statement(
    'collaborators',
    `json_build_object('collaborators', ${jsonList(
      `json_build_object('sharedInitiatives', r.shared, 'actor', ${actorJson('r.actor_id', `, 'province', ${provinceNameJson('a.province_code')}`)})`,
      `select p2.actor_id, count(distinct p2.initiative_id)::int as shared
        from initiatives.participation p1
        join initiatives.participation p2 on p2.initiative_id = p1.initiative_id and p2.actor_id <> p1.actor_id
        where p1.actor_id = $1
        group by p2.actor_id
        order by 2 desc, p2.actor_id collate "C"
        limit 20`,
      'r.shared desc, r.actor_id collate "C"',
    )})`,
    ['actorId'],
  ),

  Coverage: statement(
    'coverage',
    `json_build_object(
      'provinces', ${jsonList(
        `json_build_object('code', r.code, 'nameEn', r.name_en, 'peopleCentre', (
          select json_build_object('id', o.id, 'status', o.status) from people.people_organization o
          where o.province_code = r.code and o.kind = 'PROVINCIAL_CENTRE' and o.archived_at is null order by o.id limit 1))`,
        'select code, name_en from government.province',
        'r.code',
      )},
      'peopleOrganizations', ${connectionJson({
        rows: `select id, name, province_code from people.people_organization where kind = 'PROVINCIAL_CENTRE' and archived_at is null`,
        first: '500',
        // Coordinated: a COORDINATION link, either way, with its province's government centre (provincialGovernmentCentreId).
        node: `json_build_object('id', r.id, 'name', r.name,
          'province', case when r.province_code is not null then json_build_object('code', r.province_code) end,
          'coordinatesWithProvincialCentre', case when r.province_code is not null then exists (
            select from initiatives.link l
            where l.type = 'COORDINATION' and (
              (l.source_id = r.id and l.target_id = 'gov_th' || substr(r.province_code, 4) || '_centre')
              or (l.target_id = r.id and l.source_id = 'gov_th' || substr(r.province_code, 4) || '_centre')
            )) end)`,
      })},
      'officialOrders', ${jsonList(
        `json_build_object('id', r.id, 'pilotProvinceCount', r.pilot_province_count, 'pilotProvinces', ${jsonList(
          `json_build_object('code', r.code, 'initiatives', json_build_object('totalCount', (select count(*)::int from (${initiativesIn('r.code')}) i)))`,
          'select pr.code, c.n from unnest(r.pilot_province_codes) with ordinality c(code, n) join government.province pr on pr.code = c.code',
          'r.n',
        )})`,
        `select * from government.official_order order by issued_on, id limit ${DEFAULT_PAGE}`,
        'r.issued_on, r.id',
      )})`,
  ),

  InitiativesByTheme: statement(
    'initiatives-by-theme',
    `json_build_object('initiatives', ${connectionJson({
      rows: 'select * from initiatives.initiative t where t.themes @> array[$1]::text[] and t.archived_at is null',
      first: '$2',
      node: `json_build_object('id', r.id, 'title', r.title, 'status', r.status,
        'provinces', ${jsonList(
          `json_build_object('code', r.code, 'nameEn', r.name_en)`,
          'select pr.code, pr.name_en, c.n from unnest(r.province_codes) with ordinality c(code, n) join government.province pr on pr.code = c.code',
          'r.n',
        )},
        'participants', ${participants('r.id', `json_build_object('role', r.role, 'lead', r.lead, 'actor', ${actorJson('r.actor_id')})`)})`,
      nodes: false,
      edges: true,
      pageInfo: true,
      totalCount: true,
    })})`,
    ['theme', 'first'],
  ),

  InitiativesFiltered: statement(
    'initiatives-filtered',
    `json_build_object('initiatives', ${connectionJson({
      // An initiative with no end date is still running; one with no start date has always been.
      rows: `select * from initiatives.initiative t
        where t.province_codes && ${REGION_CODES}
          and (t.end_date is null or t.end_date >= $3::date) and (t.start_date is null or t.start_date <= $4::date)
          and t.id in (select initiative_id from initiatives.participation where sector = $2)
          and t.archived_at is null`,
      first: '20',
      node: `json_build_object('id', r.id, 'title', r.title, 'status', r.status, 'themes', r.themes,
        'startDate', r.start_date, 'endDate', r.end_date, 'provinces', ${PROVINCE_CODES})`,
      pageInfo: true,
      totalCount: true,
    })})`,
    ['region', 'sector', 'from', 'to'],
  ),

  JointInitiative: statement(
    'joint-initiative',
    `json_build_object('initiative', (select json_build_object(
      'title', i.title, 'titleEn', i.title_en, 'description', i.description, 'status', i.status, 'themes', i.themes,
      'provinces', ${jsonList(
        `json_build_object('nameTh', r.name_th, 'nameEn', r.name_en, 'region', r.region)`,
        'select pr.*, c.n from unnest(i.province_codes) with ordinality c(code, n) join government.province pr on pr.code = c.code',
        'r.n',
      )},
      'participants', ${participants(
        'i.id',
        `json_build_object('role', r.role, 'lead', r.lead, 'actor', (
          select case a.typename
            when 'PeopleOrganization' then json_build_object('__typename', a.typename, 'id', a.id, 'name', a.name, 'sector', a.sector,
              'peopleKind', a.kind, 'status', a.status)
            when 'GovernmentCentre' then json_build_object('__typename', a.typename, 'id', a.id, 'name', a.name, 'sector', a.sector,
              'governmentKind', a.kind, 'organisationType', a.organisation_type)
            else json_build_object('__typename', a.typename, 'id', a.id, 'name', a.name, 'sector', a.sector,
              'partnerKind', a.kind, 'website', a.website)
          end
          from ${ACTORS} a where a.id = r.actor_id))`,
        true,
      )},
      'contributions', ${connectionJson({
        rows: 'select * from partners.contribution co where co.initiative_id = i.id and co.archived_at is null',
        first: String(DEFAULT_PAGE),
        node: `json_build_object('kind', r.kind, 'description', r.description, 'amountThb', r.amount_thb,
          'partner', (select json_build_object('name', pp.name) from partners.private_partner pp where pp.id = r.partner_id))`,
      })},
      'sources', ${jsonList(
        `json_build_object('title', r.s->'title', 'url', r.s->'url', 'publishedOn', r.s->'publishedOn', 'publisher', r.s->'publisher', 'note', r.s->'note')`,
        'select * from jsonb_array_elements(i.sources) with ordinality e(s, n)',
        'r.n',
      )})
      from initiatives.initiative i where i.id = $1))`,
    ['id'],
  ),

  NationalStats: statement(
    'national-stats',
    `json_build_object(
      'peopleStats', ${actorStats('people.people_organization', ACTOR_IN_REGION, { byKind: 't.kind' })},
      'governmentStats', ${actorStats('government.government_centre', ACTOR_IN_REGION, { byKind: 't.kind' })},
      'partnerStats', ${actorStats('partners.private_partner', ACTOR_IN_REGION, { byKind: 't.kind' })},
      'initiativeStats', ${initiativeStats(
        {
          initiatives: (i) => `($1::text is null or ${i}.province_codes && ${REGION_CODES})`,
          participations: `($1::text is null or t.initiative_id in (select i.id from initiatives.initiative i where i.province_codes && ${REGION_CODES}))`,
        },
        ['total', 'byTheme', 'byStatus', 'participationsByRole'],
      )})`,
    ['region'],
  ),

  Neighbourhood: neighbourhood,

  PeopleCentres: statement(
    'people-centres',
    `json_build_object(
      'national', ${connectionJson({
        rows: `select * from people.people_organization o where o.kind = 'NATIONAL_CENTRE' and o.archived_at is null`,
        first: String(DEFAULT_PAGE),
        node: `json_build_object('id', r.id, 'name', r.name, 'children', ${connectionJson({
          rows: 'select * from people.people_organization c where c.parent_id = r.id and c.archived_at is null',
          first: String(DEFAULT_PAGE),
          node: `json_build_object('id', r.id, 'name', r.name, 'status', r.status, 'province', ${provinceNameJson('r.province_code')})`,
          totalCount: true,
        })})`,
      })},
      'mandatedRoles', ${jsonList(
        `json_build_object('ordinal', r.ordinal, 'titleTh', r.title_th, 'titleEn', r.title_en, 'themes', r.themes)`,
        `select * from people.mandated_role where applies_to = 'PROVINCIAL_CENTRE'`,
        'r.applies_to, r.ordinal',
      )},
      'officialOrders', ${jsonList(
        `json_build_object('title', r.title, 'issuedOn', r.issued_on, 'pilotProvinceCount', r.pilot_province_count,
          'pilotProvinces', ${jsonList(
            `json_build_object('code', r.code)`,
            'select pr.code, c.n from unnest(r.pilot_province_codes) with ordinality c(code, n) join government.province pr on pr.code = c.code',
            'r.n',
          )},
          'issuedBy', (select json_build_object('name', g.name) from government.government_centre g where g.id = r.issued_by_id),
          'sources', ${jsonList(`json_build_object('url', r.s->'url', 'note', r.s->'note')`, 'select * from jsonb_array_elements(r.sources) with ordinality e(s, n)', 'r.n')})`,
        `select * from government.official_order order by issued_on, id limit ${DEFAULT_PAGE}`,
        'r.issued_on, r.id',
      )})`,
  ),

  ProvinceNetwork: provinceNetwork,

  ProvinceOverview: statement(
    'province-overview',
    `json_build_object('province', (select json_build_object(
      'code', p.code, 'nameTh', p.name_th, 'nameEn', p.name_en, 'region', p.region,
      'peopleOrganizations', ${connectionJson({
        rows: 'select * from people.people_organization o where o.province_code = p.code and o.archived_at is null',
        first: '20',
        node: `json_build_object('id', r.id, 'name', r.name, 'kind', r.kind, 'status', r.status)`,
        totalCount: true,
      })},
      'governmentCentres', ${connectionJson({
        rows: 'select * from government.government_centre g where g.province_code = p.code and g.archived_at is null',
        first: '20',
        node: ID_NAME_KIND,
        totalCount: true,
      })},
      'partners', ${connectionJson({
        rows: 'select * from partners.private_partner pp where pp.province_code = p.code and pp.archived_at is null',
        first: '20',
        node: ID_NAME_KIND,
        totalCount: true,
      })},
      'initiatives', ${connectionJson({
        rows: initiativesIn('p.code'),
        first: '20',
        node: `json_build_object('id', r.id, 'title', r.title, 'status', r.status, 'themes', r.themes,
          'participants', ${participants('r.id', `json_build_object('role', r.role, 'lead', r.lead, 'sector', r.sector)`)})`,
        totalCount: true,
      })})
      from government.province p where p.code = $1))`,
    ['code'],
  ),

  ProvinceStats: statement(
    'province-stats',
    `json_build_object('province', (select json_build_object(
      'nameEn', p.name_en,
      'peopleStats', ${actorStats('people.people_organization', 't.province_code = p.code', { byKind: 't.kind', byStatus: 't.status' })},
      'governmentStats', ${actorStats('government.government_centre', 't.province_code = p.code', { byKind: 't.kind' })},
      'partnerStats', ${actorStats('partners.private_partner', 't.province_code = p.code', { byKind: 't.kind' })},
      'initiativeStats', ${initiativeStats(
        {
          initiatives: (i) => `${i}.province_codes @> array[p.code]::text[]`,
          participations: 't.initiative_id in (select i.id from initiatives.initiative i where i.province_codes @> array[p.code]::text[])',
        },
        ['total', 'byTheme', 'byStatus', 'participationsByRole', 'participationsBySector'],
      )})
      from government.province p where p.code = $1))`,
    ['code'],
  ),

  ProvincesByRegion: statement(
    'provinces-by-region',
    `json_build_object('provinces', ${jsonList(
      `json_build_object('code', r.code, 'dopaCode', r.dopa_code, 'pcode', r.pcode, 'nameTh', r.name_th, 'nameEn', r.name_en)`,
      'select * from government.province where $1::text is null or region = $1',
      'r.code',
    )})`,
    ['region'],
  ),

  SearchEverywhere: statement('search-everywhere', `json_build_object('search', ${searchedEverywhere()})`, ['text']),

  ShortestPath: shortestPath,

  WhoWorksWithWhom: statement(
    'who-works-with-whom',
    `json_build_object('actor', (select json_build_object(
      '__typename', a.typename, 'id', a.id, 'name', a.name, 'sector', a.sector, 'province', ${provinceNameJson('a.province_code')},
      'links', ${connectionJson({
        rows: 'select * from initiatives.link l where (l.source_id = a.id or l.target_id = a.id) and l.archived_at is null',
        first: String(DEFAULT_PAGE),
        node: `json_build_object('type', r.type, 'note', r.note, 'source', ${actorJson('r.source_id')}, 'target', ${actorJson('r.target_id')})`,
        totalCount: true,
      })},
      'participations', ${connectionJson({
        rows: 'select * from initiatives.participation pa where pa.actor_id = a.id and pa.archived_at is null',
        first: String(DEFAULT_PAGE),
        node: `json_build_object('role', r.role, 'lead', r.lead, 'initiative', (
          select json_build_object('title', i.title,
            'participants', ${participants('i.id', `json_build_object('role', r.role, 'actor', ${actorJson('r.actor_id')})`)})
          from initiatives.initiative i where i.id = r.initiative_id))`,
      })})
      from ${ACTORS} a where a.id = $1))`,
    ['id'],
  ),
};
