import './peers/quiet.js';
import { fileURLToPath } from 'node:url';
import { runInterruptibly } from './peers/command.js';
import type { PeersOptions } from './peers/harness.js';
import { startSubgraph, type EmbeddedPostgres, type RunningSubgraph } from '@hub/toolkit';
import { SCHEMA_DIR } from '@hub/scripts/compose';
import { SUBGRAPHS } from '@hub/scripts/subgraphs';
import { HOSTILE_OPERATIONS, type HostileOperation } from './hostile.js';
import { benchData } from './peers/database.js';
import { loadOperations } from './peers/operations.js';
import { runLoad, TargetProcess } from './peers/processes.js';
import { ENV, LOAD_SCRIPT, targetScript, type LoadRequest, type LoadResult } from './peers/protocol.js';
import { keepAndReport, loadKnobsFromArgs, loadSettings, machine, readLoadAtStart, type ResultHeader, resultsPath, type RunSettings } from './peers/record.js';
import { fixed, spread, table, type Goal, type Spread } from './peers/report.js';

/**
 * `npm run bench:hostile [-- --duration 10 --connections 20 --rounds 2 --scale small]`:
 * what hostile clients cost the dashboards. The hub (its four subgraphs here,
 * its gateway in a process of its own, as bench:peers runs them) serves the
 * dashboard mix of bench:peers (every query of examples/, round-robin) alone
 * ("clean"), then the same mix while a second set of clients sends
 * HOSTILE_OPERATIONS round-robin ("under attack"). The rounds alternate, so
 * drift shows as spread, not as a difference. Prints the dashboards' p50/p95
 * clean and under attack, what became of the hostile operations, and the
 * hub's peak memory; writes bench/results/hostile-<date>.json.
 *
 * The gateway's response cache is off (GATEWAY_CACHE_TTL_MS=0): with it on,
 * the dashboards' answers would come from memory and the attack would race
 * nothing. Its cost budget is GATEWAY_MAX_COST's, the default unless set.
 * Also: --warmup <s> (min(3, duration) by default). DATABASE_URL picks the
 * server, as for `npm run bench:peers`; without it, an embedded one.
 */

/** The gateway's refusal of an operation priced over its budget, before any subgraph is called. */
const REFUSED = 'COST_ESTIMATED_TOO_EXPENSIVE';
/** A hostile operation answered slower than this holds a client, and the hub's resources, too long. */
const SLOW_MS = 2_000;
/** The dashboards' p50 and p95 under attack, over clean. */
const RATIO_GOAL = 1.2;
/** `npm start` runs the gateway and the subgraphs in one process: together they stay under this. */
const RSS_GOAL_MB = 1024;

/** The same knobs as the peers bench, but `connections` counts the dashboards' clients alone. */
export interface HostileBenchOptions
  extends Pick<PeersOptions, 'scale' | 'durationSeconds' | 'rounds' | 'warmupSeconds' | 'databaseUrl' | 'resultsDir' | 'log' | 'signal'> {
  /** Dashboard clients; 20 by default. The attack adds a quarter as many hostile ones, at least 2. */
  connections?: number;
}

export type LoadKind = 'clean' | 'under attack';

export interface DashboardFigures {
  responses: number;
  requestsPerSecond: number;
  latencyMs: LoadResult['latencyMs'];
  /** Non-2xx, connection errors and timeouts, and answers with GraphQL errors. */
  errors: number;
  errorSamples: Record<string, string>;
}

export interface HostileOperationFigures {
  /** What HOSTILE_OPERATIONS says the gateway should do with it. */
  expected: 'refused' | 'answered';
  responses: number;
  /** Refused with COST_ESTIMATED_TOO_EXPENSIVE. */
  refused: number;
  /** HTTP 2xx without GraphQL errors. */
  answered: number;
  /** Errors other than the refusal, by code. */
  otherErrors: Record<string, number>;
  /** Its slowest response. */
  slowestMs: number;
  /** Responses slower than 2 s, and requests that had waited 2 s without one (timed out, or still waiting when the run ended). */
  overTwoSeconds: number;
}

export interface HostileFigures {
  connections: number;
  /** Responses, plus requests that got none (connection errors, timeouts). */
  requests: number;
  refused: number;
  answered: number;
  otherErrors: Record<string, number>;
  /** Requests the load generator gave up on (after 10 s): each is also over 2 s. */
  timeouts: number;
  /** The slowest response; requests that got none count in `overTwoSeconds` only. */
  slowestMs: number;
  overTwoSeconds: number;
  byOperation: Record<string, HostileOperationFigures>;
}

