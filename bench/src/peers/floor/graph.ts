// The initiatives subgraph's own ranking (graphology's Brandes betweenness), so the floor computes the same scores with the same work.
import { centralities } from '@hub/initiatives/centrality';
import { bidirectionalSearch, type Expansion, type Hop } from '@hub/initiatives/search';
import type { FloorDatabase } from './database.js';
import type { Answer } from './operations.js';
import { FloorError } from './errors.js';
import { ACTORS, actorJson } from './sql.js';

/*
 * The graph queries of the mix: who is near an actor (Neighbourhood), how
 * two actors are joined (ShortestPath) and who brokers a province's network
 * (ProvinceNetwork). Two actors are one hop apart when a standing link joins
 * them, either way, or when both take part in one initiative. Ties are
 * broken by id in byte order (`collate "C"`, JavaScript's `<`), as the
 * initiatives subgraph breaks them (subgraphs/initiatives/src/graph/traversal.ts),
 * so that where several answers would be right the floor gives the hub's.
 */

const byCodePoint = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

// ---------------------------------------------------------------------------
// Neighbourhood

/** The example's bounds and the hub's: at most `limit` actors; each list `first` long; the pairwise-edge bound behind `truncated`. */
const NEIGHBOURHOOD = { limit: 200, first: 500, maxEdges: 5000 };

/**
 * Everyone within `depth` hops, breadth first, a CTE per level: level k is
 * whoever is one hop from level k-1 and in no earlier level, and only the
 * initiatives no earlier level opened are opened (their members are all
 * reached already), so each actor and each initiative is expanded once. A
 * level is not walked once the earlier ones hold more than `limit` actors:
 * the nearest `limit` are then known already. Then, among the actors kept,
 * the links and the initiatives two or more of them share, and the answer's
 * JSON, in the same statement.
 *
 * Rows are looked up by the ids reached as `= any(array(...))`, not
 * `in (select ...)`: the planner then expects a few ids and probes the
 * indexes on participation and link, where it would scan and hash both
 * tables whole for a CTE of unknown size (about an eighth less time at
 * small scale, more the larger the tables).
 */
function neighbourhoodSql(depth: number): string {
  const among = (column: string, ids: string) => `${column} = any(array(${ids}))`;
  const ctes = ['a0(id) as (select $1::text)'];
  for (let level = 1; level <= depth; level++) {
    const previous = `select id from a${level - 1}`;
    const earlierActors = Array.from({ length: level }, (_, k) => `select id from a${k}`).join(' union all ');
    const earlierInitiatives = Array.from({ length: level - 1 }, (_, k) => `select id from i${k + 1}`).join(' union all ');
    const stillWanted = Array.from({ length: level }, (_, k) => `(select count(*) from a${k})`).join(' + ') + ' <= $2';
    ctes.push(
      `i${level}(id) as (
        select distinct p.initiative_id from initiatives.participation p
        where ${among('p.actor_id', previous)}${earlierInitiatives ? ` and p.initiative_id not in (${earlierInitiatives})` : ''} and ${stillWanted})`,
      `a${level}(id) as (
        select distinct n.id from (
          select l.target_id from initiatives.link l where ${among('l.source_id', previous)}
          union all select l.source_id from initiatives.link l where ${among('l.target_id', previous)}
          union all select p.actor_id from initiatives.participation p where ${among('p.initiative_id', `select id from i${level}`)}
        ) n(id)
        where n.id not in (${earlierActors}) and ${stillWanted})`,
    );
  }
  ctes.push(
    `reached(id, depth) as (${Array.from({ length: depth + 1 }, (_, k) => `select id, ${k} from a${k}`).join(' union all ')})`,
    'kept as (select id, depth from reached order by depth, id collate "C" limit $2)',
    `links as (select l.id, l.type, l.source_id, l.target_id from initiatives.link l
      where ${among('l.source_id', 'select id from kept')} and ${among('l.target_id', 'select id from kept')})`,
    `shared as (
      select m.initiative_id, array_agg(m.actor_id order by m.actor_id collate "C") as member_ids
      from (select p.initiative_id, p.actor_id from initiatives.participation p where ${among('p.actor_id', 'select id from kept')} group by 1, 2) m
      group by 1 having count(*) > 1)`,
  );
  // `truncated`: the limit left actors out, or the deprecated pairwise shape (a pair per link, per initiative and two of its members) would pass its bound.
  return `with ${ctes.join(',\n')}
    select json_build_object('neighbourhood', json_build_object(
      'truncated', (select count(*) from reached) > $2
        or (select count(*) from links) + (select coalesce(sum(cardinality(member_ids) * (cardinality(member_ids) - 1) / 2), 0) from shared) > ${NEIGHBOURHOOD.maxEdges},
      'linkCount', (select count(*)::int from links),
      'sharedInitiativeCount', (select count(*)::int from shared),
      'nodes', (select json_agg(json_build_object('depth', k.depth, 'actor', ${actorJson('k.id')}) order by k.depth, k.id collate "C") from kept k),
      'links', (select coalesce(json_agg(json_build_object('id', l.id, 'type', l.type, 'sourceId', l.source_id, 'targetId', l.target_id) order by l.id collate "C"), '[]'::json)
        from (select * from links order by id collate "C" limit ${NEIGHBOURHOOD.first}) l),
      'sharedInitiatives', (select coalesce(json_agg(json_build_object(
          'initiativeId', s.initiative_id,
          'initiative', (select json_build_object('title', i.title) from initiatives.initiative i where i.id = s.initiative_id),
          'memberIds', s.member_ids) order by s.initiative_id collate "C"), '[]'::json)
        from (select * from shared order by initiative_id collate "C" limit ${NEIGHBOURHOOD.first}) s)
    ))::text`;
}

