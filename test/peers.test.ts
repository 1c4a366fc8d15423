import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPeers, type PeersResult } from '@hub/bench/peers/harness';
import { TARGETS } from '@hub/bench/peers/protocol';
import { createTestDatabase, type TestDatabase } from '@hub/toolkit/testing';

// A check of the `bench:peers` harness, not a benchmark: a second of load on
// each target, tiny data, nothing timed or compared. The harness runs here,
// from source; its targets and load generator are child processes running the
// compiled scripts (bench/dist/peers/), which the suite builds before any test (test/support/build.ts).

describe('the bench:peers harness', () => {
  let database: TestDatabase;
  let dir: string;
  let result: PeersResult;

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'hub-peers-'));
    result = await runPeers({
      scale: 'tiny',
      durationSeconds: 1,
      rounds: 1,
      connections: 2,
      warmupSeconds: 0,
      soloRepeats: 1,
      databaseUrl: database.url,
      resultsDir: join(dir, 'results'),
      svgPath: join(dir, 'peers.svg'),
      log: () => {},
    });
  }, 170_000);

  afterAll(async () => {
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loads each of the six targets, each in a process of its own, and every request is answered without errors', () => {
    expect(result.runs.map((r) => r.target).sort()).toEqual([...TARGETS].sort());
    for (const run of result.runs) {
      expect(run.responses, run.target).toBeGreaterThan(0);
      expect(run.requestsPerSecond, run.target).toBeGreaterThan(0);
      expect(run.errors, run.target).toEqual({ total: 0, non2xx: 0, socket: 0, timeouts: 0, graphql: 0 });
      expect(run.errorSamples, run.target).toEqual({});
      expect(run.latencyMs.p50, run.target).toBeGreaterThan(0);
      expect(run.latencyMs.p99, run.target).toBeGreaterThanOrEqual(run.latencyMs.p50);
      expect(run.peakRssMb, run.target).toBeGreaterThan(10);
      // Every target runs SQL: through the subgraphs, or (the floor) its own.
      expect(run.sqlPerOperation, run.target).toBeGreaterThan(0);
      expect(run.cpu.target, run.target).toBeGreaterThan(0);
      expect(run.cpuMsPerRequest.target, run.target).toBeGreaterThan(0);
    }
  });

  it('checks every operation through every target first, and the floor answers exactly as the gateways do', () => {
    expect(result.operations.length).toBeGreaterThanOrEqual(5);
    for (const target of TARGETS) {
      expect(result.targets[target].preflight.failed, target).toEqual({});
      expect(result.targets[target].preflight.ok, target).toBe(result.operations.length);
    }
    for (const target of TARGETS) expect(result.targets[target].preflight.differentFromHub, target).toEqual([]);
    const recorded = result.targets.direct.info as { replay: string; operations: { operation: string; subgraphRequests: string[] }[] };
    expect(recorded.replay).toBe('plan');
    expect(recorded.operations.map((o) => o.operation).sort()).toEqual([...result.operations].sort());
    for (const o of recorded.operations) expect(o.subgraphRequests.length, o.operation).toBeGreaterThan(0);
  });

  it('writes the results as JSON, with a summary, ratios and a verdict on each goal', async () => {
    const files = await readdir(join(dir, 'results'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^peers-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.json$/);
    const json = JSON.parse(await readFile(join(dir, 'results', files[0]!), 'utf8')) as PeersResult;
    expect(json.files.json).toBe(join(dir, 'results', files[0]!));
    expect(json).toMatchObject({
      version: 1,
      settings: { scale: 'tiny', actors: 300, durationSeconds: 1, connections: 2, rounds: 1, directReplay: 'plan', hiveDedup: true },
      machine: { cpus: expect.any(Number), node: process.version },
    });
    expect(json.runs).toHaveLength(TARGETS.length);
    for (const target of TARGETS) {
      const summary = json.summary[target];
      expect(summary.requestsPerSecond.mean, target).toBeGreaterThan(0);
      expect(summary.requestsPerSecond.min, target).toBeLessThanOrEqual(summary.requestsPerSecond.max);
      expect(summary.latencyMs.p50.mean, target).toBeGreaterThan(0);
      expect(summary.errors, target).toBe(0);
      expect(summary.peakRssMb, target).toBeGreaterThan(0);
      expect(Object.keys(json.soloLatencyMs)).toEqual(json.operations);
      expect(json.soloOverDirect[target], target).toBeGreaterThan(0);
    }
    for (const ratio of Object.values(json.ratios)) {
      expect(Number.isFinite(ratio.mean)).toBe(true);
      expect(ratio.min).toBeLessThanOrEqual(ratio.max);
    }
    expect(Object.keys(json.ratios)).toEqual(
      expect.arrayContaining(['hubOverFloorThroughput', 'apolloOverFloorThroughput', 'hiveOverFloorThroughput', 'hubOverApolloThroughput', 'hubOverHiveThroughput']),
    );
    expect(json.goals.map((g) => g.threshold)).toEqual([0.6, 1.2, 2]);
    for (const goal of json.goals) expect(['met', 'not met', 'unclear']).toContain(goal.verdict);
    expect(json.report).toContain('hub, cache off / floor');
    expect(json.report).toContain('hub, cache on:');
  });

  it('draws the chart: throughput and p50 for each target', async () => {
    const svg = await readFile(join(dir, 'peers.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    for (const label of ['hub, cache off', 'hub, cache on', 'stock Apollo', 'Hive Gateway', 'direct subgraph calls', 'floor (SQL)', 'Throughput', 'Median latency (p50)']) {
      expect(svg).toContain(label);
    }
    expect(svg.match(/<rect /g)?.length).toBeGreaterThanOrEqual(1 + 2 * TARGETS.length);
  });
});
