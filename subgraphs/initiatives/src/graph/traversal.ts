import type { EntityManager } from '@mikro-orm/postgresql';
import { badUserInput } from '@hub/server';
import { LinkType } from '../entities/link.js';
import { bidirectionalSearch, type Expansion, type Hop } from './search.js';

export type { Hop } from './search.js';

/*
 * Graph queries over who works with whom, in SQL.
 *
 * The graph: actors are nodes; two actors are one hop apart when a standing
 * link joins them (either direction) or when both take part in the same
 * initiative. Nothing here reads another subgraph: actors are bare ids.
 *
 * Shared initiatives are never expanded into pairs of actors in SQL: an
 * initiative with k participants is k(k-1)/2 pairs, and one national
 * programme with 2,000 participants would make every statement that touches
 * it handle millions of rows. Statements go through initiatives instead
 * (actor → initiative → actor), so their work grows with the memberships
 * they touch; where pairs are wanted (edges), they are made here, in order,
 * and only until the bound is reached.
 *
 * Notes for every statement below:
 * - MikroORM formats `?` parameters into the SQL text itself and expands an
 *   array parameter into a list, so lists go into `in (?)`; hence also no
 *   question mark may appear anywhere else in the SQL, comments included.
 * - Ties are broken by id with `collate "C"` (byte order), so the order does
 *   not depend on the database's locale and matches JavaScript's `<`.
 * - Indexes used: participation (actor_id, initiative_id), participation
 *   unique (initiative_id, actor_id, role), link (source_id, id),
 *   link (target_id, id), and the GIN index on initiative.province_codes.
 */

/** What counts as a hop. */
export interface HopKinds {
  /** Only links of these types; null for every type, [] for no links at all. */
  linkTypes: readonly LinkType[] | null;
  /** Whether sharing an initiative is a hop. */
  viaInitiatives: boolean;
}

interface Sql {
  sql: string;
  params: unknown[];
}

function tables(em: EntityManager) {
  const schema = em.config.get('schema');
  return {
    link: `"${schema}"."link"`,
    participation: `"${schema}"."participation"`,
    initiative: `"${schema}"."initiative"`,
  };
}

function linksIncluded(hops: HopKinds): boolean {
  return hops.linkTypes === null || hops.linkTypes.length > 0;
}

/** ` and l.type in (...)` when only some link types count. */
function linkTypeFilter(hops: HopKinds): Sql {
  return hops.linkTypes ? { sql: ' and l.type in (?)', params: [[...hops.linkTypes]] } : { sql: '', params: [] };
}

/**
 * A statement branch for each way a link can be walked (from its source to
 * its target and back: links are hops in either direction), when links count.
 */
function linkBranches(hops: HopKinds, branch: (near: string, far: string, types: Sql) => Sql): Sql[] {
  if (!linksIncluded(hops)) return [];
  const types = linkTypeFilter(hops);
  return [branch('source_id', 'target_id', types), branch('target_id', 'source_id', types)];
}