export interface HostileRun {
  round: number;
  load: LoadKind;
  dashboards: DashboardFigures;
  hostile?: HostileFigures;
  /** Highest RSS during the run: of the gateway's process, and of this one, where the subgraphs run. */
  peakRssMb: { gateway: number; subgraphs: number };
}

export interface LoadSummary {
  p50Ms: Spread;
  p95Ms: Spread;
  requestsPerSecond: Spread;
  dashboardErrors: number;
  /** Gateway and subgraphs together, as `npm start` runs them in one process. */
  peakRssMb: Spread;
}

export interface HostilePreflight {
  /** Dashboard queries that did not answer cleanly, with why. */
  dashboardsFailed: Record<string, string>;
  /** Each hostile operation sent once, alone: what the gateway did with it. */
  hostile: Record<string, { expected: 'refused' | 'answered'; outcome: string; ms: number }>;
  /** Hostile operations whose outcome is not the expected one. */
  unexpected: string[];
}

/** A goal of this bench; a ratio (`x`) or an absolute figure, with its unit. */
export interface HostileGoal extends Goal {
  unit: 'x' | '' | ' MB';
}

export interface HostileBenchResult
  extends ResultHeader<
    RunSettings & {
      hostileConnections: number;
      /** GATEWAY_MAX_COST as set for the gateway, or `default`. */
      gatewayMaxCost: string;
      responseCache: 'off';
    }
  > {
  dashboards: string[];
  hostileOperations: { name: string; refused: boolean }[];
  preflight: HostilePreflight;
  runs: HostileRun[];
  summary: {
    clean: LoadSummary;
    underAttack: LoadSummary;
    /** Under attack over clean, paired within each round. */
    ratios: { p50: Spread; p95: Spread };
    /** Every attack run's hostile requests together. */
    hostile: Omit<HostileFigures, 'connections'>;
  };
  goals: HostileGoal[];
  report: string;
  files: { json: string };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const megabytes = (bytes: number) => bytes / 2 ** 20;

/** The hub's gateway is started as bench:peers starts it, with the response cache off and nothing leaving the machine. */
function gatewayEnv(subgraphUrls: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The caller's own log level for the gateway (quiet.ts lowered it for the subgraphs here).
  if (env.PEERS_USER_LOG_LEVEL) env.LOG_LEVEL = env.PEERS_USER_LOG_LEVEL;
  else delete env.LOG_LEVEL;
  for (const key of ['APOLLO_KEY', 'APOLLO_GRAPH_REF', 'OTEL_TRACES_EXPORTER']) delete env[key];
  return { ...env, GATEWAY_CACHE_TTL_MS: '0', [ENV.subgraphUrls]: JSON.stringify(subgraphUrls), [ENV.supergraph]: SCHEMA_DIR + 'supergraph.graphql' };
}

/** Peak RSS of this process (where the subgraphs run), sampled as the target children sample theirs. */
function ownRssWatch() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  timer.unref();
  return {
    reset: () => void (peak = process.memoryUsage.rss()),
    peak: () => Math.max(peak, process.memoryUsage.rss()),
    stop: () => clearInterval(timer),
  };
}

type GraphQLErrors = { message?: string; extensions?: { code?: unknown } }[];

async function send(url: string, body: string): Promise<{ status: number; errors?: GraphQLErrors; ms: number }> {
  const start = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(30_000) });
  const answer = (await response.json().catch(() => ({ errors: [{ message: 'not JSON' }] }))) as { errors?: GraphQLErrors };
  return { status: response.status, ...(answer.errors?.length ? { errors: answer.errors } : {}), ms: performance.now() - start };
}

const hostileBody = ({ query, variables }: HostileOperation) => JSON.stringify({ query, ...(variables ? { variables } : {}) });

/** Every dashboard query and every hostile operation once, alone: the dashboards answer, and each hostile operation meets the fate it is meant to. */
async function preflight(url: string, dashboards: LoadRequest['operations']): Promise<HostilePreflight> {
  const result: HostilePreflight = { dashboardsFailed: {}, hostile: {}, unexpected: [] };
  for (const op of dashboards) {
    const { status, errors } = await send(url, op.body);
    if (status !== 200 || errors) result.dashboardsFailed[op.name] = `HTTP ${status}: ${(errors ?? []).map((e) => e.message).join('; ').slice(0, 300)}`;
  }
  for (const op of HOSTILE_OPERATIONS) {
    const expected = op.refused ? 'refused' : 'answered';
    const { status, errors, ms } = await send(url, hostileBody(op));
    const codes = [...new Set((errors ?? []).map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'UNCODED')))];
    const outcome = !errors && status === 200 ? 'answered' : codes.length === 1 && codes[0] === REFUSED ? 'refused' : `HTTP ${status} ${codes.join(', ')}`;
    result.hostile[op.name] = { expected, outcome, ms };
    if (outcome !== expected) result.unexpected.push(op.name);
  }
  return result;
}

