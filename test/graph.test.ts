import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Initiative, InitiativeStatus, Link, LinkType, Participation, ParticipationRole } from '@hub/initiatives';
import { PeopleOrganization, PeopleOrganizationKind } from '@hub/people';
import { PrivatePartner, PrivatePartnerKind } from '@hub/partners';
import { actorTypeOf, Theme } from '@hub/domain';
import { DEFAULT_LIMITS } from '@hub/gateway';
import { startTestHub, type TestHub } from './support/hub.js';

// A small who-works-with-whom graph, apart from the seeded facts:
//
//   links:  A -COORD-> B -MEMB-> C -FUND-> D -COUNTERPART-> E -COORD-> F -COORD-> G   (a chain of six)
//           GOV57 -COORD-> B,  BANK -FUND-> C,  GOV50 -COUNTERPART-> GOV57           (branches)
//   initiatives (who takes part):
//           ini_gx_1 (TH-57): A, GOV57, FUND, H      ini_gx_2 (TH-57): FUND, F
//           ini_gx_3 (TH-57, TH-50): A (two roles), GOV57
//           ini_gx_4 (TH-58): C, D, GOV58            ini_gx_5 (TH-57): F, G, BANK
//
// So A reaches G in three hops through initiatives (A-FUND-F-G) but needs the
// six-link chain without them; in TH-57's network FUND is the bridge between
// {A, GOV57, H} and {F, G, BANK}; LONE works with no one.
const A = 'peo_gx_a';
const B = 'peo_gx_b';
const C = 'peo_gx_c';
const D = 'peo_gx_d';
const E = 'peo_gx_e';
const F = 'peo_gx_f';
const G = 'peo_gx_g';
const H = 'peo_gx_h';
const LONE = 'peo_gx_lone';
const GOV57 = 'gov_th57_centre';
const GOV50 = 'gov_th50_centre';
const GOV58 = 'gov_th58_centre';
const BANK = 'prt_gx_bank';
const FUND = 'prt_gx_fund';

const LINKS: [id: string, type: LinkType, source: string, target: string][] = [
  ['lnk_gx_ab', LinkType.COORDINATION, A, B],
  ['lnk_gx_bc', LinkType.MEMBERSHIP, B, C],
  ['lnk_gx_cd', LinkType.FUNDING, C, D],
  ['lnk_gx_de', LinkType.COUNTERPART, D, E],
  ['lnk_gx_ef', LinkType.COORDINATION, E, F],
  ['lnk_gx_fg', LinkType.COORDINATION, F, G],
  ['lnk_gx_gov57_b', LinkType.COORDINATION, GOV57, B],
  ['lnk_gx_bank_c', LinkType.FUNDING, BANK, C],
  ['lnk_gx_gov50_gov57', LinkType.COUNTERPART, GOV50, GOV57],
];

const { IMPLEMENTING, ACCOUNTABLE, FUNDING, EXTENDING } = ParticipationRole;
const INITIATIVES: [id: string, provinces: string[], participants: [actor: string, role: ParticipationRole][]][] = [
  ['ini_gx_1', ['TH-57'], [[A, IMPLEMENTING], [GOV57, ACCOUNTABLE], [FUND, FUNDING], [H, IMPLEMENTING]]],
  ['ini_gx_2', ['TH-57'], [[FUND, FUNDING], [F, IMPLEMENTING]]],
  ['ini_gx_3', ['TH-57', 'TH-50'], [[A, IMPLEMENTING], [A, EXTENDING], [GOV57, ACCOUNTABLE]]],
  ['ini_gx_4', ['TH-58'], [[C, IMPLEMENTING], [D, IMPLEMENTING], [GOV58, ACCOUNTABLE]]],
  ['ini_gx_5', ['TH-57'], [[F, IMPLEMENTING], [G, IMPLEMENTING], [BANK, FUNDING]]],
];

const ref = (id: string) => ({ __typename: actorTypeOf(id)!.typename, id });
const byCodePoint = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

