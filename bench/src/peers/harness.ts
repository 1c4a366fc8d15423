import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { startSubgraph, type EmbeddedPostgres, type RunningSubgraph } from '@hub/toolkit';
import { SCHEMA_DIR } from '@hub/scripts/compose';
import { SUBGRAPHS } from '@hub/scripts/subgraphs';
import { benchData } from './database.js';
import { EXAMPLES_DIR, loadOperations, type Operation } from './operations.js';
import { ownCpu, postgresCpuMicros, runLoad, TargetProcess } from './processes.js';
import { bounded, BENCH_DIR, loadRunOf, loadSettings, type LoadKnobs, machine, readLoadAtStart, resultsPath, writeResultFile, type ResultHeader, type RunSettings } from './record.js';
import { ENV, LOAD_SCRIPT, TARGET_LABELS, TARGETS, targetScript, type DirectReplay, type TargetName } from './protocol.js';
import { formatReport, goals, ratios, summarise, svgChart, type Goal, type RunRecord, type TargetSummary } from './report.js';

/**
 * `npm run bench:peers`: the hub's gateway beside its peers and beside the
 * floor, under the same load, over the same subgraphs and the same data.
 *
 * - the subgraphs run once, in this process (type-graphql and MikroORM need
 *   decorator metadata, which only the compiled code has), and every SQL
 *   statement they send is counted;
 * - each target runs in a process of its own, so its memory and CPU are its own:
 *   (a) the hub's gateway with its response cache off (GATEWAY_CACHE_TTL_MS=0:
 *   its own work, which the goals are about) and (b) on, as deployed,
 *   (c) stock @apollo/gateway in @apollo/server, (d) Hive Gateway with the
 *   Rust planner, (e) "direct", the subgraph calls a gateway makes replayed
 *   with no gateway (target-direct.ts), and (f) the floor, the same answers
 *   from hand-written SQL with no gateway and no subgraphs (target-floor.ts);
 * - a load generator (autocannon) runs in yet another process per run, and
 *   sends every query of examples/ round-robin with its default variables;
 * - runs alternate between the targets, in a rotated order each round, so
 *   drift and noise show as a spread across rounds rather than as a difference.
 */

/** Its knobs (10 s of load per run by default) and its own options. */
export interface PeersOptions extends LoadKnobs {
  /** Use this database (seeded if needed) instead of the benches' own `hub_bench_<actors>_<seed>` one (see database.ts). */
  databaseUrl?: string;
  /** How the direct target replays subgraph requests; `plan` (the gateway's own schedule) by default. */
  directReplay?: DirectReplay;
  /** Hive Gateway's deduplication of identical in-flight subgraph requests: on (its default) unless false. */
  hiveDedup?: boolean;
  /** Sequential requests per operation and target, after warm-up, for the unloaded latency of each operation; 3 by default, 0 skips. */
  soloRepeats?: number;
  /** Only these operations of examples/ (by operation name or file name), or all but `skip`. */
  only?: string[];
  skip?: string[];
  /** Where the JSON goes: `bench/results/` by default. */
  resultsDir?: string;
  /** Where the chart goes: `bench/peers.svg` by default. */
  svgPath?: string;
  log?: (line: string) => void;
  /** Stops the bench (Ctrl-C): the run in progress ends and everything started is stopped. */
  signal?: AbortSignal;
}

export interface PeersResult extends ResultHeader<RunSettings & { directReplay: DirectReplay; hiveDedup: boolean; soloRepeats: number }> {
  operations: string[];
  targets: Record<TargetName, { label: string; preflight: Preflight; info?: unknown }>;
  /** Median latency of each operation sent alone (one request at a time, no other load), by target. */
  soloLatencyMs: Record<string, Record<TargetName, number>>;
  /** Geometric mean over operations of each target's unloaded latency over direct's: the per-request cost of the gateway alone. */
  soloOverDirect: Record<TargetName, number>;
  /** The same over the floor's: what a request costs beyond its SQL. */
  soloOverFloor: Record<TargetName, number>;
  runs: RunRecord[];
  summary: Record<TargetName, TargetSummary>;
  ratios: ReturnType<typeof ratios>;
  goals: Goal[];
  report: string;
  files: { json: string; svg: string };
}