function dashboardFigures(result: LoadResult): DashboardFigures {
  return {
    responses: result.responses,
    requestsPerSecond: result.responses / result.durationSeconds,
    latencyMs: result.latencyMs,
    errors: result.non2xx + result.socketErrors + result.graphqlErrors,
    errorSamples: Object.fromEntries(Object.entries(result.byOperation).flatMap(([op, c]) => (c.firstError ? [[op, c.firstError]] : []))),
  };
}

function addCounts(into: Record<string, number>, from: Record<string, number>) {
  for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
  return into;
}

/** The hostile operations' figures, from their load generator's counts by operation. */
function hostileFigures(result: LoadResult, connections: number): HostileFigures {
  const byOperation: Record<string, HostileOperationFigures> = {};
  for (const op of HOSTILE_OPERATIONS) {
    const counts = result.byOperation[op.name]!;
    const { [REFUSED]: refused = 0, ...otherErrors } = counts.errorCodes;
    byOperation[op.name] = {
      expected: op.refused ? 'refused' : 'answered',
      responses: counts.responses,
      refused,
      answered: counts.responses - counts.non2xx - counts.graphqlErrors,
      otherErrors,
      slowestMs: counts.maxMs,
      overTwoSeconds: counts.slow + counts.slowUnanswered,
    };
  }
  const ops = Object.values(byOperation);
  const total = (figure: (o: HostileOperationFigures) => number) => ops.reduce((n, o) => n + figure(o), 0);
  return {
    connections,
    requests: result.responses + result.socketErrors,
    refused: total((o) => o.refused),
    answered: total((o) => o.answered),
    otherErrors: ops.reduce((all, o) => addCounts(all, o.otherErrors), {} as Record<string, number>),
    timeouts: result.timeouts,
    slowestMs: Math.max(0, ...ops.map((o) => o.slowestMs)),
    overTwoSeconds: total((o) => o.overTwoSeconds),
    byOperation,
  };
}

/** Every attack run's hostile figures added up, operation by operation. */
function hostileTotals(runs: HostileRun[]): HostileBenchResult['summary']['hostile'] {
  const attacks = runs.flatMap((r) => (r.hostile ? [r.hostile] : []));
  const sum = (figure: (h: HostileFigures) => number) => attacks.reduce((n, h) => n + figure(h), 0);
  const byOperation: Record<string, HostileOperationFigures> = {};
  for (const op of HOSTILE_OPERATIONS) {
    const mine = attacks.map((h) => h.byOperation[op.name]!);
    const of = (figure: (o: HostileOperationFigures) => number) => mine.reduce((n, o) => n + figure(o), 0);
    byOperation[op.name] = {
      expected: op.refused ? 'refused' : 'answered',
      responses: of((o) => o.responses),
      refused: of((o) => o.refused),
      answered: of((o) => o.answered),
      otherErrors: mine.reduce((all, o) => addCounts(all, o.otherErrors), {} as Record<string, number>),
      slowestMs: Math.max(0, ...mine.map((o) => o.slowestMs)),
      overTwoSeconds: of((o) => o.overTwoSeconds),
    };
  }
  return {
    requests: sum((h) => h.requests),
    refused: sum((h) => h.refused),
    answered: sum((h) => h.answered),
    otherErrors: attacks.reduce((all, h) => addCounts(all, h.otherErrors), {} as Record<string, number>),
    timeouts: sum((h) => h.timeouts),
    slowestMs: Math.max(0, ...attacks.map((h) => h.slowestMs)),
    overTwoSeconds: sum((h) => h.overTwoSeconds),
    byOperation,
  };
}

const peakTogether = (r: HostileRun) => r.peakRssMb.gateway + r.peakRssMb.subgraphs;