function byCodePoint(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The memberships of `actors` (a statement giving an `id` column) in
 * initiatives that at least two of them take part in (in any roles, each
 * actor once): as many rows as memberships, never pairs.
 */
function sharedMembershipsSql(t: ReturnType<typeof tables>, actors: Sql): Sql {
  return {
    sql: `select initiative_id, actor_id
      from (
        select m.initiative_id, m.actor_id, count(*) over (partition by m.initiative_id) as members
        from (
          select p.initiative_id, p.actor_id from ${t.participation} p where p.actor_id in (${actors.sql}) group by 1, 2
        ) m
      ) counted
      where members > 1`,
    params: actors.params,
  };
}

/** Memberships grouped by initiative, initiatives and members in id order. */
function groupMemberships(rows: readonly { initiative_id: string; actor_id: string }[]): Map<string, string[]> {
  const sorted = [...rows].sort((x, y) => byCodePoint(x.initiative_id, y.initiative_id) || byCodePoint(x.actor_id, y.actor_id));
  const groups = new Map<string, string[]>();
  for (const row of sorted) {
    const group = groups.get(row.initiative_id);
    if (group) group.push(row.actor_id);
    else groups.set(row.initiative_id, [row.actor_id]);
  }
  return groups;
}

/**
 * Which of `actorIds` take part in each initiative that at least two of them
 * take part in, initiatives and actors in id order: one statement.
 */
async function sharedMemberships(em: EntityManager, actorIds: readonly string[]): Promise<Map<string, string[]>> {
  if (actorIds.length < 2) return new Map();
  const { sql, params } = sharedMembershipsSql(tables(em), { sql: '?', params: [actorIds] });
  return groupMemberships(await em.getConnection().execute<{ initiative_id: string; actor_id: string }[]>(sql, params));
}

// ---------------------------------------------------------------------------
// neighbourhood

export const NEIGHBOURHOOD = {
  depth: { default: 2, min: 1, max: 3 },
  limit: { default: 200, min: 1, max: 1000 },
  /** At most this many links are returned, and this many edges of the deprecated pairwise shape, links first. */
  maxEdges: 5000,
  /** Page sizes of a network's links and shared initiatives. */
  first: { default: 500, min: 0, max: 5000 },
  /**
   * The price of each actor reached (demand control): measured on small demo data,
   * a walk of 1,000 actors at depth 3 takes as long as some 35,000 rows read.
   */
  costPerActor: 35,
} as const;

/** A standing link among a network's actors (a neighbourhood's or a province's). */
export interface NeighbourhoodLink {
  id: string;
  type: LinkType;
  sourceId: string;
  targetId: string;
}

export interface NeighbourhoodResult {
  /** Nearest first, then by id; the centre first. */
  nodes: { actorId: string; depth: number }[];
  /** Whether `limit` left actors out. */
  nodesTruncated: boolean;
  /** The links among the nodes (of the kinds that count as hops), by id, at most NEIGHBOURHOOD.maxEdges. */
  links: NeighbourhoodLink[];
  /** How many links join the nodes, also those past NEIGHBOURHOOD.maxEdges. */
  linkCount: number;
  /** Each initiative two or more nodes take part in (when initiatives count as hops), by id, its members by id. */
  sharedInitiatives: Map<string, string[]>;
}

/**
 * Everyone within `depth` hops of `actorId` (itself at depth 0), nearest
 * first and then by id, at most `limit`; the links among them, and the
 * initiatives they share. One statement.
 *
 * The walk is breadth-first, a CTE per level: the actors first reached at
 * level k are those one hop from level k-1 and in no earlier level; through
 * initiatives, only initiatives no earlier level reached are opened (their
 * members are all reached already). So each actor and each initiative is
 * expanded once. (A recursive CTE cannot do that: its recursion sees only the
 * previous step's rows, so it walks back over what it has already reached,
 * once per path.) A level is not walked when the earlier ones already hold
 * more than `limit` actors.
 */
export async function neighbourhood(
  em: EntityManager,
  actorId: string,
  options: { depth: number; limit: number; hops: HopKinds },
): Promise<NeighbourhoodResult> {
  const { hops, depth, limit } = options;
  const result: NeighbourhoodResult = {
    nodes: [{ actorId, depth: 0 }],
    nodesTruncated: false,
    links: [],
    linkCount: 0,
    sharedInitiatives: new Map(),
  };
  if (!linksIncluded(hops) && !hops.viaInitiatives) return result;
  const t = tables(em);
  const types = linkTypeFilter(hops);
  const ctes: Sql[] = [{ sql: 'a0(id) as (select ?::text)', params: [actorId] }];
  for (let level = 1; level <= depth; level++) {
    const previous = `select id from a${level - 1}`;
    const earlierActors = Array.from({ length: level }, (_, k) => `select id from a${k}`).join(' union all ');
    const earlierInitiatives = Array.from({ length: level - 1 }, (_, k) => `select id from i${k + 1}`).join(' union all ');
    // Walk this level only while the earlier ones hold no more than `limit` actors.
    const stillWanted = Array.from({ length: level }, (_, k) => `(select count(*) from a${k})`).join(' + ') + ' <= ?';
    const reached: Sql[] = linkBranches(hops, (near, far) => ({
      sql: `select l.${far} as id from ${t.link} l where l.${near} in (${previous})${types.sql}`,
      params: types.params,
    }));
    if (hops.viaInitiatives) {
      ctes.push({
        sql: `i${level}(id) as (
          select distinct p.initiative_id from ${t.participation} p
          where p.actor_id in (${previous})${earlierInitiatives ? ` and p.initiative_id not in (${earlierInitiatives})` : ''}
            and ${stillWanted})`,
        params: [limit],
      });
      reached.push({ sql: `select p.actor_id from ${t.participation} p where p.initiative_id in (select id from i${level})`, params: [] });
    }
    ctes.push({
      sql: `a${level}(id) as (
        select distinct n.id from (${reached.map((r) => r.sql).join('\n union all\n')}) n
        where n.id not in (${earlierActors}) and ${stillWanted})`,
      params: [...reached.flatMap((r) => r.params), limit],
    });
  }
  const levels = Array.from({ length: depth + 1 }, (_, k) => `select id, ${k} as depth from a${k}`).join(' union all ');
  ctes.push(
    { sql: `reached as (${levels})`, params: [] },
    { sql: `kept as (select id, depth from reached order by depth, id collate "C" limit ?)`, params: [limit] },
  );
  const outputs: Sql[] = [
    { sql: `select 'node' as kind, id as a, null::text as b, null::text as c, null::text as d, depth::int as n from kept`, params: [] },
    { sql: `select 'reached', null, null, null, null, count(*)::int from reached`, params: [] },
  ];
  if (linksIncluded(hops)) {
    ctes.push({
      sql: `links as (select l.id, l.type, l.source_id, l.target_id from ${t.link} l
        where l.source_id in (select id from kept) and l.target_id in (select id from kept)${types.sql})`,
      params: types.params,
    });
    outputs.push(
      { sql: `select 'links', null, null, null, null, count(*)::int from links`, params: [] },
      {
        sql: `select * from (select 'link', id::text, type::text, source_id::text, target_id::text, null::int from links order by id collate "C" limit ?) first_links`,
        params: [NEIGHBOURHOOD.maxEdges],
      },
    );
  }
  if (hops.viaInitiatives) {
    const shared = sharedMembershipsSql(t, { sql: 'select id from kept', params: [] });
    outputs.push({ sql: `select 'member', initiative_id::text, actor_id::text, null, null, null from (${shared.sql}) shared`, params: shared.params });
  }
  const statement = [...ctes, ...outputs];
  const rows = await em.getConnection().execute<{ kind: string; a: string; b: string; c: string; d: string; n: number }[]>(
    `with ${ctes.map((c) => c.sql).join(',\n')}\n${outputs.map((o) => o.sql).join('\n union all\n')}`,
    statement.flatMap((part) => part.params),
  );
  const nodes: NeighbourhoodResult['nodes'] = [];
  const memberships: { initiative_id: string; actor_id: string }[] = [];
  for (const row of rows) {
    if (row.kind === 'node') nodes.push({ actorId: row.a, depth: Number(row.n) });
    else if (row.kind === 'reached') result.nodesTruncated = Number(row.n) > limit;
    else if (row.kind === 'links') result.linkCount = Number(row.n);
    else if (row.kind === 'link') result.links.push({ id: row.a, type: row.b as LinkType, sourceId: row.c, targetId: row.d });
    else memberships.push({ initiative_id: row.a, actor_id: row.b });
  }
  result.nodes = nodes.sort((x, y) => x.depth - y.depth || byCodePoint(x.actorId, y.actorId));
  result.links.sort((x, y) => byCodePoint(x.id, y.id));
  result.sharedInitiatives = groupMemberships(memberships);
  return result;
}

/** One pair of actors and what joins them: the deprecated pairwise shape of a neighbourhood. */
export interface NeighbourhoodEdge {
  sourceId: string;
  targetId: string;
  linkId: string | null;
  initiativeId: string | null;
}

/** How many edges the pairwise shape has in all: its links, and a pair per initiative and two of its members. */
export function pairwiseEdgeCount(result: NeighbourhoodResult): number {
  let pairs = 0;
  for (const members of result.sharedInitiatives.values()) pairs += (members.length * (members.length - 1)) / 2;
  return result.linkCount + pairs;
}

/**
 * A neighbourhood as pairs: its links, then a pair per initiative and two of
 * its members (by initiative, source, target), at most NEIGHBOURHOOD.maxEdges;
 * `truncated` when the bound cut them.
 */
export function neighbourhoodPairs(result: NeighbourhoodResult): { edges: NeighbourhoodEdge[]; truncated: boolean } {
  const bound = NEIGHBOURHOOD.maxEdges;
  const edges: NeighbourhoodEdge[] = result.links.map((link) => ({ sourceId: link.sourceId, targetId: link.targetId, linkId: link.id, initiativeId: null }));
  if (result.linkCount > bound) return { edges, truncated: true };
  for (const [initiativeId, members] of result.sharedInitiatives) {
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        if (edges.length === bound) return { edges, truncated: true };
        edges.push({ sourceId: members[i]!, targetId: members[j]!, linkId: null, initiativeId });
      }
    }
  }
  return { edges, truncated: false };
}