const neighbourhoodStatements = new Map<number, string>();

export const neighbourhood: Answer = (db, variables) => {
  const depth = Number(variables.depth);
  let sql = neighbourhoodStatements.get(depth);
  if (!sql) neighbourhoodStatements.set(depth, (sql = neighbourhoodSql(depth)));
  return db.json(`neighbourhood-${depth}`, sql, [variables.actorId, NEIGHBOURHOOD.limit]);
};

// ---------------------------------------------------------------------------
// ShortestPath

/** The example's `maxHops`, and the hub's bound on the actors a search may reach before it gives up. */
const SHORTEST_PATH = { maxHops: 6, maxVisited: 100_000 };

/**
 * Every actor one hop from a frontier, once, with a frontier actor it is
 * reached from and what joins them: a link before an initiative, then the
 * smallest ids. Through an initiative, one frontier member stands for all, so
 * a big initiative costs its members, not members × frontier.
 */
const EXPAND_SQL = `select distinct on (n.to_id) n.from_id, n.to_id, n.link_id, n.initiative_id
  from (
    select l.source_id::text as from_id, l.target_id::text as to_id, l.id::text as link_id, null::text as initiative_id
      from initiatives.link l where l.source_id = any($1)
    union all
    select l.target_id, l.source_id, l.id, null from initiatives.link l where l.target_id = any($1)
    union all
    select f.actor_id, p.actor_id, null, f.initiative_id
      from (
        select distinct on (fp.initiative_id) fp.initiative_id, fp.actor_id from initiatives.participation fp
        where fp.actor_id = any($1)
        order by fp.initiative_id, fp.actor_id collate "C"
      ) f
      join initiatives.participation p on p.initiative_id = f.initiative_id
  ) n
  order by n.to_id, n.link_id collate "C" nulls last, n.initiative_id collate "C", n.from_id collate "C"`;

/** The answer for a chain of hops (or none): its actors' names, its links and its initiatives' titles. */
const PATH_SQL = `select json_build_object('shortestPath', case when $1::text[] is null then null else json_build_object(
    'hops', cardinality($2::text[]),
    'actors', (select json_agg(${actorJson('x.id')} order by x.n) from unnest($1::text[]) with ordinality x(id, n)),
    'steps', (select coalesce(json_agg(json_build_object(
        'from', json_build_object('id', s.from_id),
        'to', json_build_object('id', s.to_id),
        'link', (select json_build_object('type', l.type, 'note', l.note) from initiatives.link l where l.id = s.link_id),
        'initiative', (select json_build_object('title', i.title) from initiatives.initiative i where i.id = s.initiative_id)
      ) order by s.n), '[]'::json)
      from unnest($2::text[], $3::text[], $4::text[], $5::text[]) with ordinality s(from_id, to_id, link_id, initiative_id, n))
  ) end)::text`;

/** The hub's own search, each level read by the floor's prepared statement: the same path, whatever the ties. */
function findPath(db: FloorDatabase, fromId: string, toId: string): Promise<Hop[] | null> {
  return bidirectionalSearch(
    fromId,
    toId,
    SHORTEST_PATH,
    (frontier) => db.rows<Expansion>('path-expand', EXPAND_SQL, [frontier]),
    () =>
      new FloorError(
        `The search for a path reached more than ${SHORTEST_PATH.maxVisited.toLocaleString('en')} actors without finding one; lower "maxHops" or pass "linkTypes".`,
        'BAD_USER_INPUT',
      ),
  );
}

