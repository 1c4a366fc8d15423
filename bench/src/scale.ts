import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import { foldSearchText } from '@hub/toolkit';
import { demoActorCount, planDemo } from '@hub/scripts/demo';
import { startHub } from '@hub/scripts/hub';
import { argument } from './peers/command.js';
import { benchDatabase, ensureDemoData } from './peers/database.js';

/**
 * `npm run bench:scale [-- --scale national --runs 30]`: how the relationship
 * queries answer at scale. Each question goes through the gateway over HTTP
 * and, beside it in the same run, as one hand-written SQL statement sent
 * straight to PostgreSQL; the ratio of their medians is the cost of the
 * graph. `--curve small,medium,national` runs the questions at each scale in
 * turn and prints how their latency grows with the data, then the largest
 * scale's questions beside their SQL. Figures are printed,
 * never asserted: machines here are shared.
 */

interface Case {
  name: string;
  graphql: { query: string; variables?: Record<string, unknown> };
  sql: { text: string; values?: unknown[] };
  /**
   * For a question whose statement gives the hub's answer row for row: both
   * answers read into one shape, which must be equal before the timing starts.
   */
  sameAnswer?: { graph: (data: any) => unknown; sql: (rows: any[]) => unknown };
}

const scaleName = argument('scale') ?? process.env.BENCH_SCALE ?? (process.env.DATABASE_URL ? 'national' : 'small');
const runs = Number(argument('runs') ?? 25);
const curve = process.argv.includes('--curve') ? (argument('curve')?.startsWith('-') ? undefined : argument('curve')) ?? 'small,medium,national' : undefined;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/** Two actors exactly `hops` standing links apart, found by a breadth-first search in SQL. */
async function actorsApart(sql: pg.Client, hops: number): Promise<[string, string]> {
  const { rows } = await sql.query(
    `with recursive reach(node, depth) as (
       select $1::text, 0
       union
       select case when l.source_id = r.node then l.target_id else l.source_id end, r.depth + 1
       from reach r join initiatives.link l on l.source_id = r.node or l.target_id = r.node
       where r.depth < $2
     )
     select node from reach group by node having min(depth) = $2 order by node limit 1`,
    ['peo_demo_000500', hops],
  );
  if (!rows[0]) throw new Error(`no actor ${hops} links away from peo_demo_000500`);
  return ['peo_demo_000500', rows[0].node];
}

/** The lists searched by name (or title), by the table each reads. */
const SEARCHED = {
  peopleOrganizations: 'people.people_organization',
  governmentCentres: 'government.government_centre',
  privatePartners: 'partners.private_partner',
  initiatives: 'initiatives.initiative',
} as const;

/**
 * One text searched in every owner's list, first 20 and the count of all
 * matches. The statement pages each list as the hub does (toolkit/src/search.ts,
 * paging.ts): every match ranked by how well a name holds the folded text (a
 * name that is it, one that starts with it, a word that does, inside a word),
 * real records before demo ones, then id. The text is one word, so its words
 * are never apart (the hub's rank 4). A broad text ranks every match before
 * the page is cut.
 */
function searchCase(text: string): Case {
  const lists = Object.keys(SEARCHED) as (keyof typeof SEARCHED)[];
  const page = (list: keyof typeof SEARCHED) => `(select '${list}' as list, id, count(*) over () as total from (
      select id, demo, case
        when ' ' || search_text || ' ' like '% ' || $1 || ' %' then 0
        when ' ' || search_text like '% ' || $1 || '%' then 1
        when exists (select from unnest(search_word_starts) w(at) where substr(search_text, w.at, length($1)) = $1) then 2
        else 3 end as rank
      from ${SEARCHED[list]} where search_text like '%' || $1 || '%' and archived_at is null) s
    order by rank, demo, id limit 20)`;
  return {
    name: 'search a name in every owner',
    graphql: {
      query: `query ($q: String!) { ${lists.map((list) => `${list}(search: $q, first: 20) { totalCount nodes { id } }`).join(' ')} }`,
      variables: { q: text },
    },
    sql: { text: lists.map(page).join('\n    union all '), values: [foldSearchText(text)] },
    sameAnswer: {
      // Each list's count and page of ids, in order.
      graph: (data) => lists.map((list) => ({ list, totalCount: data[list].totalCount, ids: data[list].nodes.map((node: { id: string }) => node.id) })),
      sql: (rows) =>
        lists.map((list) => {
          const mine = rows.filter((row) => row.list === list);
          return { list, totalCount: Number(mine[0]?.total ?? 0), ids: mine.map((row) => row.id) };
        }),
    },
  };
}