// ---------------------------------------------------------------------------
// shortest path

export const SHORTEST_PATH = {
  maxHops: { default: 6, min: 1, max: 6 },
  /** The two searches together may reach at most this many actors before giving up. */
  maxVisited: 100_000,
} as const;

/**
 * One statement: every actor one hop from a frontier, once, with a frontier
 * actor it is reached from and what joins them (a link before an initiative,
 * then the smallest ids). Through initiatives, each initiative of the
 * frontier is first given one frontier member, so a big initiative costs its
 * member count, not members × frontier.
 */
function expandSql(em: EntityManager, hops: HopKinds, frontier: readonly string[]): Sql | null {
  const t = tables(em);
  const branches: Sql[] = linkBranches(hops, (near, far, types) => ({
    sql: `select l.${near}::text as from_id, l.${far}::text as to_id, l.id::text as link_id, null::text as initiative_id
      from ${t.link} l where l.${near} in (?)${types.sql}`,
    params: [frontier, ...types.params],
  }));
  if (hops.viaInitiatives) {
    branches.push({
      sql: `select f.actor_id::text, p.actor_id::text, null::text, f.initiative_id::text
        from (
          select distinct on (fp.initiative_id) fp.initiative_id, fp.actor_id
          from ${t.participation} fp
          where fp.actor_id in (?)
          order by fp.initiative_id, fp.actor_id collate "C"
        ) f
        join ${t.participation} p on p.initiative_id = f.initiative_id`,
      params: [frontier],
    });
  }
  if (branches.length === 0) return null;
  return {
    sql: `select distinct on (n.to_id) n.from_id, n.to_id, n.link_id, n.initiative_id
      from (${branches.map((b) => b.sql).join('\n union all\n')}) n
      order by n.to_id, n.link_id collate "C" nulls last, n.initiative_id collate "C", n.from_id collate "C"`,
    params: branches.flatMap((b) => b.params),
  };
}

