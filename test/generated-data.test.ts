import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '@hub/scripts/demo';
import { startHub, type RunningHub } from '@hub/scripts/hub';
import { provinceCodesOf, Region } from '@hub/domain';
import { createTestDatabase, graphql, type TestDatabase } from '@hub/toolkit/testing';

describe('relationship queries on generated data, checked against independent SQL', () => {
  let database: TestDatabase;
  let hub: RunningHub;
  const query = (q: string, variables?: Record<string, unknown>) => graphql(hub.gatewayUrl, q, variables);
  const sql = async (text: string, params: unknown[] = []) =>
    (await hub.subgraphs[0]!.orm.em.getConnection().execute(text, params)) as any[];

  beforeAll(async () => {
    database = await createTestDatabase();
    await generateDemo({ scale: 'tiny' }, database.url);
    hub = await startHub({ databaseUrl: database.url, port: 0, seed: true });
  });
  afterAll(async () => {
    await hub?.stop();
    await database?.drop();
  });

  it('pages through every initiative of a region exactly once, in a stable order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    do {
      const page: any = await query(
        `query ($after: String) { initiatives(region: NORTH, first: 7, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }`,
        { after },
      );
      total = page.data.initiatives.totalCount;
      seen.push(...page.data.initiatives.nodes.map((n: any) => n.id));
      after = page.data.initiatives.pageInfo.hasNextPage ? page.data.initiatives.pageInfo.endCursor : null;
    } while (after);
    const codes = provinceCodesOf(Region.NORTH);
    const rows = await sql(
      `select id from initiatives.initiative where exists (select 1 from unnest(province_codes) c where c in (?)) order by id collate "C"`,
      [codes],
    );
    expect(seen).toEqual(rows.map((r) => r.id));
    expect(total).toBe(rows.length);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("counts a province's participations by sector as a GROUP BY over the tables does", async () => {
    const result = await query(`{ province(code: "TH-50") { initiativeStats { total participationsBySector { value count } } } }`);
    const rows = await sql(
      `select p.sector as value, count(*)::int as count from initiatives.participation p
       join initiatives.initiative i on i.id = p.initiative_id where 'TH-50' = any(i.province_codes) group by p.sector`,
    );
    const [total] = await sql(`select count(*)::int as n from initiatives.initiative where 'TH-50' = any(province_codes)`);
    const bySector = Object.fromEntries(result.data.province.initiativeStats.participationsBySector.map((c: any) => [c.value, c.count]));
    expect(bySector).toEqual(Object.fromEntries(rows.map((r) => [r.value, r.count])));
    expect(result.data.province.initiativeStats.total).toBe(total.n);
  });

  it('filters initiatives by participant sector and actor as a join over the tables does', async () => {
    const [{ actor_id: actorId }] = await sql(
      `select actor_id from initiatives.participation where sector = 'PRIVATE' group by actor_id order by count(*) desc, actor_id limit 1`,
    );
    const result = await query(`query ($actorId: ID!) { initiatives(actorId: $actorId, participantSector: PRIVATE, first: 500) { totalCount } }`, {
      actorId,
    });
    const [row] = await sql(`select count(distinct initiative_id)::int as n from initiatives.participation where actor_id = ?`, [actorId]);
    expect(result.data.initiatives.totalCount).toBe(row.n);
    expect(row.n).toBeGreaterThan(0);
  });

  it('ranks collaborators as a self-join over participations does', async () => {
    const [{ actor_id: actorId }] = await sql(
      `select actor_id from initiatives.participation group by actor_id order by count(*) desc, actor_id limit 1`,
    );
    const result = await query(`query ($id: ID!) { collaborators(actorId: $id, first: 5) { sharedInitiatives actor { id } } }`, { id: actorId });
    const rows = await sql(
      `select b.actor_id as id, count(distinct b.initiative_id)::int as shared from initiatives.participation a
       join initiatives.participation b on b.initiative_id = a.initiative_id and b.actor_id <> a.actor_id
       where a.actor_id = ? group by b.actor_id order by shared desc, b.actor_id collate "C" limit 5`,
      [actorId],
    );
    expect(result.data.collaborators.map((c: any) => [c.actor.id, c.sharedInitiatives])).toEqual(rows.map((r) => [r.id, r.shared]));
  });

  it('finds paths as short as a breadth-first search over links in SQL', async () => {
    const from = 'peo_demo_000100';
    const reach = await sql(
      `with recursive reach(node, depth) as (
         select ?::text, 0
         union
         select case when l.source_id = r.node then l.target_id else l.source_id end, r.depth + 1
         from reach r join initiatives.link l on l.source_id = r.node or l.target_id = r.node where r.depth < 3
       ) select node, min(depth)::int as depth from reach group by node having min(depth) = 3 order by node limit 3`,
      [from],
    );
    expect(reach.length).toBeGreaterThan(0);
    for (const { node } of reach) {
      const result = await query(`query ($from: ID!, $to: ID!) { shortestPath(fromId: $from, toId: $to, viaInitiatives: false) { hops } }`, {
        from,
        to: node,
      });
      expect(result.data.shortestPath.hops, node).toBe(3);
    }
  });

  it('searches names as a LIKE over the tables does', async () => {
    // A word from the middle of a generated name, with its tone marks dropped and spaces around it.
    const [{ name }] = await sql(`select name from people.people_organization where demo order by id limit 1`);
    const word = (name as string).slice(4, 12);
    const typed = ` ${word.replace(/[\u0E48-\u0E4B]/g, '')} `;
    const result = await query(`query ($q: String!) { peopleOrganizations(search: $q, first: 500) { totalCount } }`, { q: typed });
    const rows = await sql(
      `select id from people.people_organization
       where translate(name, '่้๊๋', '') like ? or translate(name_en, '่้๊๋', '') ilike ?`,
      [`%${word.replace(/[\u0E48-\u0E4B]/g, '')}%`, `%${word}%`],
    );
    expect(result.data.peopleOrganizations.totalCount).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(0);
  });
});