function summariseLoad(runs: HostileRun[]): LoadSummary {
  return {
    p50Ms: spread(runs.map((r) => r.dashboards.latencyMs.p50)),
    p95Ms: spread(runs.map((r) => r.dashboards.latencyMs.p95)),
    requestsPerSecond: spread(runs.map((r) => r.dashboards.requestsPerSecond)),
    dashboardErrors: runs.reduce((n, r) => n + r.dashboards.errors, 0),
    peakRssMb: spread(runs.map(peakTogether)),
  };
}

/** Under attack over clean, paired within each round: both ran seconds apart, on the same machine state. */
function pairedRatio(runs: HostileRun[], figure: (r: HostileRun) => number): Spread {
  const rounds = [...new Set(runs.map((r) => r.round))];
  return spread(
    rounds.flatMap((round) => {
      const clean = runs.find((r) => r.round === round && r.load === 'clean');
      const attacked = runs.find((r) => r.round === round && r.load === 'under attack');
      return clean && attacked ? [figure(attacked) / figure(clean)] : [];
    }),
  );
}

/**
 * Met when every round is within the threshold. A ratio of two noisy figures
 * with rounds on both sides is unclear; one round over an absolute limit
 * (a slow answer, too much memory) already fails it.
 */
function verdict(observed: Spread, threshold: number, absolute: boolean): Goal['verdict'] {
  if (!Number.isFinite(observed.max)) return 'unclear';
  if (observed.max <= threshold) return 'met';
  return absolute || observed.min > threshold ? 'not met' : 'unclear';
}

function goalsOf(runs: HostileRun[], ratios: HostileBenchResult['summary']['ratios']): HostileGoal[] {
  const attacks = runs.filter((r) => r.load === 'under attack');
  const goal = (text: string, observed: Spread, threshold: number, unit: HostileGoal['unit']): HostileGoal => ({
    goal: text,
    comparison: '<=',
    threshold,
    observed,
    verdict: verdict(observed, threshold, unit !== 'x'),
    unit,
  });
  return [
    goal(`dashboard p50 under attack ≤ ${RATIO_GOAL}× clean`, ratios.p50, RATIO_GOAL, 'x'),
    goal(`dashboard p95 under attack ≤ ${RATIO_GOAL}× clean`, ratios.p95, RATIO_GOAL, 'x'),
    goal('no hostile answer over 2 s', spread(attacks.map((r) => r.hostile!.overTwoSeconds)), 0, ''),
    goal('peak RSS under attack < 1 GB', spread(attacks.map(peakTogether)), RSS_GOAL_MB, ' MB'),
  ];
}

// ---------------------------------------------------------------------------
// Text

const withRange = (s: Spread, digits: number, unit = '') => `${fixed(s.mean, digits)}${unit} (${fixed(s.min, digits)}–${fixed(s.max, digits)})`;
const codes = (counts: Record<string, number>) => Object.entries(counts).map(([code, n]) => `${n} ${code}`).join(', ') || '0';