/**
 * A shortest chain of hops from `fromId` to `toId`, at most `maxHops` long,
 * as the hops in order; [] when they are the same actor, null when no chain
 * that short exists.
 *
 * Bidirectional breadth-first search: one search from each end, each level
 * one SQL statement (all neighbours of a whole frontier at once), always
 * growing the side whose frontier is smaller, parents kept here in maps. With
 * branching factor b and distance d it touches about 2·b^(d/2) actors instead
 * of b^d. A recursive CTE that enumerates paths cannot do that: SQL's
 * recursion sees only the previous level's rows, not everything already
 * reached, so it cannot prune revisits, and every distinct path (not every
 * actor) becomes a row: b^d rows and more, before the database can know
 * which is shortest. Here each actor is reached once per side, the smaller
 * frontier is chosen by looking at both sides between statements, and the
 * search stops at the first level where the two sides meet.
 */
export async function shortestPath(
  em: EntityManager,
  fromId: string,
  toId: string,
  options: { maxHops: number; hops: HopKinds },
): Promise<Hop[] | null> {
  return bidirectionalSearch(
    fromId,
    toId,
    { maxHops: options.maxHops, maxVisited: SHORTEST_PATH.maxVisited },
    (frontier) => {
      const statement = expandSql(em, options.hops, frontier);
      return statement ? em.getConnection().execute<Expansion[]>(statement.sql, statement.params) : Promise.resolve(null);
    },
    () =>
      badUserInput(
        `The search for a path reached more than ${SHORTEST_PATH.maxVisited.toLocaleString('en')} actors without finding one; lower "maxHops" or pass "linkTypes".`,
        { argument: 'maxHops' },
      ),
  );
}

// ---------------------------------------------------------------------------
// collaborators

export const COLLABORATORS = { first: { default: 20, min: 1, max: 500 } } as const;