export interface Preflight {
  /** Operations that answered with HTTP 200 and no GraphQL errors. */
  ok: number;
  failed: Record<string, string>;
  /** Operations whose data equals the hub's, field for field (key order aside). */
  sameAnswerAsHub: number;
  differentFromHub: string[];
}

/** JSON with object keys sorted, so two answers compare equal whatever order each gateway wrote their fields in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

async function preflight(url: string, operations: Operation[], hubAnswers?: Map<string, string>) {
  const answers = new Map<string, string>();
  const result: Preflight = { ok: 0, failed: {}, sameAnswerAsHub: 0, differentFromHub: [] };
  for (const op of operations) {
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: op.body, signal: AbortSignal.timeout(30_000) });
      const text = await response.text();
      const body = JSON.parse(text) as { data?: unknown; errors?: { message: string }[] };
      if (response.status !== 200 || body.errors?.length) {
        result.failed[op.name] = `HTTP ${response.status}: ${(body.errors ?? []).map((e) => e.message).join('; ').slice(0, 300)}`;
      } else {
        result.ok++;
      }
      const answer = canonical(body.data ?? null);
      answers.set(op.name, answer);
      if (hubAnswers) {
        if (hubAnswers.get(op.name) === answer) result.sameAnswerAsHub++;
        else result.differentFromHub.push(op.name);
      }
    } catch (error) {
      result.failed[op.name] = (error as Error).message;
    }
  }
  if (!hubAnswers) result.sameAnswerAsHub = result.ok;
  return { result, answers };
}

function soloTable(solo: PeersResult['soloLatencyMs']): string {
  const header = ['operation alone, median ms', ...TARGETS.map((t) => TARGET_LABELS[t])];
  const rows = Object.entries(solo).map(([op, byTarget]) => [op, ...TARGETS.map((t) => byTarget[t].toFixed(1))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const LABEL_WIDTH = Math.max(...TARGETS.map((t) => TARGET_LABELS[t].length));

/**
 * A target's environment. The hub runs twice, its response cache off (the
 * gateway's own work under the mix) and on: at the caller's TTL, else the
 * gateway's default.
 */
function targetEnvironment(name: TargetName, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (name === 'hub') return { ...env, GATEWAY_CACHE_TTL_MS: '0' };
  if (name === 'hub-cached' && env.GATEWAY_CACHE_TTL_MS === '0') {
    const { GATEWAY_CACHE_TTL_MS: _off, ...cached } = env;
    return cached;
  }
  return env;
}

