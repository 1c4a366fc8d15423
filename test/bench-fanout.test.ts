import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FanoutResult } from '../bench/src/fanout.js';

// A check of `npm run bench:fanout`, not a benchmark: the command as a user
// runs it (compiled, from bench/dist/, which the suite builds first), with a
// handful of subscribers and a few writes, nothing timed or compared. It
// makes and drops a database of its own on DATABASE_URL's server.

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SUBSCRIBERS = [2, 4];

function runCommand(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bench/dist/fanout.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run bench:fanout', () => {
  let dir: string;
  let run: Awaited<ReturnType<typeof runCommand>>;
  let result: FanoutResult;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hub-fanout-'));
    run = await runCommand(['--subscribers', SUBSCRIBERS.join(','), '--writes-per-second', '4', '--duration', '2', '--warmup', '0', '--results', dir]);
    const files = await readdir(dir);
    if (files.length === 1) result = JSON.parse(await readFile(join(dir, files[0]!), 'utf8')) as FanoutResult;
  }, 170_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('ends well and says nothing was lost', () => {
    expect(run.code, run.stderr.slice(-2_000)).toBe(0);
    expect(run.stdout).toContain('nothing lost: every acknowledged write arrived on every stream, once');
  });

  it('prints a row per number of subscribers, every acknowledged write delivered to every stream once', () => {
    const lines = run.stdout.split('\n');
    const header = lines.findIndex((line) => /^\s*subscribers\s+open\s+writes ok\/sent/.test(line));
    expect(header, run.stdout).toBeGreaterThanOrEqual(0);
    const columns = lines[header]!.trim().split(/\s{2,}/);
    expect(columns).toEqual(expect.arrayContaining(['events expected', 'delivered', 'lost', 'twice', 'p50 ms', 'p99 ms', 'KB/subscriber']));
    const rows = lines.slice(header + 2, header + 2 + SUBSCRIBERS.length).map((line) =>
      Object.fromEntries(
        line
          .trim()
          .split(/\s+/)
          .map((cell, i) => [columns[i]!, cell]),
      ),
    );
    expect(rows.map((row) => Number(row.subscribers))).toEqual(SUBSCRIBERS);
    for (const row of rows) {
      const [acknowledged, sent] = row['writes ok/sent']!.split('/').map(Number);
      expect(sent, row.subscribers).toBe(8);
      expect(acknowledged, row.subscribers).toBe(8);
      expect(Number(row.open), row.subscribers).toBe(Number(row.subscribers));
      expect(Number(row['events expected']), row.subscribers).toBe(acknowledged! * Number(row.subscribers));
      expect(Number(row.delivered), row.subscribers).toBe(Number(row['events expected']));
      expect(row.lost).toBe('0');
      expect(row.twice).toBe('0');
      expect(Number(row['p99 ms'])).toBeGreaterThanOrEqual(Number(row['p50 ms']));
    }
  });

  it('writes the figures as JSON: latencies that could be real, and the gateway measured in its own process', () => {
    expect(result, 'one results file').toBeDefined();
    // It runs where the suite runs: on the PostgreSQL server of DATABASE_URL, or on the embedded database without it.
    const database = process.env.DATABASE_URL ? 'postgresql' : 'embedded';
    expect(result.settings).toMatchObject({ subscribers: SUBSCRIBERS, writesPerSecond: 4, durationSeconds: 2, warmupSeconds: 0, database });
    for (const rung of result.rungs) {
      // From the write's own transaction to the subscriber: more than nothing, less than the drain allows.
      expect(rung.run.commitToReceiveMs.count).toBe(rung.run.expected);
      expect(rung.run.commitToReceiveMs.p50).toBeGreaterThan(0);
      expect(rung.run.commitToReceiveMs.max).toBeLessThan(10_000);
      // Sent before it committed: the latency from sending is never the smaller.
      expect(rung.run.sendToReceiveMs.p50).toBeGreaterThanOrEqual(rung.run.commitToReceiveMs.p50 - 1);
      expect(rung.gateway.rssAllMb).toBeGreaterThan(10);
      expect(rung.gateway.peakRssMb).toBeGreaterThanOrEqual(rung.gateway.rssAllMb * 0.5);
      expect(rung.gateway.kbPerSubscriber).not.toBeNull();
    }
  });
});
