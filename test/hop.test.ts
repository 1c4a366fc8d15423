import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHop, type HopResult } from '../bench/src/hop.js';
import { LEGS } from '../bench/src/hop/report.js';
import { createTestDatabase, type TestDatabase } from '@hub/toolkit/testing';

// A check of the `bench:hop` harness, not a benchmark: a second of load on
// each leg, tiny data, nothing timed or compared. The harness runs here, from
// source; the hub subgraph, the bare one, the gateway and the load generator
// are child processes running the compiled scripts (bench/dist/), which the
// suite builds before any test (test/support/build.ts).

describe('the bench:hop harness', () => {
  let database: TestDatabase;
  let dir: string;
  let result: HopResult;
  let actor: Record<string, unknown>;

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'hub-hop-'));
    result = await runHop({
      scale: 'tiny',
      durationSeconds: 1,
      rounds: 1,
      connections: 2,
      warmupSeconds: 0,
      databaseUrl: database.url,
      resultsDir: dir,
      log: () => {},
    });
    const sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    try {
      const { rows } = await sql.query(
        'select id, name, name_en as "nameEn", kind, status, version from people.people_organization where id = $1',
        [result.checks.actorIds[0]],
      );
      actor = rows[0];
    } finally {
      await sql.end();
    }
  }, 170_000);

  afterAll(async () => {
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('checks first that the hub subgraph and the bare one answer the same entity lookup with the same JSON, the row in the database', () => {
    expect(actor).toMatchObject({ id: expect.stringMatching(/^peo_/), name: expect.any(String) });
    expect(result.checks.entityAnswer).toEqual({ data: { _entities: [actor] } });
  });

  it('checks that the gateway answers the one-actor question as the subgraph does, with one call to the people subgraph and none to another', () => {
    expect(result.checks.hopAnswer).toEqual({ data: { peopleOrganization: actor } });
    expect(result.checks.subgraphCallsPerQuestion).toEqual({ people: 1 });
    // More actors than connections, asked round-robin: no two requests in flight are the same, so the gateway cannot share one call among them.
    expect(result.checks.actorIds.length).toBeGreaterThan(result.settings.connections);
    expect(new Set(result.checks.actorIds).size).toBe(result.checks.actorIds.length);
  });

  it('loads each leg, in processes of their own, and every request is answered without errors', () => {
    expect(result.runs.map((r) => r.leg).sort()).toEqual([...LEGS].sort());
    for (const run of result.runs) {
      expect(run.responses, run.leg).toBeGreaterThan(0);
      expect(run.errors, run.leg).toEqual({ total: 0, non2xx: 0, socket: 0, timeouts: 0, graphql: 0 });
      for (const ms of Object.values(run.cpuMsPerRequest)) expect(ms, run.leg).toBeGreaterThan(0);
    }
    const through = Object.fromEntries(result.runs.map((r) => [r.leg, Object.keys(r.cpuMsPerRequest).sort()]));
    expect(through).toEqual({ 'entity-hub': ['subgraph'], 'entity-bare': ['bare'], 'hop-gateway': ['gateway', 'subgraph'], 'hop-subgraph': ['subgraph'] });
    // Under load too, the gateway's requests go to the people subgraph alone.
    expect(Object.keys(result.runs.find((r) => r.leg === 'hop-gateway')!.subgraphCallsPerRequest!)).toEqual(['people']);
  });

  it('writes the results as JSON, with both ratios as finite numbers and a verdict on the goal', async () => {
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^hop-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.json$/);
    const json = JSON.parse(await readFile(join(dir, files[0]!), 'utf8')) as HopResult;
    expect(json).toMatchObject({
      version: 1,
      file: join(dir, files[0]!),
      settings: { scale: 'tiny', actors: 300, durationSeconds: 1, connections: 2, rounds: 1, gatewayCacheTtlMs: 0 },
      machine: { cpus: expect.any(Number), node: process.version },
    });
    expect(Object.keys(json.ratios)).toEqual(['entityHubOverBare', 'hopGatewayOverSubgraph', 'entityCpuBareOverHub', 'hopCpuSubgraphOverGateway']);
    for (const ratio of Object.values(json.ratios)) {
      for (const figure of [ratio.mean, ratio.min, ratio.max]) expect(Number.isFinite(figure)).toBe(true);
      expect(ratio.min).toBeGreaterThan(0);
      expect(ratio.min).toBeLessThanOrEqual(ratio.max);
    }
    expect(json.goals.map((g) => g.threshold)).toEqual([0.67]);
    expect(['met', 'not met', 'unclear']).toContain(json.goals[0]!.verdict);
    expect(json.report).toContain('one entity: hub subgraph / bare subgraph');
    expect(json.report).toContain('one actor: via the gateway / subgraph direct');
  });
});