export const shortestPath: Answer = async (db, variables) => {
  const fromId = String(variables.fromId);
  const hops = await findPath(db, fromId, String(variables.toId));
  const column = (pick: (hop: Hop) => string | null) => hops?.map(pick) ?? null;
  return db.json('path-answer', PATH_SQL, [
    hops ? [fromId, ...hops.map((hop) => hop.toId)] : null,
    column((hop) => hop.fromId),
    column((hop) => hop.toId),
    column((hop) => hop.linkId),
    column((hop) => hop.initiativeId),
  ]);
};

// ---------------------------------------------------------------------------
// ProvinceNetwork

/** The example's `top`, and the hub's bounds on a network it ranks exactly. */
const PROVINCE_NETWORK = { top: 10, maxNodes: 3000, maxEdges: 50_000 };

/**
 * A province's network in one statement: the actors taking part in an
 * initiative there, their names (for the answer), the links among them, and
 * their memberships of the initiatives two or more of them share. Rows are
 * looked up by the actors' ids as `= any(array(...))`, for index probes (see
 * neighbourhoodSql).
 */
const PROVINCE_NETWORK_SQL = `with nodes as (
    select distinct p.actor_id as id from initiatives.participation p
    join initiatives.initiative i on i.id = p.initiative_id
    where i.province_codes @> array[$1]::text[]
    limit ${PROVINCE_NETWORK.maxNodes + 1}
  )
  select 'node' as kind, n.id as a, null as b, null as c from nodes n
  union all
  select 'actor', a.id, a.name, a.sector from ${ACTORS} a where a.id = any(array(select id from nodes))
  union all
  select 'link', l.source_id, l.target_id, null from initiatives.link l
    where l.source_id = any(array(select id from nodes)) and l.target_id = any(array(select id from nodes))
  union all
  select 'member', m.initiative_id, m.actor_id, null from (
    select g.initiative_id, g.actor_id, count(*) over (partition by g.initiative_id) as members
    from (select p.initiative_id, p.actor_id from initiatives.participation p where p.actor_id = any(array(select id from nodes)) group by 1, 2) g
  ) m where m.members > 1`;

/** The refusal the hub gives for a network too big to rank exactly. */
function tooBig(provinceCode: string, what: string, bound: number): FloorError {
  return new FloorError(
    `The network of ${provinceCode} has more than ${bound.toLocaleString('en')} ${what}, the most provinceNetwork computes centrality for.`,
    'BAD_USER_INPUT',
  );
}

/**
 * The network's actors and each pair of them joined by a link or a shared
 * initiative (one edge per pair), ranked by betweenness, then degree, then id.
 */
export const provinceNetwork: Answer = async (db, variables) => {
  const provinceCode = String(variables.provinceCode);
  const rows = await db.rows<{ kind: string; a: string; b: string | null; c: string | null }>('province-network', PROVINCE_NETWORK_SQL, [provinceCode]);
  const nodes: string[] = [];
  const actors = new Map<string, { id: string; name: string; sector: string }>();
  const links: [string, string][] = [];
  const memberships: { initiativeId: string; actorId: string }[] = [];
  for (const row of rows) {
    if (row.kind === 'node') nodes.push(row.a);
    else if (row.kind === 'actor') actors.set(row.a, { id: row.a, name: row.b!, sector: row.c! });
    else if (row.kind === 'link') links.push([row.a, row.b!]);
    else memberships.push({ initiativeId: row.a, actorId: row.b! });
  }
  if (nodes.length > PROVINCE_NETWORK.maxNodes) throw tooBig(provinceCode, 'actors', PROVINCE_NETWORK.maxNodes);
  nodes.sort(byCodePoint);

  const pairs = new Map<string, [string, string]>();
  const add = (x: string, y: string) => {
    if (x === y) return;
    const pair: [string, string] = x < y ? [x, y] : [y, x];
    pairs.set(`${pair[0]} ${pair[1]}`, pair);
    if (pairs.size > PROVINCE_NETWORK.maxEdges) throw tooBig(provinceCode, 'edges (pairs of actors who work together)', PROVINCE_NETWORK.maxEdges);
  };
  for (const [source, target] of links) add(source, target);
  memberships.sort((x, y) => byCodePoint(x.initiativeId, y.initiativeId) || byCodePoint(x.actorId, y.actorId));
  for (let start = 0; start < memberships.length; ) {
    let end = start;
    while (end < memberships.length && memberships[end]!.initiativeId === memberships[start]!.initiativeId) end++;
    for (let i = start; i < end; i++) for (let j = i + 1; j < end; j++) add(memberships[i]!.actorId, memberships[j]!.actorId);
    start = end;
  }

  const top = centralities(nodes, [...pairs.values()])
    .slice(0, PROVINCE_NETWORK.top)
    .map((score) => ({ degree: score.degree, betweenness: score.betweenness, actor: actors.get(score.actorId) ?? null }));
  return JSON.stringify({ provinceNetwork: { nodeCount: nodes.length, edgeCount: pairs.size, top } });
};