function cases(from: string, to: string): Case[] {
  const south = ['TH-80', 'TH-81', 'TH-82', 'TH-83', 'TH-84', 'TH-85', 'TH-86', 'TH-90', 'TH-91', 'TH-92', 'TH-93', 'TH-94', 'TH-95', 'TH-96'];
  return [
    {
      name: 'province dashboard counts',
      graphql: {
        query: `query ($code: ID!) { province(code: $code) {
          peopleStats { total byKind { value count } } governmentStats { total byKind { value count } }
          partnerStats { total byKind { value count } }
          initiativeStats { total byTheme { value count } byStatus { value count } participationsByRole { value count } } } }`,
        variables: { code: 'TH-50' },
      },
      sql: {
        text: `select 'people' as what, kind as value, count(*) from people.people_organization where province_code = $1 group by kind
          union all select 'government', kind, count(*) from government.government_centre where province_code = $1 group by kind
          union all select 'partners', kind, count(*) from partners.private_partner where province_code = $1 group by kind
          union all select 'theme', th, count(*) from initiatives.initiative, unnest(themes) th where province_codes @> array[$1] group by th
          union all select 'status', status, count(*) from initiatives.initiative where province_codes @> array[$1] group by status
          union all select 'role', p.role, count(*) from initiatives.participation p join initiatives.initiative i on i.id = p.initiative_id
            where i.province_codes @> array[$1] group by p.role`,
        values: ['TH-50'],
      },
    },
    {
      name: 'national counts by theme and role',
      graphql: { query: `{ initiativeStats { total byTheme { value count } participationsByRole { value count } } }` },
      sql: {
        text: `select 'theme' as what, th as value, count(*) from initiatives.initiative, unnest(themes) th group by th
          union all select 'role', role, count(*) from initiatives.participation group by role`,
      },
    },
    {
      name: 'initiatives in a region on a theme (page of 50)',
      graphql: {
        query: `query ($region: Region, $theme: Theme) { initiatives(region: $region, theme: $theme, first: 50) {
          totalCount nodes { id title status } } }`,
        variables: { region: 'SOUTH', theme: 'LAND' },
      },
      sql: {
        text: `select id, title, status, count(*) over () as total from initiatives.initiative
          where province_codes && $1::text[] and themes @> array['LAND'] order by id limit 50`,
        values: [south],
      },
    },
    searchCase('เชียงใหม่'),
    {
      name: "coverage: each province's people's centre",
      graphql: { query: `{ provinces { code peopleCentre { id status } } }` },
      sql: {
        text: `select p.code, c.id, c.status from government.province p left join lateral (
          select id, status from people.people_organization o where o.province_code = p.code and o.kind = 'PROVINCIAL_CENTRE' order by id limit 1) c on true`,
      },
    },
    {
      name: "an actor's initiatives with participants (page of 20)",
      graphql: {
        query: `query ($id: ID!) { actor(id: $id) { initiatives(first: 20) { totalCount nodes { title participants(first: 10) { nodes { role actor { name sector } } } } } } }`,
        variables: { id: from },
      },
      sql: {
        text: `select i.id, i.title, p2.role, p2.actor_id from (select distinct initiative_id from initiatives.participation where actor_id = $1 order by 1 limit 20) mine
          join initiatives.initiative i on i.id = mine.initiative_id
          join lateral (select role, actor_id from initiatives.participation p where p.initiative_id = i.id order by id limit 10) p2 on true`,
        values: [from],
      },
    },
    {
      name: "an actor's neighbourhood, two hops (200 actors)",
      graphql: {
        query: `query ($id: ID!) { neighbourhood(actorId: $id, depth: 2, limit: 200) {
          truncated linkCount sharedInitiativeCount nodes { depth actor { id name sector } }
          links { id type sourceId targetId } sharedInitiatives { initiativeId initiative { title } memberIds } } }`,
        variables: { id: from },
      },
      // Breadth-first, a CTE per level, each actor and initiative expanded once; then the names, links and shared initiatives of the 200 kept.
      sql: {
        text: `with i1 as (select distinct initiative_id as id from initiatives.participation where actor_id = $1),
          a1 as (select distinct n.id from (
              select target_id as id from initiatives.link where source_id = $1
              union all select source_id from initiatives.link where target_id = $1
              union all select actor_id from initiatives.participation where initiative_id in (select id from i1)) n
            where n.id <> $1),
          i2 as (select distinct initiative_id as id from initiatives.participation
            where actor_id in (select id from a1) and initiative_id not in (select id from i1)),
          a2 as (select distinct n.id from (
              select target_id as id from initiatives.link where source_id in (select id from a1)
              union all select source_id from initiatives.link where target_id in (select id from a1)
              union all select actor_id from initiatives.participation where initiative_id in (select id from i2)) n
            where n.id <> $1 and n.id not in (select id from a1)),
          kept as (select id, depth from (select $1::text as id, 0 as depth union all select id, 1 from a1 union all select id, 2 from a2) r
            order by depth, id collate "C" limit 200)
          select 'node' as kind, k.id, coalesce(p.name, g.name, x.name) as name, null as other, k.depth from kept k
            left join people.people_organization p on p.id = k.id left join government.government_centre g on g.id = k.id
            left join partners.private_partner x on x.id = k.id
          union all select 'link', l.id, l.type, l.source_id || ' ' || l.target_id, null from initiatives.link l
            where l.source_id in (select id from kept) and l.target_id in (select id from kept)
          union all select 'member', m.initiative_id, i.title, m.actor_id, null from (
              select initiative_id, actor_id, count(*) over (partition by initiative_id) as members
              from (select distinct initiative_id, actor_id from initiatives.participation where actor_id in (select id from kept)) d) m
            join initiatives.initiative i on i.id = m.initiative_id where m.members > 1`,
        values: [from],
      },
    },
    {
      name: 'shortest path, 4 links apart',
      graphql: {
        query: `query ($from: ID!, $to: ID!) { shortestPath(fromId: $from, toId: $to, maxHops: 6, viaInitiatives: false) { hops actors { id name } } }`,
        variables: { from, to },
      },
      sql: {
        text: `with recursive walk(node, path) as (
            select $1::text, array[$1::text]
            union all
            select case when l.source_id = w.node then l.target_id else l.source_id end,
                   w.path || case when l.source_id = w.node then l.target_id else l.source_id end
            from walk w join initiatives.link l on l.source_id = w.node or l.target_id = w.node
            where cardinality(w.path) <= 4 and w.node <> $2
          )
          select path from walk where node = $2 order by cardinality(path) limit 1`,
        values: [from, to],
      },
    },
    {
      name: 'collaborators by shared initiatives',
      graphql: {
        query: `query ($id: ID!) { collaborators(actorId: $id, first: 20) { sharedInitiatives actor { name sector } } }`,
        variables: { id: from },
      },
      sql: {
        text: `select other.actor_id, count(distinct other.initiative_id) as shared
          from initiatives.participation mine join initiatives.participation other
            on other.initiative_id = mine.initiative_id and other.actor_id <> mine.actor_id
          where mine.actor_id = $1 group by other.actor_id order by shared desc, other.actor_id limit 20`,
        values: [from],
      },
    },
  ];
}

