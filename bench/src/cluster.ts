import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startCluster, type Balancer, type RunningCluster } from '@hub/scripts/cluster';
import { argument, numberArgument, runInterruptibly } from './peers/command.js';
import { loadOperations } from './peers/operations.js';
import { runLoad } from './peers/processes.js';
import { LOAD_SCRIPT, type LoadResult } from './peers/protocol.js';
import { bounded, loadRunOf, machine, readLoadAtStart, resultsPath, writeResultFile, type LoadRun } from './peers/record.js';
import { fixed, range, spread, table, type Spread } from './peers/report.js';

/**
 * `npm run bench:cluster [-- --duration 10 --rounds 3 --connections 20 --warmup 3 --cache off|on]`:
 * the hub on many machines (scripts/src/cluster.ts: a database server per
 * agency, a process per subgraph, gateway replicas sharing Redis, HAProxy in
 * front), its throughput under the examples' query mix (bench:peers' load
 * generator and mix) with ONE replica behind HAProxy and with TWO.
 *
 * Both balancers run side by side over the same replicas and subgraphs, one
 * in front of the first replica only and one in front of both, and the runs
 * alternate between them, in a rotated order each round, so drift shows as a
 * spread rather than as a difference. Printed: each one's throughput and
 * latency, and two/one paired by round with its min–max. Then one run with a
 * replica killed part-way: how many requests failed before HAProxy noticed.
 *
 * `--quick` (1 round of 2 s, no result file) checks that it runs.
 *
 * The gateways' response cache is off by default (`--cache on` keeps it), so
 * the replicas do the gateway's work rather than hand back stored answers.
 * On a machine of few cores the replicas share them with five subgraphs, five
 * database servers, HAProxy and the load generator: a second replica there
 * adds processes, not cores, and the ratio says what that buys.
 */

