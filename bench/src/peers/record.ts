import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoActorCount } from '@hub/scripts/demo';
import { argument, numberArgument } from './command.js';
import type { LoadResult } from './protocol.js';

/**
 * What the benches that keep their results share: the checks on their
 * settings, the machine they ran on (figures from two machines, or from one
 * already busy, do not compare), and where their files go.
 */

/** bench/, from src/peers or dist/peers alike: results/ and the charts sit there. */
export const BENCH_DIR = fileURLToPath(new URL('../../', import.meta.url));

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
  loadAverage: { start: number[]; end: number[] };
}

/** The settings every bench records, beside its own. */
export interface RunSettings {
  scale: string;
  actors: number;
  durationSeconds: number;
  connections: number;
  rounds: number;
  warmupSeconds: number;
  database: 'postgresql' | 'embedded';
  dataset: 'reused' | 'seeded';
}

/** How every bench's result file begins: what ran, when, where and how. */
export interface ResultHeader<Settings extends RunSettings> {
  version: 1;
  date: string;
  machine: Machine;
  settings: Settings;
}

/** A setting, refused outside its range rather than run with a typo for an hour. */
export function bounded(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name} must be between ${min} and ${max}; got ${value}`);
  return value;
}

/** The knobs every bench takes, as its options name them; each bench gives its own defaults. */
export interface LoadKnobs {
  /** Demo scale (`tiny`, `small`, ... or a number of actors); `small` by default. */
  scale?: string | number;
  /** Seconds of load per run. */
  durationSeconds?: number;
  /** Concurrent connections of the load generator; 20 by default. */
  connections?: number;
  /** How many times every target is measured; 2 by default. */
  rounds?: number;
  /** Seconds of unmeasured load per target before the first round; min(3, duration) by default. */
  warmupSeconds?: number;
}

/** What the load generator measured in one run of one target, as every bench records it. */
export interface LoadRun {
  round: number;
  requestsPerSecond: number;
  responses: number;
  durationSeconds: number;
  latencyMs: { p50: number; p95: number; p99: number; mean: number; max: number };
  errors: { total: number; non2xx: number; socket: number; timeouts: number; graphql: number };
}

/** The load generator's result of one run, as a LoadRun. */
export function loadRunOf(round: number, result: LoadResult): LoadRun {
  return {
    round,
    requestsPerSecond: result.responses / result.durationSeconds,
    responses: result.responses,
    durationSeconds: result.durationSeconds,
    latencyMs: result.latencyMs,
    errors: {
      total: result.non2xx + result.socketErrors + result.graphqlErrors,
      non2xx: result.non2xx,
      socket: result.socketErrors,
      timeouts: result.timeouts,
      graphql: result.graphqlErrors,
    },
  };
}

/**
 * The knobs as a bench's command line gives them: `--scale`, `--duration`,
 * `--connections`, `--rounds` and `--warmup` (also as `--name=value`); BENCH_SCALE
 * when no scale is given. Other arguments are the bench's own.
 */
export function loadKnobsFromArgs(args: readonly string[] = process.argv.slice(2)): LoadKnobs {
  const knobs: LoadKnobs = { scale: argument('scale', args) ?? process.env.BENCH_SCALE ?? 'small' };
  const given = {
    durationSeconds: numberArgument('duration', args),
    connections: numberArgument('connections', args),
    rounds: numberArgument('rounds', args),
    warmupSeconds: numberArgument('warmup', args),
  };
  for (const [knob, n] of Object.entries(given)) if (n !== undefined) knobs[knob as keyof typeof given] = n;
  return knobs;
}

/** The knobs with their defaults filled in, each refused outside its range. */
export function loadSettings(options: LoadKnobs) {
  const scale = String(options.scale ?? 'small');
  const durationSeconds = bounded('duration', options.durationSeconds ?? 10, 1, 600);
  return {
    scale,
    actors: demoActorCount(scale),
    durationSeconds,
    connections: bounded('connections', options.connections ?? 20, 1, 1_000),
    rounds: bounded('rounds', options.rounds ?? 2, 1, 20),
    warmupSeconds: bounded('warmup', options.warmupSeconds ?? Math.min(3, durationSeconds), 0, 60),
  };
}

/** The load average as a bench begins; a busy machine is said at once, since its figures will be noisy. */
export function readLoadAtStart(log: (line: string) => void): number[] {
  const load = loadavg();
  if (load[0]! > cpus().length / 2) {
    log(`note: this machine is already busy (load average ${load[0]!.toFixed(1)} on ${cpus().length} CPUs): expect noisy figures.`);
  }
  return load;
}

/** The machine as a bench ends, with the load average it began with. */
export function machine(loadAverageAtStart: number[]): Machine {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: process.platform,
    loadAverage: { start: loadAverageAtStart, end: loadavg() },
  };
}

/** `<bench>-<date>.json` in `resultsDir`, bench/results/ by default. */
export function resultsPath(bench: string, date: Date, resultsDir = BENCH_DIR + 'results'): string {
  const stamp = date.toISOString().slice(0, 19).replace(/:/g, '-');
  return resolve(resultsDir, `${bench}-${stamp}.json`);
}

/** Writes a result file, making its folder first: a results folder given by the caller may not exist yet. */
export async function writeResultFile(path: string, contents: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, contents);
}

/** Keeps a run's result as JSON at `path`, then prints its report and where the file is. */
export async function keepAndReport<T>(path: string, result: T, report: string, log: (line: string) => void): Promise<T> {
  await writeResultFile(path, JSON.stringify(result, null, 2) + '\n');
  log('');
  log(report);
  log(`\nresults: ${path}`);
  return result;
}