/** Sequential scans on the big tables, from EXPLAIN: a question that should be served by an index but is not. */
async function seqScans(sql: pg.Client, c: Case): Promise<string[]> {
  const { rows } = await sql.query(`explain (format json) ${c.sql.text}`, c.sql.values);
  const found: string[] = [];
  const visit = (node: any) => {
    if (node['Node Type'] === 'Seq Scan' && ['participation', 'link', 'people_organization', 'private_partner'].includes(node['Relation Name'])) {
      found.push(node['Relation Name']);
    }
    for (const child of node.Plans ?? []) visit(child);
  };
  visit(rows[0]['QUERY PLAN'][0].Plan);
  return found;
}

interface Timing {
  name: string;
  gateway: number[];
  direct: number[];
  seqScans: string[];
}

/** Every question at one scale: gateway and SQL alternating, `runs` times each, sorted. */
async function measure(actors: number): Promise<{ timings: Timing[]; from: string; to: string }> {
  const database = await benchDatabase(actors, console.log);
  const sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
  let hub: Awaited<ReturnType<typeof startHub>> | undefined;
  try {
    await ensureDemoData(database.url, actors, console.log);
    // The graph's own work is measured: no response cache answering repeats.
    hub = await startHub({ databaseUrl: database.url, port: 0, seed: true, responseCache: { ttlMs: 0, maxBytes: 0 } });
    const [from, to] = await actorsApart(sql, 4);
    const gatewayUrl = hub.gatewayUrl;
    const viaGateway = async (c: Case) => {
      const response = await fetch(gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(c.graphql),
      });
      const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
      if (body.errors) throw new Error(`${c.name}: ${JSON.stringify(body.errors)}`);
      return body.data;
    };

    const timings: Timing[] = [];
    for (const c of cases(from, to)) {
      if (c.sameAnswer) {
        const graph = c.sameAnswer.graph(await viaGateway(c));
        const direct = c.sameAnswer.sql((await sql.query(c.sql.text, c.sql.values)).rows);
        if (!isDeepStrictEqual(graph, direct)) {
          throw new Error(`${c.name}: the SQL statement does not give the hub's answer.\nhub: ${JSON.stringify(graph)}\nSQL: ${JSON.stringify(direct)}`);
        }
      }
      for (let i = 0; i < 3; i++) {
        await viaGateway(c);
        await sql.query(c.sql.text, c.sql.values);
      }
      const gateway: number[] = [];
      const direct: number[] = [];
      for (let i = 0; i < runs; i++) {
        gateway.push(await timed(() => viaGateway(c)));
        direct.push(await timed(() => sql.query(c.sql.text, c.sql.values)));
      }
      gateway.sort((a, b) => a - b);
      direct.sort((a, b) => a - b);
      timings.push({ name: c.name, gateway, direct, seqScans: await seqScans(sql, c) });
    }
    return { timings, from, to };
  } finally {
    await hub?.stop();
    await sql.end();
    await database.embedded?.stop();
  }
}

