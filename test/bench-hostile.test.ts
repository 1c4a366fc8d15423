import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHostileBench, type HostileBenchResult } from '@hub/bench/bench-hostile';
import { HOSTILE_OPERATIONS } from '@hub/bench/hostile';
import { createTestDatabase, type TestDatabase } from '@hub/toolkit/testing';

// A check of the `bench:hostile` pieces, not a benchmark: two seconds of each
// load on tiny data, nothing timed or compared. The bench runs here, from
// source; the hub's gateway and the load generators are child processes
// running the compiled scripts (bench/dist/peers/), which the suite builds before any test (test/support/build.ts).

describe('the bench:hostile command', () => {
  let database: TestDatabase;
  let dir: string;
  let result: HostileBenchResult;

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'hub-hostile-'));
    result = await runHostileBench({
      scale: 'tiny',
      durationSeconds: 2,
      rounds: 1,
      connections: 2,
      warmupSeconds: 0,
      databaseUrl: database.url,
      resultsDir: dir,
      log: () => {},
    });
  }, 170_000);

  afterAll(async () => {
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs the dashboard mix clean and under attack, and the dashboards are answered without errors in both', () => {
    expect(result.runs.map((r) => r.load).sort()).toEqual(['clean', 'under attack']);
    for (const run of result.runs) {
      expect(run.dashboards.responses, run.load).toBeGreaterThan(0);
      expect(run.dashboards.errors, run.load).toBe(0);
      expect(run.dashboards.errorSamples, run.load).toEqual({});
      expect(run.dashboards.latencyMs.p95, run.load).toBeGreaterThanOrEqual(run.dashboards.latencyMs.p50);
      expect(run.peakRssMb.gateway, run.load).toBeGreaterThan(10);
      expect(run.peakRssMb.subgraphs, run.load).toBeGreaterThan(10);
    }
    expect(result.runs.find((r) => r.load === 'clean')!.hostile).toBeUndefined();
  });

  it('sends the hostile operations only during the attack, and tells each refusal from an answer', () => {
    const attack = result.runs.find((r) => r.load === 'under attack')!.hostile!;
    expect(attack.connections).toBe(2);
    expect(Object.keys(attack.byOperation)).toEqual(HOSTILE_OPERATIONS.map((o) => o.name));
    // The mix starts with operations the gateway refuses before calling any subgraph.
    expect(attack.refused).toBeGreaterThan(0);
    const ops = Object.values(attack.byOperation);
    for (const op of ops) {
      const otherErrors = Object.values(op.otherErrors).reduce((a, b) => a + b, 0);
      expect(op.refused + op.answered).toBeLessThanOrEqual(op.responses);
      expect(op.refused + op.answered + otherErrors).toBeGreaterThanOrEqual(op.responses);
    }
    expect(attack.refused).toBe(ops.reduce((n, o) => n + o.refused, 0));
    expect(attack.requests).toBeGreaterThanOrEqual(ops.reduce((n, o) => n + o.responses, 0));
    expect(Object.keys(result.preflight.hostile)).toEqual(HOSTILE_OPERATIONS.map((o) => o.name));
  });

  it('writes the results as JSON, with the ratios and a verdict on each goal', async () => {
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^hostile-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.json$/);
    const json = JSON.parse(await readFile(join(dir, files[0]!), 'utf8')) as HostileBenchResult;
    expect(json).toMatchObject({
      version: 1,
      settings: { scale: 'tiny', actors: 300, durationSeconds: 2, connections: 2, hostileConnections: 2, rounds: 1, responseCache: 'off' },
      hostileOperations: HOSTILE_OPERATIONS.map(({ name, refused }) => ({ name, refused })),
    });
    expect(Number.isFinite(json.summary.ratios.p50.mean)).toBe(true);
    expect(Number.isFinite(json.summary.ratios.p95.mean)).toBe(true);
    expect(json.goals.map((g) => [g.threshold, g.unit])).toEqual([
      [1.2, 'x'],
      [1.2, 'x'],
      [0, ''],
      [1024, ' MB'],
    ]);
    for (const goal of json.goals) expect(['met', 'not met', 'unclear']).toContain(goal.verdict);
    expect(json.report).toContain('attack / clean');
    expect(json.report).toContain('refused');
  });
});