function formatReport(result: Omit<HostileBenchResult, 'report' | 'files'>): string {
  const { clean, underAttack, ratios, hostile } = result.summary;
  const { connections, hostileConnections, rounds, durationSeconds } = result.settings;
  const dashboards = table(
    [`dashboards (${connections} clients, ${rounds} × ${durationSeconds} s)`, 'clean', 'under attack', 'attack / clean'],
    [
      ['p50 ms', withRange(clean.p50Ms, 1), withRange(underAttack.p50Ms, 1), withRange(ratios.p50, 2, 'x')],
      ['p95 ms', withRange(clean.p95Ms, 1), withRange(underAttack.p95Ms, 1), withRange(ratios.p95, 2, 'x')],
      ['requests/s', withRange(clean.requestsPerSecond, 0), withRange(underAttack.requestsPerSecond, 0), ''],
      ['errors', String(clean.dashboardErrors), String(underAttack.dashboardErrors), ''],
      ['peak RSS MB, gateway + subgraphs', withRange(clean.peakRssMb, 0), withRange(underAttack.peakRssMb, 0), ''],
    ],
  );
  const hostileRow = (name: string, o: Omit<HostileOperationFigures, 'expected'>, expected: string) => [
    name,
    expected,
    String(o.responses),
    String(o.refused),
    String(o.answered),
    codes(o.otherErrors),
    fixed(o.slowestMs, 0),
    String(o.overTwoSeconds),
  ];
  const hostileTable = table(
    [`hostile operations (${hostileConnections} clients, round-robin)`, 'expected', 'responses', 'refused', 'answered', 'other errors', 'slowest ms', 'over 2 s'],
    [
      ...Object.entries(hostile.byOperation).map(([name, o]) => hostileRow(name, o, o.expected)),
      hostileRow('all', { ...hostile, responses: Object.values(hostile.byOperation).reduce((n, o) => n + o.responses, 0) }, ''),
    ],
  );
  const goalLines = result.goals.map((goal) => {
    const word = goal.verdict === 'met' ? 'MET' : goal.verdict === 'not met' ? 'NOT MET' : 'UNCLEAR (the rounds straddle the goal)';
    const observed = withRange(goal.observed, goal.unit === 'x' ? 2 : 0, goal.unit);
    return `  ${goal.goal.padEnd(40)} ${word}: ${observed}, goal ≤ ${goal.threshold}${goal.unit}`;
  });
  const attacks = result.runs.filter((r) => r.load === 'under attack');
  const gatewayPeak = Math.max(0, ...attacks.map((r) => r.peakRssMb.gateway));
  const subgraphsPeak = Math.max(0, ...attacks.map((r) => r.peakRssMb.subgraphs));
  return [
    dashboards,
    '',
    hostileTable,
    `(over 2 s: answered after 2 s, or still without an answer after 2 s when the run ended or the client gave up at 10 s; ${hostile.timeouts} gave up)`,
    '',
    `peak RSS under attack: gateway ${fixed(gatewayPeak, 0)} MB, subgraphs ${fixed(subgraphsPeak, 0)} MB (npm start runs both in one process)`,
    ...(result.preflight.unexpected.length
      ? [`not as expected when sent alone: ${result.preflight.unexpected.map((n) => `${n} (${result.preflight.hostile[n]!.outcome})`).join('; ')}`]
      : []),
    '',
    'Goals:',
    ...goalLines,
  ].join('\n');
}

// ---------------------------------------------------------------------------