function printTable(header: string[], lines: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const print = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  print(header);
  print(widths.map((w) => '-'.repeat(w)));
  lines.forEach(print);
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** The goal for each question: within 3x its single SQL statement, or within that statement plus 5 ms (p50s). */
const GOAL = { ratio: 3, slackMs: 5 } as const;
const meetsGoal = (gateway: number, sql: number) => gateway <= GOAL.ratio * sql || gateway <= sql + GOAL.slackMs;

function printRatios(actors: number, measured: { timings: Timing[]; from: string; to: string }) {
  const { timings, from, to } = measured;
  console.log(`\nScale: ${actors.toLocaleString('en')} actors; ${runs} runs of each, gateway and SQL alternating.\n`);
  const rows = timings.map((t) => {
    const gateway = percentile(t.gateway, 50);
    const sql = percentile(t.direct, 50);
    return { t, gateway, sql, met: meetsGoal(gateway, sql) };
  });
  printTable(
    ['question', 'gateway p50', 'p95', 'SQL p50', 'p95', 'gateway/SQL (p50)', 'goal', 'seq scans'],
    rows.map(({ t, gateway, sql, met }) => [
      t.name,
      ms(gateway),
      ms(percentile(t.gateway, 95)),
      ms(sql),
      ms(percentile(t.direct, 95)),
      `${(gateway / sql).toFixed(1)}x`,
      met ? 'met' : 'not met',
      t.seqScans.length ? t.seqScans.join(', ') : 'none',
    ]),
  );
  const met = rows.filter((r) => r.met).length;
  console.log(
    `\ngoal: each question within ${GOAL.ratio}x its SQL statement or within it + ${GOAL.slackMs} ms (p50): met by ${met} of ${rows.length}.` +
      `\nshortest path between ${from} and ${to}; "seq scans" lists big tables the SQL plan reads whole.`,
  );
}

async function oneScale(actors: number) {
  printRatios(actors, await measure(actors));
}

/** The questions at growing scales: p50 through the gateway at each, and how much it grew from the smallest to the largest. */
async function scaleCurve(scales: string[]) {
  const sizes = scales.map((name) => demoActorCount(name));
  const results: Timing[][] = [];
  for (const actors of sizes) {
    const measured = await measure(actors);
    results.push(measured.timings);
    // The largest scale's questions beside their SQL, as `--scale` prints them.
    if (actors === sizes.at(-1)) printRatios(actors, measured);
  }
  const edges = (actors: number) => {
    const counts = planDemo(actors).counts;
    return counts.participation + counts.link;
  };
  console.log(`\nGateway p50 by scale (${runs} runs each); edges are participations plus links.\n`);
  printTable(
    ['question', ...sizes.map((a) => `${a.toLocaleString('en')} actors, ${edges(a).toLocaleString('en')} edges`), `growth ×${(sizes.at(-1)! / sizes[0]!).toFixed(0)} data`],
    results[0]!.map((first, i) => {
      const p50s = results.map((timings) => percentile(timings[i]!.gateway, 50));
      return [first.name, ...p50s.map(ms), `${(p50s.at(-1)! / p50s[0]!).toFixed(1)}x`];
    }),
  );
}

if (curve) await scaleCurve(curve.split(','));
else await oneScale(demoActorCount(scaleName));