/** Actors by how many initiatives they share with `actorId` (most first, then by id), in one GROUP BY. */
export async function collaborators(
  em: EntityManager,
  actorId: string,
  first: number,
): Promise<{ actorId: string; sharedInitiatives: number }[]> {
  const t = tables(em);
  const rows = await em.getConnection().execute<{ actor_id: string; shared: number }[]>(
    `select p2.actor_id, count(distinct p2.initiative_id)::int as shared
    from ${t.participation} p1
    join ${t.participation} p2 on p2.initiative_id = p1.initiative_id and p2.actor_id <> p1.actor_id
    where p1.actor_id = ?
    group by p2.actor_id
    order by 2 desc, p2.actor_id collate "C"
    limit ?`,
    [actorId, first],
  );
  return rows.map((row) => ({ actorId: row.actor_id, sharedInitiatives: Number(row.shared) }));
}

// ---------------------------------------------------------------------------
// a province's network

export const PROVINCE_NETWORK = {
  top: { default: 20, min: 1, max: 200 },
  /** Betweenness is O(nodes × edges): beyond these the answer is refused, not sampled. */
  maxNodes: 3000,
  maxEdges: 50_000,
} as const;

export interface ProvinceGraph {
  /** Actors taking part in an initiative that works in the province. */
  nodes: string[];
  /** Pairs of those actors joined by a link or a shared initiative (any initiative), each pair once. */
  pairs: [string, string][];
  /** What joins them, for exports that tell a link from a shared initiative: the links among them, by id. */
  links: NeighbourhoodLink[];
  /** Each initiative two or more of them take part in, by id, its members by id. */
  sharedInitiatives: Map<string, string[]>;
}

function tooBig(provinceCode: string, what: string, bound: number, details: Record<string, unknown>) {
  return badUserInput(
    `The network of ${provinceCode} has more than ${bound.toLocaleString('en')} ${what}, the most provinceNetwork computes centrality for; ask about a smaller area instead, e.g. the neighbourhood of one actor.`,
    { argument: 'provinceCode', ...details },
  );
}

/**
 * The who-works-with-whom graph of a province: its initiatives' participants,
 * and every link or shared initiative among them. Three statements: the
 * nodes (bounded before anything else is read), the links among them, and
 * their shared memberships, from which the pairs are made here, stopping at
 * the edge bound.
 */
export async function provinceGraph(em: EntityManager, provinceCode: string): Promise<ProvinceGraph> {
  const t = tables(em);
  const connection = em.getConnection();
  // `@>` on province_codes uses its GIN index.
  const nodeRows = await connection.execute<{ actor_id: string }[]>(
    `select distinct p.actor_id
    from ${t.participation} p
    join ${t.initiative} i on i.id = p.initiative_id
    where i.province_codes @> array[?]::text[]
    limit ?`,
    [provinceCode, PROVINCE_NETWORK.maxNodes + 1],
  );
  if (nodeRows.length > PROVINCE_NETWORK.maxNodes) {
    throw tooBig(provinceCode, 'actors', PROVINCE_NETWORK.maxNodes, { maxNodes: PROVINCE_NETWORK.maxNodes });
  }
  const nodes = nodeRows.map((row) => row.actor_id).sort(byCodePoint);
  if (nodes.length < 2) return { nodes, pairs: [], links: [], sharedInitiatives: new Map() };

  const pairs = new Map<string, [string, string]>();
  const add = (x: string, y: string) => {
    if (x === y) return;
    const pair: [string, string] = x < y ? [x, y] : [y, x];
    pairs.set(`${pair[0]} ${pair[1]}`, pair);
    if (pairs.size > PROVINCE_NETWORK.maxEdges) {
      throw tooBig(provinceCode, 'edges (pairs of actors who work together)', PROVINCE_NETWORK.maxEdges, {
        maxEdges: PROVINCE_NETWORK.maxEdges,
      });
    }
  };
  const linkRows = await connection.execute<{ id: string; type: LinkType; source_id: string; target_id: string }[]>(
    `select l.id, l.type, l.source_id, l.target_id from ${t.link} l where l.source_id in (?) and l.target_id in (?)`,
    [nodes, nodes],
  );
  const links = linkRows
    .map((row): NeighbourhoodLink => ({ id: row.id, type: row.type, sourceId: row.source_id, targetId: row.target_id }))
    .sort((x, y) => byCodePoint(x.id, y.id));
  for (const link of links) add(link.sourceId, link.targetId);
  const sharedInitiatives = await sharedMemberships(em, nodes);
  for (const members of sharedInitiatives.values()) {
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) add(members[i]!, members[j]!);
    }
  }
  return { nodes, pairs: [...pairs.values()], links, sharedInitiatives };
}