describe('graph queries over who works with whom, through the gateway', () => {
  let hub: TestHub;
  let statements: string[] = [];

  /** Plain SQL on the initiatives schema, for answers computed apart from the resolvers. */
  const sql = <T,>(query: string, params: unknown[] = []) =>
    hub.em('initiatives').getConnection().execute<T[]>(query, params);

  beforeAll(async () => {
    hub = await startTestHub({
      onQuery: (subgraph, statement) => subgraph === 'initiatives' && statements.push(statement),
      // The walks are checked at their largest limit, with every field, which costs more than
      // an anonymous client may ask (demand control): an operator's budget, raised for this test.
      limits: { ...DEFAULT_LIMITS, maxCost: 1_000_000 },
    });

    const people = hub.em('people');
    for (const id of [A, B, C, D, E, F, G, H, LONE]) {
      people.create(PeopleOrganization, { id, name: `เครือข่ายทดสอบ ${id.slice(7).toUpperCase()}`, kind: PeopleOrganizationKind.COMMUNITY_ORGANISATION });
    }
    await people.flush();
    const partners = hub.em('partners');
    partners.create(PrivatePartner, { id: BANK, name: 'ธนาคารทดสอบ', kind: PrivatePartnerKind.FINANCIAL_INSTITUTION, provinceCode: 'TH-57' });
    partners.create(PrivatePartner, { id: FUND, name: 'มูลนิธิทดสอบ', kind: PrivatePartnerKind.FOUNDATION, provinceCode: 'TH-57' });
    await partners.flush();

    const em = hub.em('initiatives');
    for (const [id, type, sourceId, targetId] of LINKS) em.create(Link, { id, type, sourceId, targetId });
    for (const [id, provinceCodes, participants] of INITIATIVES) {
      em.create(Initiative, { id, title: `โครงการทดสอบ ${id}`, status: InitiativeStatus.IMPLEMENTATION, themes: [Theme.PRODUCTION], provinceCodes });
      for (const [actorId, role] of participants) {
        em.create(Participation, { id: `par_${id}_${actorId}_${role}`.toLowerCase(), initiativeId: id, actorId, sector: actorTypeOf(actorId)!.sector, role });
      }
    }
    await em.flush();
  });

  afterAll(() => hub?.stop());

  /**
   * Each actor's fewest hops from `start`, up to `depth`, by a plain recursive
   * CTE over an adjacency relation of every link (both ways) and every pair of
   * co-participants: written apart from the resolver's level-by-level walk.
   */
  async function distancesFrom(start: string, depth: number, viaInitiatives = true): Promise<Map<string, number>> {
    const rows = await sql<{ id: string; d: number }>(
      `with recursive adjacency(a, b) as (
          select source_id, target_id from initiatives.link
          union select target_id, source_id from initiatives.link
          union select x.actor_id, y.actor_id from initiatives.participation x
                join initiatives.participation y on y.initiative_id = x.initiative_id
                where x.actor_id <> y.actor_id and ${viaInitiatives ? 'true' : 'false'}
        ), reach(id, d) as (
          select cast(? as varchar(255)), 0
          union select adjacency.b, reach.d + 1 from reach join adjacency on adjacency.a = reach.id where reach.d < ?
        )
        select id, min(d) as d from reach group by id`,
      [start, depth],
    );
    return new Map(rows.map((row) => [row.id, Number(row.d)]));
  }

  describe('neighbourhood', () => {
    const NEIGHBOURHOOD = /* GraphQL */ `
      query Neighbourhood($actorId: ID!, $depth: Int, $limit: Int, $linkTypes: [LinkType!], $viaInitiatives: Boolean) {
        neighbourhood(actorId: $actorId, depth: $depth, limit: $limit, linkTypes: $linkTypes, viaInitiatives: $viaInitiatives) {
          nodes { depth actor { __typename id } }
          edges { kind source { id } target { id } link { id type } initiative { id } }
          truncated
        }
      }
    `;

    const GROUPED = /* GraphQL */ `
      query Grouped($actorId: ID!, $depth: Int, $limit: Int, $first: Int) {
        neighbourhood(actorId: $actorId, depth: $depth, limit: $limit) {
          nodes { depth actor { __typename id } }
          links(first: $first) { id type sourceId targetId }
          sharedInitiatives(first: $first) { initiativeId memberIds }
          linkCount
          sharedInitiativeCount
          truncated
        }
      }
    `;

    it('gives everyone within two hops, nearest first, and the links and shared initiatives among them', async () => {
      const result = await hub.query(NEIGHBOURHOOD, { actorId: A });
      const link = (id: string, type: LinkType, source: string, target: string) => ({
        kind: 'LINK',
        source: { id: source },
        target: { id: target },
        link: { id, type },
        initiative: null,
      });
      const shared = (initiative: string, source: string, target: string) => ({
        kind: 'SHARED_INITIATIVE',
        source: { id: source },
        target: { id: target },
        link: null,
        initiative: { id: initiative },
      });
      expect(result).toEqual({
        data: {
          neighbourhood: {
            nodes: [
              { depth: 0, actor: ref(A) },
              { depth: 1, actor: ref(GOV57) },
              { depth: 1, actor: ref(B) },
              { depth: 1, actor: ref(H) },
              { depth: 1, actor: ref(FUND) },
              { depth: 2, actor: ref(GOV50) },
              { depth: 2, actor: ref(C) },
              { depth: 2, actor: ref(F) },
            ],
            edges: [
              link('lnk_gx_ab', LinkType.COORDINATION, A, B),
              link('lnk_gx_bc', LinkType.MEMBERSHIP, B, C),
              link('lnk_gx_gov50_gov57', LinkType.COUNTERPART, GOV50, GOV57),
              link('lnk_gx_gov57_b', LinkType.COORDINATION, GOV57, B),
              shared('ini_gx_1', GOV57, A),
              shared('ini_gx_1', GOV57, H),
              shared('ini_gx_1', GOV57, FUND),
              shared('ini_gx_1', A, H),
              shared('ini_gx_1', A, FUND),
              shared('ini_gx_1', H, FUND),
              shared('ini_gx_2', F, FUND),
              shared('ini_gx_3', GOV57, A),
            ],
            truncated: false,
          },
        },
      });
    });

    it('agrees with a plain recursive CTE, and its edges with a brute-force query, at every depth', async () => {
      for (const start of [A, C, GOV57, BANK, LONE]) {
        for (const depth of [1, 2, 3]) {
          const result = await hub.query(NEIGHBOURHOOD, { actorId: start, depth, limit: 1000 });
          expect(result.errors).toBeUndefined();
          const { nodes, edges, truncated } = result.data.neighbourhood;
          const expected = [...(await distancesFrom(start, depth))]
            .map(([id, d]) => ({ depth: d, actor: ref(id) }))
            .sort((x, y) => x.depth - y.depth || byCodePoint(x.actor.id, y.actor.id));
          expect(nodes).toEqual(expected);
          expect(truncated).toBe(false);

          const ids = expected.map((node) => node.actor.id);
          const links = await sql<{ id: string; type: string; source_id: string; target_id: string }>(
            `select id, type, source_id, target_id from initiatives.link where source_id in (?) and target_id in (?)`,
            [ids, ids],
          );
          const sharing = await sql<{ initiative_id: string; a: string; b: string }>(
            `select distinct x.initiative_id, x.actor_id as a, y.actor_id as b
             from initiatives.participation x join initiatives.participation y on y.initiative_id = x.initiative_id
             where x.actor_id in (?) and y.actor_id in (?) and x.actor_id <> y.actor_id`,
            [ids, ids],
          );
          const got = edges.map((e: any) =>
            e.kind === 'LINK'
              ? `link ${e.link.id} ${e.link.type} ${e.source.id}>${e.target.id}`
              : `shared ${e.initiative.id} ${[e.source.id, e.target.id].sort(byCodePoint).join('+')}`,
          );
          const want = [
            ...links.map((l) => `link ${l.id} ${l.type} ${l.source_id}>${l.target_id}`),
            ...new Set(sharing.map((s) => `shared ${s.initiative_id} ${[s.a, s.b].sort(byCodePoint).join('+')}`)),
          ];
          expect([...got].sort()).toEqual(want.sort());

          // The same network in its own shape: each link once by id, each shared initiative once with its members.
          const grouped = await hub.query(GROUPED, { actorId: start, depth, limit: 1000 });
          expect(grouped.errors).toBeUndefined();
          const network = grouped.data.neighbourhood;
          expect(network.nodes).toEqual(nodes);
          expect(network.links).toEqual(
            links
              .sort((x, y) => byCodePoint(x.id, y.id))
              .map((l) => ({ id: l.id, type: l.type, sourceId: l.source_id, targetId: l.target_id })),
          );
          const members = new Map<string, Set<string>>();
          for (const s of sharing) members.set(s.initiative_id, new Set([...(members.get(s.initiative_id) ?? []), s.a, s.b]));
          expect(network.sharedInitiatives).toEqual(
            [...members.keys()].sort(byCodePoint).map((id) => ({ initiativeId: id, memberIds: [...members.get(id)!].sort(byCodePoint) })),
          );
          expect(network.linkCount).toBe(links.length);
          expect(network.sharedInitiativeCount).toBe(members.size);
          expect(network.truncated).toBe(false);
        }
      }
    });

    it('follows only the given link types, and no initiatives when asked not to', async () => {
      const result = await hub.query(NEIGHBOURHOOD, {
        actorId: A,
        depth: 3,
        linkTypes: [LinkType.COORDINATION],
        viaInitiatives: false,
      });
      expect(result).toEqual({
        data: {
          neighbourhood: {
            nodes: [
              { depth: 0, actor: ref(A) },
              { depth: 1, actor: ref(B) },
              { depth: 2, actor: ref(GOV57) },
            ],
            edges: [
              { kind: 'LINK', source: { id: A }, target: { id: B }, link: { id: 'lnk_gx_ab', type: 'COORDINATION' }, initiative: null },
              { kind: 'LINK', source: { id: GOV57 }, target: { id: B }, link: { id: 'lnk_gx_gov57_b', type: 'COORDINATION' }, initiative: null },
            ],
            truncated: false,
          },
        },
      });
    });

    it('cuts at the limit, nearest first then by id, and says so', async () => {
      const result = await hub.query(NEIGHBOURHOOD, { actorId: A, limit: 3 });
      expect(result.errors).toBeUndefined();
      expect(result.data.neighbourhood.nodes).toEqual([
        { depth: 0, actor: ref(A) },
        { depth: 1, actor: ref(GOV57) },
        { depth: 1, actor: ref(B) },
      ]);
      expect(result.data.neighbourhood.truncated).toBe(true);
      // Edges only among the nodes returned.
      for (const edge of result.data.neighbourhood.edges) {
        expect([A, GOV57, B]).toContain(edge.source.id);
        expect([A, GOV57, B]).toContain(edge.target.id);
      }
    });

    it('gives an unknown actor no neighbours', async () => {
      const result = await hub.query(NEIGHBOURHOOD, { actorId: 'peo_nobody_at_all' });
      expect(result).toEqual({
        data: {
          neighbourhood: {
            nodes: [{ depth: 0, actor: { __typename: 'PeopleOrganization', id: 'peo_nobody_at_all' } }],
            edges: [],
            truncated: false,
          },
        },
      });
    });

    it('resolves every actor and link, initiative and name from its owner, in a fixed number of statements', async () => {
      statements = [];
      const result = await hub.query(/* GraphQL */ `
        query Named($actorId: ID!) {
          neighbourhood(actorId: $actorId, depth: 3) {
            nodes { actor { id name sector } }
            edges { source { name } target { name } link { type source { id } } initiative { title } }
          }
        }
      `, { actorId: A });
      expect(result.errors).toBeUndefined();
      const { nodes, edges } = result.data.neighbourhood;
      expect(nodes.map((n: any) => n.actor.sector)).toEqual(expect.arrayContaining(['PEOPLE', 'GOVERNMENT', 'PRIVATE']));
      for (const node of nodes) expect(node.actor.name).toEqual(expect.any(String));
      for (const edge of edges) {
        expect(edge.source.name).toEqual(expect.any(String));
        expect(edge.target.name).toEqual(expect.any(String));
        expect(edge.link ?? edge.initiative).not.toBeNull();
      }
      expect(edges.length).toBeGreaterThan(10);
      // The walk (with its links and shared initiatives), one load of the links and one of the initiatives: never one per edge.
      expect(statements.length).toBeGreaterThan(0);
      expect(statements.length).toBeLessThanOrEqual(3);
    });

    it('walks and gathers the links and shared initiatives in one statement, and loads initiatives only when asked', async () => {
      statements = [];
      const bare = await hub.query(GROUPED, { actorId: A, depth: 3 });
      expect(bare.errors).toBeUndefined();
      expect(bare.data.neighbourhood.sharedInitiatives.length).toBeGreaterThan(2);
      expect(statements).toHaveLength(1);

      statements = [];
      const titled = await hub.query(`{ neighbourhood(actorId: "${A}", depth: 3) { sharedInitiatives { initiative { id title } memberIds } } }`);
      expect(titled.errors).toBeUndefined();
      for (const shared of titled.data.neighbourhood.sharedInitiatives) expect(shared.initiative.title).toEqual(expect.any(String));
      expect(statements).toHaveLength(2);
    });

    it('pages links and shared initiatives with first, and counts them all', async () => {
      const all = await hub.query(GROUPED, { actorId: A, depth: 3 });
      const firstTwo = await hub.query(GROUPED, { actorId: A, depth: 3, first: 2 });
      expect(firstTwo.errors).toBeUndefined();
      expect(firstTwo.data.neighbourhood.links).toEqual(all.data.neighbourhood.links.slice(0, 2));
      expect(firstTwo.data.neighbourhood.sharedInitiatives).toEqual(all.data.neighbourhood.sharedInitiatives.slice(0, 2));
      expect(firstTwo.data.neighbourhood.linkCount).toBe(all.data.neighbourhood.links.length);
      expect(firstTwo.data.neighbourhood.sharedInitiativeCount).toBe(all.data.neighbourhood.sharedInitiatives.length);
      for (const first of [-1, 5001]) {
        const refused = await hub.query(GROUPED, { actorId: A, first });
        expect(refused.data).toEqual({ neighbourhood: null });
        expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(refused.errors?.[0]?.message).toContain('"first" must be a whole number from 0 to 5000');
      }
    });

    it('bounds the edges at 5,000, in order, and says so', async () => {
      // 101 actors in one initiative in Pattani: 5,050 pairs (written in one statement, apart from the graph above).
      await sql(`insert into initiatives.initiative (id, title, status, province_codes) values ('ini_gx_crowd', 'ชุมนุม', 'IMPLEMENTATION', '{TH-94}')`);
      await sql(
        `insert into initiatives.participation (id, initiative_id, actor_id, sector, role)
         select 'par_gx_crowd_' || n, 'ini_gx_crowd', 'peo_gx_crowd_' || lpad(n::text, 3, '0'), 'PEOPLE', 'IMPLEMENTING'
         from generate_series(1, 101) n`,
      );
      const result = await hub.query(/* GraphQL */ `
        { neighbourhood(actorId: "peo_gx_crowd_001", depth: 1, limit: 1000) { nodes { depth } edges { source { id } target { id } } truncated } }
      `);
      expect(result.errors).toBeUndefined();
      const { nodes, edges, truncated } = result.data.neighbourhood;
      expect(nodes).toHaveLength(101);
      expect(truncated).toBe(true);
      const crowd = (n: number) => `peo_gx_crowd_${String(n).padStart(3, '0')}`;
      // Every pair (i < j) in order, cut after the 5,000th.
      const pairs: string[] = [];
      for (let i = 1; i <= 101; i++) for (let j = i + 1; j <= 101; j++) pairs.push(`${crowd(i)} ${crowd(j)}`);
      expect(edges.map((e: any) => `${e.source.id} ${e.target.id}`)).toEqual(pairs.slice(0, 5000));

      // Grouped, the same crowd is one entry of its 101 members, and nothing is cut.
      const grouped = await hub.query(GROUPED, { actorId: 'peo_gx_crowd_001', depth: 1, limit: 1000 });
      expect(grouped.errors).toBeUndefined();
      expect(grouped.data.neighbourhood.sharedInitiatives).toEqual([
        { initiativeId: 'ini_gx_crowd', memberIds: Array.from({ length: 101 }, (_, i) => crowd(i + 1)) },
      ]);
      expect(grouped.data.neighbourhood.sharedInitiativeCount).toBe(1);
    });

    it('refuses a depth or limit out of range, and an id that is not an actor id', async () => {
      const cases: [Record<string, unknown>, string, string][] = [
        [{ actorId: A, depth: 4 }, 'depth', 'from 1 to 3'],
        [{ actorId: A, depth: 0 }, 'depth', 'from 1 to 3'],
        [{ actorId: A, limit: 1001 }, 'limit', 'from 1 to 1000'],
        [{ actorId: A, limit: 0 }, 'limit', 'from 1 to 1000'],
        [{ actorId: 'ini_gx_1' }, 'actorId', 'peo_, gov_ or prt_'],
      ];
      for (const [variables, argument, message] of cases) {
        const result = await hub.query(NEIGHBOURHOOD, variables);
        expect(result.data).toEqual({ neighbourhood: null });
        expect(result.errors).toHaveLength(1);
        expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
        expect(result.errors![0]!.message).toContain(message);
      }
    });
  });

  describe('shortestPath', () => {
    const PATH = /* GraphQL */ `
      query Path($fromId: ID!, $toId: ID!, $maxHops: Int, $viaInitiatives: Boolean, $linkTypes: [LinkType!]) {
        shortestPath(fromId: $fromId, toId: $toId, maxHops: $maxHops, viaInitiatives: $viaInitiatives, linkTypes: $linkTypes) {
          hops
          actors { __typename id }
          steps { from { id } to { id } link { id type } initiative { id } }
        }
      }
    `;

    it('prefers three hops through shared initiatives to the six-link chain', async () => {
      const result = await hub.query(PATH, { fromId: A, toId: G });
      expect(result).toEqual({
        data: {
          shortestPath: {
            hops: 3,
            actors: [ref(A), ref(FUND), ref(F), ref(G)],
            steps: [
              { from: { id: A }, to: { id: FUND }, link: null, initiative: { id: 'ini_gx_1' } },
              { from: { id: FUND }, to: { id: F }, link: null, initiative: { id: 'ini_gx_2' } },
              { from: { id: F }, to: { id: G }, link: { id: 'lnk_gx_fg', type: 'COORDINATION' }, initiative: null },
            ],
          },
        },
      });
    });

    it('walks the chain of links when initiatives do not count, whichever way it is asked', async () => {
      const chain = [A, B, C, D, E, F, G];
      const chainLinks = LINKS.slice(0, 6);
      const forward = await hub.query(PATH, { fromId: A, toId: G, viaInitiatives: false });
      expect(forward).toEqual({
        data: {
          shortestPath: {
            hops: 6,
            actors: chain.map(ref),
            steps: chainLinks.map(([id, type, source, target]) => ({ from: { id: source }, to: { id: target }, link: { id, type }, initiative: null })),
          },
        },
      });
      const backward = await hub.query(PATH, { fromId: G, toId: A, viaInitiatives: false });
      expect(backward).toEqual({
        data: {
          shortestPath: {
            hops: 6,
            actors: [...chain].reverse().map(ref),
            steps: [...chainLinks].reverse().map(([id, type, source, target]) => ({ from: { id: target }, to: { id: source }, link: { id, type }, initiative: null })),
          },
        },
      });
      // Six hops are more than five.
      expect(await hub.query(PATH, { fromId: A, toId: G, viaInitiatives: false, maxHops: 5 })).toEqual({ data: { shortestPath: null } });
      // Without MEMBERSHIP links the chain is broken at B-C.
      expect(
        await hub.query(PATH, { fromId: A, toId: G, viaInitiatives: false, linkTypes: ['COORDINATION', 'FUNDING', 'COUNTERPART'] }),
      ).toEqual({ data: { shortestPath: null } });
    });

    it('follows links against their direction', async () => {
      const result = await hub.query(PATH, { fromId: B, toId: GOV50, viaInitiatives: false });
      expect(result).toEqual({
        data: {
          shortestPath: {
            hops: 2,
            actors: [ref(B), ref(GOV57), ref(GOV50)],
            steps: [
              { from: { id: B }, to: { id: GOV57 }, link: { id: 'lnk_gx_gov57_b', type: 'COORDINATION' }, initiative: null },
              { from: { id: GOV57 }, to: { id: GOV50 }, link: { id: 'lnk_gx_gov50_gov57', type: 'COUNTERPART' }, initiative: null },
            ],
          },
        },
      });
    });

    it('has the length of a plain recursive CTE, and every step is a real link or shared initiative', async () => {
      const actors = [A, B, C, D, E, F, G, H, GOV57, GOV50, GOV58, BANK, FUND, LONE];
      const links = new Map(LINKS.map(([id, , source, target]) => [id, [source, target]]));
      const members = await sql<{ initiative_id: string; actor_id: string }>(
        `select distinct initiative_id, actor_id from initiatives.participation`,
      );
      const takesPart = new Set(members.map((m) => `${m.initiative_id} ${m.actor_id}`));
      for (const viaInitiatives of [true, false]) {
        for (const from of actors) {
          const distances = await distancesFrom(from, 6, viaInitiatives);
          for (const to of actors) {
            const result = await hub.query(PATH, { fromId: from, toId: to, viaInitiatives });
            expect(result.errors).toBeUndefined();
            const path = result.data.shortestPath;
            const distance = distances.get(to);
            if (distance === undefined) {
              expect(path, `${from} to ${to}`).toBeNull();
              continue;
            }
            expect(path.hops, `${from} to ${to}`).toBe(distance);
            expect(path.actors.map((a: any) => a.id)).toEqual([from, ...path.steps.map((s: any) => s.to.id)]);
            for (const step of path.steps) {
              if (step.link) {
                expect([...links.get(step.link.id)!].sort()).toEqual([step.from.id, step.to.id].sort());
              } else {
                expect(viaInitiatives).toBe(true);
                expect(takesPart.has(`${step.initiative.id} ${step.from.id}`)).toBe(true);
                expect(takesPart.has(`${step.initiative.id} ${step.to.id}`)).toBe(true);
              }
            }
          }
        }
      }
    });

    it('gives null when there is no path, and one actor for the same actor at both ends', async () => {
      expect(await hub.query(PATH, { fromId: LONE, toId: A })).toEqual({ data: { shortestPath: null } });
      expect(await hub.query(PATH, { fromId: A, toId: 'prt_nobody' })).toEqual({ data: { shortestPath: null } });
      expect(await hub.query(PATH, { fromId: A, toId: A })).toEqual({ data: { shortestPath: { hops: 0, actors: [ref(A)], steps: [] } } });
    });

    it('refuses maxHops out of range and ids that are not actor ids', async () => {
      const cases: [Record<string, unknown>, string, string][] = [
        [{ fromId: A, toId: G, maxHops: 7 }, 'maxHops', 'from 1 to 6'],
        [{ fromId: A, toId: G, maxHops: 0 }, 'maxHops', 'from 1 to 6'],
        [{ fromId: 'someone', toId: G }, 'fromId', 'not an actor id'],
        [{ fromId: A, toId: 'lnk_gx_ab' }, 'toId', 'not an actor id'],
      ];
      for (const [variables, argument, message] of cases) {
        const result = await hub.query(PATH, variables);
        expect(result.data).toEqual({ shortestPath: null });
        expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
        expect(result.errors![0]!.message).toContain(message);
      }
    });
  });

  describe('collaborators', () => {
    const COLLABORATORS = /* GraphQL */ `
      query Collaborators($actorId: ID!, $first: Int) {
        collaborators(actorId: $actorId, first: $first) { sharedInitiatives actor { __typename id name } }
      }
    `;

    it('ranks actors by initiatives shared, counting an initiative once whatever the roles', async () => {
      const result = await hub.query(COLLABORATORS, { actorId: A });
      expect(result.errors).toBeUndefined();
      expect(result.data.collaborators.map((c: any) => [c.actor.id, c.sharedInitiatives])).toEqual([
        [GOV57, 2],
        [H, 1],
        [FUND, 1],
      ]);
      expect(result.data.collaborators[2]).toEqual({ sharedInitiatives: 1, actor: { __typename: 'PrivatePartner', id: FUND, name: 'มูลนิธิทดสอบ' } });
      expect(await hub.query(COLLABORATORS, { actorId: A, first: 1 })).toEqual({
        data: { collaborators: [{ sharedInitiatives: 2, actor: { __typename: 'GovernmentCentre', id: GOV57, name: expect.any(String) } }] },
      });
      expect(await hub.query(COLLABORATORS, { actorId: LONE })).toEqual({ data: { collaborators: [] } });
    });

    it('agrees with a brute-force count for every actor', async () => {
      for (const actorId of [A, B, C, D, F, G, H, GOV57, GOV58, BANK, FUND]) {
        const rows = await sql<{ actor_id: string; n: number }>(
          `select other.actor_id, count(*) as n
           from (select distinct initiative_id from initiatives.participation where actor_id = ?) mine
           join (select distinct initiative_id, actor_id from initiatives.participation) other on other.initiative_id = mine.initiative_id
           where other.actor_id <> ?
           group by other.actor_id`,
          [actorId, actorId],
        );
        const expected = rows
          .map((row) => [row.actor_id, Number(row.n)] as [string, number])
          .sort((x, y) => y[1] - x[1] || byCodePoint(x[0], y[0]));
        const result = await hub.query(COLLABORATORS, { actorId, first: 500 });
        expect(result.data.collaborators.map((c: any) => [c.actor.id, c.sharedInitiatives])).toEqual(expected);
      }
    });

    it('refuses first out of range', async () => {
      for (const first of [0, 501]) {
        const result = await hub.query(COLLABORATORS, { actorId: A, first });
        expect(result.data?.collaborators ?? null).toBeNull();
        expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
        expect(result.errors![0]!.message).toContain('from 1 to 500');
      }
    });
  });

  describe('provinceNetwork', () => {
    const PROVINCE_NETWORK = /* GraphQL */ `
      query ProvinceNetwork($provinceCode: ID!, $top: Int) {
        provinceNetwork(provinceCode: $provinceCode, top: $top) {
          province { code nameEn }
          nodeCount
          edgeCount
          top { degree betweenness actor { __typename id } }
        }
      }
    `;

    it('ranks the bridge between two groups highest by betweenness', async () => {
      const result = await hub.query(PROVINCE_NETWORK, { provinceCode: 'TH-57', top: 4 });
      expect(result.errors).toBeUndefined();
      const network = result.data.provinceNetwork;
      expect(network.province).toEqual({ code: 'TH-57', nameEn: 'Chiang Rai' });
      expect(network.nodeCount).toBe(7);
      // {A, GOV57, H, FUND} all in ini_gx_1: 6 pairs; FUND-F; F, G and BANK: 3 pairs.
      expect(network.edgeCount).toBe(10);
      // FUND joins 3 × 3 pairs of others, F 4 × 2, of (7-1)(7-2)/2 = 15.
      expect(network.top).toEqual([
        { degree: 4, betweenness: expect.closeTo(9 / 15, 9), actor: ref(FUND) },
        { degree: 3, betweenness: expect.closeTo(8 / 15, 9), actor: ref(F) },
        { degree: 3, betweenness: 0, actor: ref(GOV57) },
        { degree: 3, betweenness: 0, actor: ref(A) },
      ]);
    });

    it('agrees with SQL for its nodes, edges and degrees, and with brute-force betweenness', async () => {
      for (const provinceCode of ['TH-57', 'TH-58', 'TH-50', 'TH-80']) {
        const nodes = (
          await sql<{ actor_id: string }>(
            `select distinct p.actor_id from initiatives.participation p join initiatives.initiative i on i.id = p.initiative_id
             where ? = any(i.province_codes)`,
            [provinceCode],
          )
        ).map((row) => row.actor_id);
        const pairs =
          nodes.length === 0
            ? []
            : await sql<{ a: string; b: string }>(
                `select distinct least(a, b) as a, greatest(a, b) as b from (
                   select source_id as a, target_id as b from initiatives.link
                   union all
                   select x.actor_id, y.actor_id from initiatives.participation x
                   join initiatives.participation y on y.initiative_id = x.initiative_id
                 ) joined
                 where a in (?) and b in (?) and a <> b`,
                [nodes, nodes],
              );
        const neighbours = new Map(nodes.map((n) => [n, new Set<string>()]));
        for (const { a, b } of pairs) {
          neighbours.get(a)!.add(b);
          neighbours.get(b)!.add(a);
        }
        const betweenness = bruteForceBetweenness(neighbours);

        const result = await hub.query(PROVINCE_NETWORK, { provinceCode, top: 200 });
        expect(result.errors).toBeUndefined();
        const network = result.data.provinceNetwork;
        expect(network.nodeCount).toBe(nodes.length);
        expect(network.edgeCount).toBe(pairs.length);
        expect(network.top).toHaveLength(nodes.length);
        for (const score of network.top) {
          expect(score.degree).toBe(neighbours.get(score.actor.id)!.size);
          expect(score.betweenness).toBeCloseTo(betweenness.get(score.actor.id)!, 9);
        }
        const order = network.top.map((s: any) => [s.betweenness, s.degree]);
        expect(order).toEqual([...order].sort((x: number[], y: number[]) => y[0]! - x[0]! || y[1]! - x[1]!));
      }
    });

    it('gives an empty network for a province where no initiative works', async () => {
      expect(await hub.query(PROVINCE_NETWORK, { provinceCode: 'TH-96' })).toEqual({
        data: { provinceNetwork: { province: { code: 'TH-96', nameEn: 'Narathiwat' }, nodeCount: 0, edgeCount: 0, top: [] } },
      });
    });

    it('refuses top out of range and a malformed province code', async () => {
      const cases: [Record<string, unknown>, string, string][] = [
        [{ provinceCode: 'TH-57', top: 0 }, 'top', 'from 1 to 200'],
        [{ provinceCode: 'TH-57', top: 201 }, 'top', 'from 1 to 200'],
        [{ provinceCode: 'Chiang Rai' }, 'provinceCode', 'TH-80'],
      ];
      for (const [variables, argument, message] of cases) {
        const result = await hub.query(PROVINCE_NETWORK, variables);
        expect(result.data).toEqual({ provinceNetwork: null });
        expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
        expect(result.errors![0]!.message).toContain(message);
      }
    });

    it('refuses a network of more than 3,000 actors, saying the bound', async () => {
      // 3,001 actors in one initiative in Yala (written in one statement, kept out of the other provinces).
      await sql(`insert into initiatives.initiative (id, title, status, province_codes) values ('ini_gx_big', 'ใหญ่', 'IMPLEMENTATION', '{TH-95}')`);
      await sql(
        `insert into initiatives.participation (id, initiative_id, actor_id, sector, role)
         select 'par_gx_big_' || n, 'ini_gx_big', 'peo_gx_big_' || n, 'PEOPLE', 'IMPLEMENTING' from generate_series(1, 3001) n`,
      );
      const result = await hub.query(PROVINCE_NETWORK, { provinceCode: 'TH-95' });
      expect(result.data).toEqual({ provinceNetwork: null });
      expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'provinceCode' });
      expect(result.errors![0]!.message).toContain('more than 3,000 actors');
      expect(result.errors![0]!.message).toContain('smaller area');
    });
  });
});