export async function runHostileBench(options: HostileBenchOptions = {}): Promise<HostileBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const { scale, actors, durationSeconds, connections, rounds, warmupSeconds } = loadSettings(options);
  const hostileConnections = Math.max(2, Math.round(connections / 4));
  const { signal } = options;
  const loadAtStart = readLoadAtStart(log);

  const dashboards = (await loadOperations()).map(({ name, body }) => ({ name, body }));
  const hostile = HOSTILE_OPERATIONS.map((op) => ({ name: op.name, body: hostileBody(op) }));
  let embedded: EmbeddedPostgres | undefined;
  const subgraphs: RunningSubgraph[] = [];
  let gateway: TargetProcess | undefined;
  const ownRss = ownRssWatch();
  try {
    // 1. The data and the subgraphs, as bench:peers has them.
    const data = await benchData(options.databaseUrl, actors, log);
    const { databaseUrl, dataset } = data;
    embedded = data.embedded;
    signal?.throwIfAborted();
    for (const definition of SUBGRAPHS) {
      // The search subgraph, last, reads the others through their API.
      const subgraphUrls = Object.fromEntries(subgraphs.map((s) => [s.name, s.url]));
      subgraphs.push(await startSubgraph(definition, { databaseUrl, port: 0, seed: true, subgraphUrls }));
    }
    const subgraphUrls = Object.fromEntries(subgraphs.map((s) => [s.name, s.url]));
    log(`subgraphs: ${subgraphs.map((s) => `${s.name} ${s.url}`).join(', ')}`);

    // 2. The hub's gateway in its own process, so its memory is its own.
    const env = gatewayEnv(subgraphUrls);
    gateway = await TargetProcess.start('hub', targetScript('hub'), env);
    const hub = gateway;
    log(`hub gateway pid ${hub.pid}, ${hub.url} (response cache off, GATEWAY_MAX_COST ${env.GATEWAY_MAX_COST ?? 'default'})`);
    signal?.throwIfAborted();

    const checked = await preflight(hub.url, dashboards);
    log(`preflight: ${dashboards.length - Object.keys(checked.dashboardsFailed).length}/${dashboards.length} dashboard queries without errors`);
    for (const [name, why] of Object.entries(checked.dashboardsFailed)) log(`  ${name}: ${why}`);
    for (const [name, p] of Object.entries(checked.hostile)) {
      log(`  hostile ${p.outcome === p.expected ? 'as expected' : `EXPECTED ${p.expected.toUpperCase()}`}: ${p.outcome}, ${p.ms.toFixed(0)} ms  ${name}`);
    }

    // Two load generators side by side, each in its own process: the dashboards' latencies stay apart from the attack's.
    const load = (kind: LoadKind, seconds: number) =>
      Promise.all([
        runLoad(LOAD_SCRIPT, { url: hub.url, connections, durationSeconds: seconds, operations: dashboards }, signal),
        kind === 'under attack'
          ? runLoad(LOAD_SCRIPT, { url: hub.url, connections: hostileConnections, durationSeconds: seconds, operations: hostile, slowMs: SLOW_MS }, signal)
          : undefined,
      ]);

    // 3. Warm-up, unmeasured: JIT, query plans and connection pools, for both mixes.
    if (warmupSeconds > 0) {
      log(`warming up under attack (${warmupSeconds} s)`);
      await load('under attack', warmupSeconds);
    }

    // 4. The rounds: clean and under attack, in turn, the order swapped every other round.
    const runs: HostileRun[] = [];
    for (let round = 1; round <= rounds; round++) {
      const order: LoadKind[] = round % 2 === 1 ? ['clean', 'under attack'] : ['under attack', 'clean'];
      for (const kind of order) {
        signal?.throwIfAborted();
        await sleep(300);
        hub.reset();
        ownRss.reset();
        const [dashboardResult, hostileResult] = await load(kind, durationSeconds);
        const { peakRss } = await hub.sample();
        const run: HostileRun = {
          round,
          load: kind,
          dashboards: dashboardFigures(dashboardResult),
          ...(hostileResult ? { hostile: hostileFigures(hostileResult, hostileConnections) } : {}),
          peakRssMb: { gateway: megabytes(peakRss), subgraphs: megabytes(ownRss.peak()) },
        };
        runs.push(run);
        const d = run.dashboards;
        const h = run.hostile;
        log(
          `round ${round}/${rounds} ${kind.padEnd(12)} dashboards ${d.requestsPerSecond.toFixed(0).padStart(5)} req/s  ` +
            `p50 ${d.latencyMs.p50.toFixed(1)} ms  p95 ${d.latencyMs.p95.toFixed(1)} ms  errors ${d.errors}  ` +
            `RSS gateway ${run.peakRssMb.gateway.toFixed(0)} MB, subgraphs ${run.peakRssMb.subgraphs.toFixed(0)} MB` +
            (h ? `  | hostile ${h.requests}: ${h.refused} refused, ${h.answered} answered, slowest ${h.slowestMs.toFixed(0)} ms, ${h.overTwoSeconds} over 2 s` : ''),
        );
        for (const [op, message] of Object.entries(d.errorSamples)) log(`  ${op}: ${message}`);
        if (!hub.alive) throw new Error(`the hub's gateway died during the ${kind} run`);
      }
    }

    // 5. The report and the JSON.
    const ratios = {
      p50: pairedRatio(runs, (r) => r.dashboards.latencyMs.p50),
      p95: pairedRatio(runs, (r) => r.dashboards.latencyMs.p95),
    };
    const date = new Date();
    const jsonPath = resultsPath('hostile', date, options.resultsDir);
    const measured: Omit<HostileBenchResult, 'report' | 'files'> = {
      version: 1,
      date: date.toISOString(),
      machine: machine(loadAtStart),
      settings: {
        scale,
        actors,
        durationSeconds,
        connections,
        hostileConnections,
        rounds,
        warmupSeconds,
        gatewayMaxCost: env.GATEWAY_MAX_COST ?? 'default',
        responseCache: 'off',
        database: embedded ? 'embedded' : 'postgresql',
        dataset,
      },
      dashboards: dashboards.map((o) => o.name),
      hostileOperations: HOSTILE_OPERATIONS.map(({ name, refused }) => ({ name, refused })),
      preflight: checked,
      runs,
      summary: {
        clean: summariseLoad(runs.filter((r) => r.load === 'clean')),
        underAttack: summariseLoad(runs.filter((r) => r.load === 'under attack')),
        ratios,
        hostile: hostileTotals(runs),
      },
      goals: goalsOf(runs, ratios),
    };
    const result: HostileBenchResult = { ...measured, report: formatReport(measured), files: { json: jsonPath } };
    return keepAndReport(jsonPath, result, result.report, log);
  } finally {
    ownRss.stop();
    await gateway?.stop();
    for (const subgraph of subgraphs.reverse()) await subgraph.stop().catch(() => {});
    await embedded?.stop();
  }
}

async function main() {
  await runInterruptibly('the gateway and the subgraphs', (signal) => runHostileBench({ ...loadKnobsFromArgs(), signal }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