const percentOfCore = (micros: number, wallMs: number) => (wallMs > 0 ? (micros / (wallMs * 1000)) * 100 : NaN);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runPeers(options: PeersOptions = {}): Promise<PeersResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const { scale, actors, durationSeconds, connections, rounds, warmupSeconds } = loadSettings(options);
  const directReplay: DirectReplay = options.directReplay ?? 'plan';
  const hiveDedup = options.hiveDedup ?? true;
  const soloRepeats = bounded('soloRepeats', options.soloRepeats ?? 3, 0, 100);
  const { signal } = options;

  const matches = (op: Operation, names: string[]) => names.some((n) => n === op.name || n === op.file || `${n}.graphql` === op.file);
  const loadAtStart = readLoadAtStart(log);
  const operations = (await loadOperations()).filter(
    (op) => (!options.only?.length || matches(op, options.only)) && !(options.skip?.length && matches(op, options.skip)),
  );
  if (operations.length === 0) throw new Error('--only/--skip leave no operation to send');
  let embedded: EmbeddedPostgres | undefined;
  const subgraphs: RunningSubgraph[] = [];
  const targets = new Map<TargetName, TargetProcess>();
  try {
    // 1. The data, as every bench seeds it.
    const data = await benchData(options.databaseUrl, actors, log);
    const { databaseUrl, dataset } = data;
    embedded = data.embedded;
    signal?.throwIfAborted();

    // 2. The subgraphs, once, here; each SQL statement counted.
    let sqlStatements = 0;
    const sqlBySubgraph: Record<string, number> = {};
    for (const definition of SUBGRAPHS) {
      sqlBySubgraph[definition.name] = 0;
      subgraphs.push(
        await startSubgraph(definition, {
          databaseUrl,
          port: 0,
          seed: true,
          // The search subgraph, last, reads the others through their API.
          subgraphUrls: Object.fromEntries(subgraphs.map((s) => [s.name, s.url])),
          onQuery: () => {
            sqlStatements++;
            sqlBySubgraph[definition.name]!++;
          },
        }),
      );
    }
    const subgraphUrls = Object.fromEntries(subgraphs.map((s) => [s.name, s.url]));
    log(`subgraphs: ${subgraphs.map((s) => `${s.name} ${s.url}`).join(', ')}`);
    signal?.throwIfAborted();

    // 3. The four targets, each in its own process, started side by side.
    const env: NodeJS.ProcessEnv = { ...process.env };
    // The callers' own log level for the targets (quiet.ts lowered it for the subgraphs here).
    if (env.PEERS_USER_LOG_LEVEL !== undefined) {
      if (env.PEERS_USER_LOG_LEVEL) env.LOG_LEVEL = env.PEERS_USER_LOG_LEVEL;
      else delete env.LOG_LEVEL;
    }
    // Nothing leaves the machine: no Apollo usage reporting or telemetry, no trace exporter.
    for (const key of ['APOLLO_KEY', 'APOLLO_GRAPH_REF', 'OTEL_TRACES_EXPORTER', 'HIVE_CDN_ENDPOINT', 'HIVE_CDN_KEY', 'HIVE_REGISTRY_TOKEN']) delete env[key];
    env.APOLLO_TELEMETRY_DISABLED = 'true';
    Object.assign(env, {
      [ENV.subgraphUrls]: JSON.stringify(subgraphUrls),
      [ENV.supergraph]: SCHEMA_DIR + 'supergraph.graphql',
      [ENV.examples]: EXAMPLES_DIR,
      [ENV.directReplay]: directReplay,
      [ENV.hiveDedup]: String(hiveDedup),
      [ENV.databaseUrl]: databaseUrl,
    });
    const started = await Promise.allSettled(
      TARGETS.map(async (name) => {
        const target = await TargetProcess.start(name, targetScript(name), targetEnvironment(name, env));
        targets.set(name, target);
        log(`${TARGET_LABELS[name].padEnd(LABEL_WIDTH)} pid ${target.pid}, ${target.url}`);
      }),
    );
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    signal?.throwIfAborted();

    // 4. Every operation once through every target: no errors, and the hub's answer.
    const preflights = {} as Record<TargetName, Preflight>;
    const hub = await preflight(targets.get('hub')!.url, operations);
    preflights.hub = hub.result;
    for (const name of TARGETS.filter((t) => t !== 'hub')) {
      preflights[name] = (await preflight(targets.get(name)!.url, operations, hub.answers)).result;
    }
    for (const name of TARGETS) {
      const p = preflights[name];
      const problems = [
        ...Object.entries(p.failed).map(([op, why]) => `${op}: ${why}`),
        ...(p.differentFromHub.length ? [`answers differently from the hub: ${p.differentFromHub.join(', ')}`] : []),
      ];
      log(`preflight ${TARGET_LABELS[name].padEnd(LABEL_WIDTH)} ${p.ok}/${operations.length} without errors${problems.length ? `\n  ${problems.join('\n  ')}` : ''}`);
    }

    const load = (url: string, seconds: number) =>
      runLoad(LOAD_SCRIPT, { url, connections, durationSeconds: seconds, operations: operations.map(({ name, body }) => ({ name, body })) }, signal);

    // 5. Warm-up, unmeasured: JIT, caches and connection pools of every target.
    if (warmupSeconds > 0) {
      for (const name of TARGETS) {
        log(`warming up ${TARGET_LABELS[name]} (${warmupSeconds} s)`);
        await load(targets.get(name)!.url, warmupSeconds);
      }
    }

    // 6. Each operation alone, a few times through each target: where the time goes, without load.
    const soloLatencyMs: PeersResult['soloLatencyMs'] = {};
    if (soloRepeats > 0) {
      for (const op of operations) {
        soloLatencyMs[op.name] = {} as Record<TargetName, number>;
        for (const name of TARGETS) {
          const times: number[] = [];
          for (let i = 0; i < soloRepeats; i++) {
            signal?.throwIfAborted();
            const start = performance.now();
            const response = await fetch(targets.get(name)!.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: op.body, signal: AbortSignal.timeout(30_000) });
            await response.arrayBuffer();
            times.push(performance.now() - start);
          }
          soloLatencyMs[op.name]![name] = times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
        }
      }
    }
    const soloOver = (base: TargetName) =>
      Object.fromEntries(
        TARGETS.map((t) => {
          const logs = Object.values(soloLatencyMs).map((byTarget) => Math.log(byTarget[t] / byTarget[base]));
          return [t, logs.length ? Math.exp(logs.reduce((a, b) => a + b, 0) / logs.length) : NaN];
        }),
      ) as Record<TargetName, number>;
    const soloOverDirect = soloOver('direct');
    const soloOverFloor = soloOver('floor');
    if (soloRepeats > 0) {
      log('');
      log(soloTable(soloLatencyMs));
      for (const [base, over] of [['floor', soloOverFloor], ['direct', soloOverDirect]] as const) {
        log(
          `unloaded latency / ${TARGET_LABELS[base]}'s (geometric mean over operations): ` +
            TARGETS.filter((t) => t !== base).map((t) => `${TARGET_LABELS[t]} ${over[t].toFixed(2)}x`).join(', '),
        );
      }
      log('');
    }

    // 7. The rounds: every target once a round, in a rotated order.
    const runs: RunRecord[] = [];
    for (let round = 1; round <= rounds; round++) {
      const order = TARGETS.map((_, i) => TARGETS[(i + round - 1) % TARGETS.length]!);
      for (const name of order) {
        signal?.throwIfAborted();
        const target = targets.get(name)!;
        await sleep(300);
        target.reset();
        // SQL statements: the subgraphs', and the target's own (the floor's).
        const sample = async () => {
          const own = await target.sample();
          return { target: own, own: ownCpu(), postgres: await postgresCpuMicros(), sql: sqlStatements + (own.sqlStatements ?? 0), wall: performance.now() };
        };
        const before = await sample();
        const result = await load(target.url, durationSeconds);
        const after = await sample();
        const wallMs = after.wall - before.wall;
        const cpuOf = (a: { user: number; system: number }, b: { user: number; system: number }) => a.user + a.system - (b.user + b.system);
        const errorSamples = Object.fromEntries(
          Object.entries(result.byOperation).flatMap(([op, c]) => (c.firstError ? [[op, c.firstError]] : [])),
        ) as Record<string, string>;
        const run: RunRecord = {
          ...loadRunOf(round, result),
          target: name,
          errorSamples,
          peakRssMb: after.target.peakRss / 2 ** 20,
          sqlStatements: after.sql - before.sql,
          sqlPerOperation: result.responses ? (after.sql - before.sql) / result.responses : NaN,
          cpu: {
            target: percentOfCore(cpuOf(after.target.cpu, before.target.cpu), wallMs),
            subgraphs: percentOfCore(cpuOf(after.own, before.own), wallMs),
            // The load generator runs only for the load itself: its own clock.
            load: percentOfCore(result.cpu.user + result.cpu.system, result.durationSeconds * 1000),
            postgres: before.postgres !== null && after.postgres !== null ? percentOfCore(after.postgres - before.postgres, wallMs) : null,
          },
          cpuMsPerRequest: {
            target: result.responses ? cpuOf(after.target.cpu, before.target.cpu) / 1000 / result.responses : NaN,
            subgraphs: result.responses ? cpuOf(after.own, before.own) / 1000 / result.responses : NaN,
          },
        };
        runs.push(run);
        log(
          `round ${round}/${rounds} ${TARGET_LABELS[name].padEnd(LABEL_WIDTH)} ${run.requestsPerSecond.toFixed(0).padStart(6)} req/s  ` +
            `p50 ${run.latencyMs.p50.toFixed(1)} ms  p99 ${run.latencyMs.p99.toFixed(1)} ms  errors ${run.errors.total}  ` +
            `RSS ${run.peakRssMb.toFixed(0)} MB  SQL/op ${run.sqlPerOperation.toFixed(2)}`,
        );
        for (const [op, message] of Object.entries(errorSamples)) log(`  ${op}: ${message}`);
        if (!target.alive) throw new Error(`${TARGET_LABELS[name]} died during its run`);
      }
    }

    // 8. The report, the JSON and the chart.
    const summary = summarise(runs);
    const r = ratios(runs);
    const g = goals(r);
    const report = formatReport(summary, r, g, cpus().length);
    const date = new Date();
    const jsonPath = resultsPath('peers', date, options.resultsDir);
    const svgPath = resolve(options.svgPath ?? BENCH_DIR + 'peers.svg');
    const result: PeersResult = {
      version: 1,
      date: date.toISOString(),
      machine: machine(loadAtStart),
      settings: { scale, actors, durationSeconds, connections, rounds, warmupSeconds, directReplay, hiveDedup, soloRepeats, database: embedded ? 'embedded' : 'postgresql', dataset },
      operations: operations.map((o) => o.name),
      targets: Object.fromEntries(
        TARGETS.map((name) => {
          const info = targets.get(name)!.info;
          return [name, { label: TARGET_LABELS[name], preflight: preflights[name], ...(info === undefined ? {} : { info }) }];
        }),
      ) as PeersResult['targets'],
      soloLatencyMs,
      soloOverDirect,
      soloOverFloor,
      runs,
      summary,
      ratios: r,
      goals: g,
      report,
      files: { json: jsonPath, svg: svgPath },
    };
    await writeResultFile(jsonPath, JSON.stringify(result, null, 2) + '\n');
    const caption =
      `${actors.toLocaleString('en')} demo actors, ${operations.length} example queries round-robin, ${connections} connections, ` +
      `${durationSeconds} s × ${rounds} rounds, ${cpus().length} CPUs, ${date.toISOString().slice(0, 10)}`;
    await writeResultFile(svgPath, svgChart(summary, caption));
    log('');
    log(report);
    if (hiveDedup) {
      log(
        '\nHive Gateway shares one subgraph request among identical ones in flight (deduplicateInflightRequests, its default):' +
          ' its SQL/op shows how much of the subgraph work that saved under this mix. --hive-dedup false turns it off.',
      );
    }
    log(`\nSQL statements by subgraph over the whole bench: ${Object.entries(sqlBySubgraph).map(([n, c]) => `${n} ${c}`).join(', ')}`);
    log(`results: ${jsonPath}\nchart:   ${svgPath}`);
    return result;
  } finally {
    await Promise.all([...targets.values()].map((t) => t.stop()));
    for (const subgraph of subgraphs.reverse()) await subgraph.stop().catch(() => {});
    await embedded?.stop();
  }
}