export interface ClusterBenchOptions {
  durationSeconds?: number;
  rounds?: number;
  connections?: number;
  warmupSeconds?: number;
  /** The gateways' response cache; off by default. */
  cache?: boolean;
  /** Skip the run with a replica killed part-way. */
  skipKill?: boolean;
  /** A cluster already up (with two replicas) to measure instead of one of its own, left running after. */
  cluster?: RunningCluster;
  /** Where the JSON goes: bench/results/ by default; none when null. */
  resultsDir?: string | null;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

type Setup = 'one' | 'two';
const LABELS: Record<Setup, string> = { one: 'one replica', two: 'two replicas' };

export interface ClusterRun extends LoadRun {
  setup: Setup;
  /** % of one core over the run: the gateway replicas together, the subgraphs together, and the load generator. */
  cpu: { gateways: number; subgraphs: number; load: number };
}

export interface ClusterBenchResult {
  settings: Required<Omit<ClusterBenchOptions, 'resultsDir' | 'log' | 'signal' | 'skipKill' | 'cluster'>>;
  startMs: number;
  runs: ClusterRun[];
  summary: Record<Setup, { requestsPerSecond: Spread; p50: Spread; p95: Spread; errors: number; gatewaysCpu: Spread; subgraphsCpu: Spread; loadCpu: Spread }>;
  /** Two replicas' throughput over one's, paired by round. */
  twoOverOne: Spread;
  /** The run in which a replica was killed, when it ran. */
  kill?: { noticedAfterMs: number; requests: number; failed: number; firstFailure?: string };
  report: string;
  file?: string;
}

/** CPU time (µs) of some processes so far, from /proc; 0 for one that is gone. */
async function cpuMicros(pids: (number | undefined)[]): Promise<number> {
  let total = 0;
  for (const pid of pids) {
    if (!pid) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, in clock ticks (100 a second on Linux).
    if (fields.length > 13) total += ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100;
  }
  return total;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runClusterBench(options: ClusterBenchOptions = {}): Promise<ClusterBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const durationSeconds = bounded('duration', options.durationSeconds ?? 10, 1, 600);
  const settings = {
    durationSeconds,
    rounds: bounded('rounds', options.rounds ?? 3, 1, 20),
    connections: bounded('connections', options.connections ?? 20, 1, 1_000),
    warmupSeconds: bounded('warmup', options.warmupSeconds ?? Math.min(3, durationSeconds), 0, 60),
    cache: options.cache ?? false,
  };
  const { signal } = options;
  const loadAtStart = readLoadAtStart(log);
  const operations = (await loadOperations()).map(({ name, body }) => ({ name, body }));
  let cluster = options.cluster;
  let one: Balancer | undefined;
  try {
    cluster ??= await startCluster({ replicas: 2, gatewayEnv: settings.cache ? {} : { GATEWAY_CACHE_TTL_MS: '0' }, log });
    if (cluster.replicas.length !== 2) throw new Error(`the bench compares one replica with two; the cluster has ${cluster.replicas.length}`);
    signal?.throwIfAborted();
    one = await cluster.addBalancer([cluster.replicas[0]!.name]);
    const balancers: Record<Setup, Balancer> = { one, two: cluster.balancer };
    const replicaPids = () => cluster!.replicas.map((r) => r.pid);
    const subgraphPids = cluster.subgraphs.map((s) => s.pid);
    const load = (url: string, seconds: number): Promise<LoadResult> => runLoad(LOAD_SCRIPT, { url, connections: settings.connections, durationSeconds: seconds, operations }, signal);

    if (settings.warmupSeconds > 0) {
      for (const setup of ['one', 'two'] as const) {
        log(`warming up ${LABELS[setup]} (${settings.warmupSeconds} s)`);
        await load(balancers[setup].url, settings.warmupSeconds);
      }
    }

    const runs: ClusterRun[] = [];
    for (let round = 1; round <= settings.rounds; round++) {
      const order: Setup[] = round % 2 === 1 ? ['one', 'two'] : ['two', 'one'];
      for (const setup of order) {
        signal?.throwIfAborted();
        await sleep(300);
        const before = { gateways: await cpuMicros(replicaPids()), subgraphs: await cpuMicros(subgraphPids), wall: performance.now() };
        const result = await load(balancers[setup].url, settings.durationSeconds);
        const wallMs = performance.now() - before.wall;
        const gateways = ((await cpuMicros(replicaPids())) - before.gateways) / (wallMs * 10);
        const subgraphs = ((await cpuMicros(subgraphPids)) - before.subgraphs) / (wallMs * 10);
        const loadCpu = ((result.cpu.user + result.cpu.system) / (wallMs * 1000)) * 100;
        const run: ClusterRun = { ...loadRunOf(round, result), setup, cpu: { gateways, subgraphs, load: loadCpu } };
        runs.push(run);
        log(
          `round ${round} ${LABELS[setup].padEnd(12)} ${fixed(run.requestsPerSecond, 0)} req/s, p50 ${fixed(run.latencyMs.p50, 1)} ms, ` +
            `p95 ${fixed(run.latencyMs.p95, 1)} ms, ${run.errors.total} errors; CPU, % of a core: gateways ${fixed(gateways, 0)}, subgraphs ${fixed(subgraphs, 0)}, load generator ${fixed(loadCpu, 0)}`,
        );
      }
    }

    const of = (setup: Setup) => runs.filter((r) => r.setup === setup);
    const summary = Object.fromEntries(
      (['one', 'two'] as const).map((setup) => [
        setup,
        {
          requestsPerSecond: spread(of(setup).map((r) => r.requestsPerSecond)),
          p50: spread(of(setup).map((r) => r.latencyMs.p50)),
          p95: spread(of(setup).map((r) => r.latencyMs.p95)),
          errors: of(setup).reduce((n, r) => n + r.errors.total, 0),
          gatewaysCpu: spread(of(setup).map((r) => r.cpu.gateways)),
          subgraphsCpu: spread(of(setup).map((r) => r.cpu.subgraphs)),
          loadCpu: spread(of(setup).map((r) => r.cpu.load)),
        },
      ]),
    ) as ClusterBenchResult['summary'];
    const twoOverOne = spread(
      Array.from({ length: settings.rounds }, (_, i) => {
        const [one, two] = [of('one').find((r) => r.round === i + 1), of('two').find((r) => r.round === i + 1)];
        return one && two ? two.requestsPerSecond / one.requestsPerSecond : NaN;
      }),
    );

    // A replica killed part-way through a run behind both: what it cost before HAProxy noticed.
    let kill: ClusterBenchResult['kill'];
    if (!options.skipKill) {
      signal?.throwIfAborted();
      const victim = cluster.replicas[1]!;
      const seconds = Math.max(4, Math.min(settings.durationSeconds, 10));
      const running = load(balancers.two.url, seconds);
      await sleep((seconds * 1000) / 3);
      const killedAt = performance.now();
      await cluster.killReplica(victim.name);
      let noticedAfterMs = NaN;
      while (performance.now() - killedAt < 10_000) {
        if ((await balancers.two.serverStates())[victim.name]?.startsWith('DOWN')) {
          noticedAfterMs = performance.now() - killedAt;
          break;
        }
        await sleep(50);
      }
      const result = await running;
      const failed = result.non2xx + result.socketErrors + result.graphqlErrors;
      const firstFailure = Object.values(result.byOperation).find((counts) => counts.firstError)?.firstError;
      kill = { noticedAfterMs, requests: result.responses, failed, ...(firstFailure ? { firstFailure } : {}) };
      await cluster.startReplica(victim.name);
    }

    const cores = cpus().length;
    const report = [
      table(
        ['behind HAProxy', 'req/s', '(min–max)', 'p50 ms', '(min–max)', 'p95 ms', 'errors', 'gateways CPU %', 'subgraphs CPU %', 'load gen CPU %'],
        (['one', 'two'] as const).map((setup) => {
          const s = summary[setup];
          return [
            LABELS[setup],
            fixed(s.requestsPerSecond.mean, 0),
            `(${range(s.requestsPerSecond, 0)})`,
            fixed(s.p50.mean, 1),
            `(${range(s.p50, 1)})`,
            fixed(s.p95.mean, 1),
            String(s.errors),
            fixed(s.gatewaysCpu.mean, 0),
            fixed(s.subgraphsCpu.mean, 0),
            fixed(s.loadCpu.mean, 0),
          ];
        }),
      ),
      `(CPU in % of one core; this machine has ${cores} logical CPU${cores === 1 ? '' : 's'}, ${cores * 100}% in all, shared by every part of the cluster, its databases and the load generator; response cache ${settings.cache ? 'on' : 'off'})`,
      '',
      `two replicas / one, throughput: ${fixed(twoOverOne.mean, 2)}x  (${range(twoOverOne, 2)} across ${settings.rounds} round${settings.rounds === 1 ? '' : 's'})`,
      ...(kill
        ? [
            `a replica killed under load: HAProxy noticed after ${fixed(kill.noticedAfterMs, 0)} ms; ${kill.failed} of ${kill.requests} requests failed` +
              (kill.firstFailure ? ` (first: ${kill.firstFailure})` : ''),
          ]
        : []),
    ].join('\n');
    log('');
    log(report);

    const result: ClusterBenchResult = { settings, startMs: cluster.startMs, runs, summary, twoOverOne, ...(kill ? { kill } : {}), report };
    if (options.resultsDir !== null) {
      const date = new Date();
      const file = resultsPath('cluster', date, options.resultsDir);
      await writeResultFile(file, JSON.stringify({ version: 1, date: date.toISOString(), machine: machine(loadAtStart), ...result }, null, 2) + '\n');
      result.file = file;
      log(`\nwrote ${file}`);
    }
    return result;
  } finally {
    await one?.stop();
    if (!options.cluster) await cluster?.stop();
  }
}

async function main() {
  const quick = process.argv.includes('--quick');
  const cache = argument('cache');
  if (cache !== undefined && cache !== 'on' && cache !== 'off') throw new Error('--cache is on or off');
  const given = {
    durationSeconds: numberArgument('duration') ?? (quick ? 2 : undefined),
    rounds: numberArgument('rounds') ?? (quick ? 1 : undefined),
    connections: numberArgument('connections'),
    warmupSeconds: numberArgument('warmup') ?? (quick ? 1 : undefined),
  };
  // The parts log at warn: at info each writes a JSON line per request, work that is not the hub's.
  process.env.LOG_LEVEL ??= 'warn';
  await runInterruptibly('the cluster', (signal) =>
    runClusterBench({
      // A quick run is a check that the bench works, not a result to keep.
      ...(quick ? { resultsDir: null } : {}),
      ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
      ...(cache ? { cache: cache === 'on' } : {}),
      signal,
    }),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