/**
 * Normalised betweenness by definition: for every pair of other actors, the
 * share of their shortest paths through v (σst(v) = σsv·σvt when v lies on
 * one), summed over pairs and divided by the (n-1)(n-2)/2 pairs.
 */
function bruteForceBetweenness(neighbours: Map<string, Set<string>>): Map<string, number> {
  const nodes = [...neighbours.keys()];
  const bfs = new Map<string, { dist: Map<string, number>; sigma: Map<string, number> }>();
  for (const s of nodes) {
    const dist = new Map([[s, 0]]);
    const sigma = new Map([[s, 1]]);
    const queue = [s];
    for (let i = 0; i < queue.length; i++) {
      const v = queue[i]!;
      for (const w of neighbours.get(v)!) {
        if (!dist.has(w)) {
          dist.set(w, dist.get(v)! + 1);
          queue.push(w);
        }
        if (dist.get(w) === dist.get(v)! + 1) sigma.set(w, (sigma.get(w) ?? 0) + sigma.get(v)!);
      }
    }
    bfs.set(s, { dist, sigma });
  }
  const n = nodes.length;
  const result = new Map(nodes.map((v) => [v, 0]));
  for (const v of nodes) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const s = nodes[i]!;
        const t = nodes[j]!;
        if (s === v || t === v) continue;
        const fromS = bfs.get(s)!;
        const dst = fromS.dist.get(t);
        const dsv = fromS.dist.get(v);
        const dvt = bfs.get(v)!.dist.get(t);
        if (dst === undefined || dsv === undefined || dvt === undefined || dsv + dvt !== dst) continue;
        sum += (fromS.sigma.get(v)! * bfs.get(v)!.sigma.get(t)!) / fromS.sigma.get(t)!;
      }
    }
    result.set(v, n > 2 ? sum / (((n - 1) * (n - 2)) / 2) : 0);
  }
  return result;
}
