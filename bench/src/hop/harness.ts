import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import { GATEWAY_SECRET_HEADER, gatewaySecrets } from '@hub/server';
import { SCHEMA_DIR } from '@hub/scripts/compose';
import type { EmbeddedPostgres } from '@hub/toolkit';
import type { Goal } from '../peers/report.js';
import { benchData } from '../peers/database.js';
import { postgresCpuMicros, runLoad, TargetProcess } from '../peers/processes.js';
import { ENV, LOAD_SCRIPT, targetScript, type LoadRequest } from '../peers/protocol.js';
import { keepAndReport, type LoadKnobs, loadRunOf, loadSettings, machine, readLoadAtStart, type ResultHeader, resultsPath, type RunSettings } from '../peers/record.js';
import { BARE_SUBGRAPH_SCRIPT, HOP_ENV, HUB_SUBGRAPH_SCRIPT } from './protocol.js';
import { formatReport, goals, LEG_LABELS, LEGS, ratios, summarise, type HopRun, type LegName, type LegSummary, type ProcessName } from './report.js';

/**
 * `npm run bench:hop`: the fixed costs of one request, side by side.
 *
 * - one entity: the same `_entities` lookup of one people's-sector actor sent
 *   to the hub's people subgraph and to a bare @apollo/subgraph + `pg` server
 *   over the same committed SDL (target-bare.ts);
 * - one hop: the same one-actor question asked of the hub's gateway (response
 *   cache off), which plans it to one call to the people subgraph, and asked
 *   of that subgraph straight.
 *
 * The hub subgraph, the bare one and the gateway each run in a process of
 * their own; the load generator (autocannon, peers/load.ts) runs in another
 * for every run. A check comes first: each pair answers the same JSON, and the
 * gateway makes exactly one subgraph call per question. Then a warm-up, and
 * rounds in which every leg runs once, in a rotated order.
 *
 * The requests go round-robin over more actors than there are connections, so
 * no two requests in flight are the same: the gateway shares one subgraph call
 * among identical ones in flight, and a single actor asked by every connection
 * at once would measure that sharing, not a hop.
 */

/** Its knobs (5 s of load per run by default) and its own options. */
export interface HopOptions extends LoadKnobs {
  /** Use this database (seeded if needed) instead of the benches' own (see peers/database.ts). */
  databaseUrl?: string;
  /** Where the JSON goes: `bench/results/` by default. */
  resultsDir?: string;
  log?: (line: string) => void;
  /** Stops the bench (Ctrl-C): the run in progress ends and everything started is stopped. */
  signal?: AbortSignal;
}

export interface HopChecks {
  /** The actors asked about, one a request, round-robin; each pair answers the same for every one (the bench stops if not). */
  actorIds: string[];
  /** What both subgraphs answered to the `_entities` lookup of the first actor. */
  entityAnswer: unknown;
  /** What the gateway and the subgraph answered to the one-actor question about the first actor. */
  hopAnswer: unknown;
  /** Calls the gateway made to each subgraph per question, asked one at a time, from its own metrics. */
  subgraphCallsPerQuestion: Record<string, number>;
}

export interface HopResult extends ResultHeader<RunSettings & { gatewayCacheTtlMs: 0 }> {
  /** What each leg asks of which process, with the first actor's variables. */
  requests: Record<LegName, { target: ProcessName; query: string; variables: unknown }>;
  checks: HopChecks;
  runs: HopRun[];
  summary: Record<LegName, LegSummary>;
  ratios: ReturnType<typeof ratios>;
  goals: Goal[];
  report: string;
  file: string;
}

const FIELDS = 'id name nameEn kind status version';
const ENTITY_QUERY = /* GraphQL */ `query Entity($representations: [_Any!]!) { _entities(representations: $representations) { ... on PeopleOrganization { ${FIELDS} } } }`;
const ACTOR_QUERY = /* GraphQL */ `query Actor($id: ID!) { peopleOrganization(id: $id) { ${FIELDS} } }`;

const entityVariables = (id: string) => ({ representations: [{ __typename: 'PeopleOrganization', id }] });
const actorVariables = (id: string) => ({ id });

/**
 * Which process answers each leg, what it is asked, whether it needs the
 * gateway secret, and every process its requests go
 * through (their CPU per request is recorded).
 */
const LEG_REQUESTS = {
  'entity-hub': { target: 'subgraph', signed: true, query: ENTITY_QUERY, variables: entityVariables, through: ['subgraph'] },
  'entity-bare': { target: 'bare', signed: true, query: ENTITY_QUERY, variables: entityVariables, through: ['bare'] },
  'hop-gateway': { target: 'gateway', signed: false, query: ACTOR_QUERY, variables: actorVariables, through: ['gateway', 'subgraph'] },
  'hop-subgraph': { target: 'subgraph', signed: true, query: ACTOR_QUERY, variables: actorVariables, through: ['subgraph'] },
} satisfies Record<LegName, { target: ProcessName; signed: boolean; query: string; variables: (id: string) => unknown; through: ProcessName[] }>;

/** `count` people's-sector actors of the bench data, those with an English name first, so every field asked is filled. */
async function pickActors(databaseUrl: string, count: number): Promise<string[]> {
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    const { rows } = await sql.query<{ id: string }>('select id from people.people_organization order by name_en is null, id limit $1', [count]);
    if (rows.length === 0) throw new Error("the bench data has no people's-sector actor to look up");
    return rows.map((row) => row.id);
  } finally {
    await sql.end();
  }
}

/** One request's parsed answer; anything but HTTP 200 with data and no errors stops the bench. */
async function ask(url: string, body: string, headers: Record<string, string>): Promise<{ data: unknown }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  let answer: { data?: unknown; errors?: unknown[] } | undefined;
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    // Not JSON: said below, with the text.
  }
  if (response.status !== 200 || !answer?.data || answer.errors?.length) throw new Error(`${url} answered HTTP ${response.status}: ${text.slice(0, 500)}`);
  return answer as { data: unknown };
}

export interface GatewayCounts {
  /** GraphQL requests the gateway has answered. */
  requests: number;
  /** Calls it has made to each subgraph. */
  calls: Record<string, number>;
}

/** The gateway's own counts, from its Prometheus metrics (served to this machine, or with HUB_METRICS_TOKEN). */
export async function gatewayCounts(gatewayUrl: string): Promise<GatewayCounts> {
  const token = process.env.HUB_METRICS_TOKEN;
  const response = await fetch(new URL('/metrics', gatewayUrl), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (response.status !== 200) throw new Error(`the gateway's /metrics answered HTTP ${response.status}`);
  const counts: GatewayCounts = { requests: 0, calls: {} };
  for (const [, name, labels, value] of (await response.text()).matchAll(/^(hub_\w+)_count\{([^}]*)\} (\d+)$/gm)) {
    const label = (key: string) => new RegExp(`${key}="([^"]*)"`).exec(labels!)?.[1];
    if (name === 'hub_gateway_request_duration_seconds' && label('route') === '/graphql') counts.requests += Number(value);
    if (name === 'hub_subgraph_request_duration_seconds') counts.calls[label('subgraph')!] = (counts.calls[label('subgraph')!] ?? 0) + Number(value);
  }
  return counts;
}

/**
 * The gateway's calls to each subgraph per GraphQL request it answered, between
 * two readings. Both counts are the gateway's own, so requests still in flight
 * when the load stops count on both sides or on neither.
 */
function callsPerRequest(before: GatewayCounts, after: GatewayCounts): Record<string, number> {
  const requests = after.requests - before.requests;
  return Object.fromEntries(
    Object.entries(after.calls).flatMap(([name, n]) => (n > (before.calls[name] ?? 0) && requests > 0 ? [[name, (n - (before.calls[name] ?? 0)) / requests]] : [])),
  );
}

function sameOrStop(what: string, a: unknown, b: unknown) {
  if (!isDeepStrictEqual(a, b)) throw new Error(`${what} answer differently, so their throughputs do not compare:\n${JSON.stringify(a)}\n${JSON.stringify(b)}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runHop(options: HopOptions = {}): Promise<HopResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const { scale, actors, durationSeconds, connections, rounds, warmupSeconds } = loadSettings({ ...options, durationSeconds: options.durationSeconds ?? 5 });
  const { signal } = options;
  const loadAtStart = readLoadAtStart(log);
  let embedded: EmbeddedPostgres | undefined;
  const processes = new Map<ProcessName, TargetProcess>();
  try {
    // 1. The data, as every bench seeds it, and the actors the requests are about.
    const data = await benchData(options.databaseUrl, actors, log);
    embedded = data.embedded;
    // At least twice the connections, so the requests in flight at once are all different (fewer if the data has fewer).
    const actorIds = await pickActors(data.databaseUrl, Math.max(50, 2 * connections));
    signal?.throwIfAborted();

    // 2. The hub subgraph and the bare one, then the gateway over the hub subgraph: a process each.
    const env: NodeJS.ProcessEnv = { ...process.env };
    // Nothing leaves the machine: no Apollo usage reporting, no trace exporter.
    for (const key of ['APOLLO_KEY', 'APOLLO_GRAPH_REF', 'OTEL_TRACES_EXPORTER']) delete env[key];
    Object.assign(env, {
      [ENV.subgraphUrls]: '{}',
      [ENV.supergraph]: SCHEMA_DIR + 'supergraph.graphql',
      [HOP_ENV.databaseUrl]: data.databaseUrl,
      [HOP_ENV.peopleSdl]: SCHEMA_DIR + 'people.graphql',
    });
    const start = async (name: ProcessName, script: string, childEnv: NodeJS.ProcessEnv) => {
      const started = await TargetProcess.start(name, script, childEnv);
      processes.set(name, started);
      log(`${name.padEnd(8)} pid ${started.pid}, ${started.url}`);
      return started;
    };
    const [subgraph] = await Promise.all([start('subgraph', HUB_SUBGRAPH_SCRIPT, env), start('bare', BARE_SUBGRAPH_SCRIPT, env)]);
    // The hub's gateway as the peers bench runs it, with its response cache off: every question reaches the subgraph.
    await start('gateway', targetScript('hub'), { ...env, [ENV.subgraphUrls]: JSON.stringify({ people: subgraph.url }), GATEWAY_CACHE_TTL_MS: '0' });
    signal?.throwIfAborted();

    // 3. The checks: each pair answers the same, and the gateway's question costs it one subgraph call.
    const [identityHeader, identity] = [GATEWAY_SECRET_HEADER, gatewaySecrets().current];
    const bodies = Object.fromEntries(
      LEGS.map((leg) => [leg, actorIds.map((id) => JSON.stringify({ query: LEG_REQUESTS[leg].query, variables: LEG_REQUESTS[leg].variables(id) }))]),
    ) as Record<LegName, string[]>;
    const headersOf = (leg: LegName): Record<string, string> => (LEG_REQUESTS[leg].signed ? { [identityHeader]: identity } : {});
    const urlOf = (leg: LegName) => processes.get(LEG_REQUESTS[leg].target)!.url;
    const answer = (leg: LegName, i: number) => ask(urlOf(leg), bodies[leg][i]!, headersOf(leg));
    const gatewayUrl = processes.get('gateway')!.url;
    const countsBefore = await gatewayCounts(gatewayUrl);
    let entityAnswer: unknown;
    let hopAnswer: unknown;
    for (let i = 0; i < actorIds.length; i++) {
      const entity = await answer('entity-hub', i);
      sameOrStop(`For ${actorIds[i]}, the hub subgraph and the bare one`, entity, await answer('entity-bare', i));
      const hop = await answer('hop-gateway', i);
      sameOrStop(`For ${actorIds[i]}, the gateway and the subgraph`, hop.data, (await answer('hop-subgraph', i)).data);
      entityAnswer ??= entity;
      hopAnswer ??= hop;
    }
    const subgraphCallsPerQuestion = callsPerRequest(countsBefore, await gatewayCounts(gatewayUrl));
    const checks: HopChecks = { actorIds, entityAnswer, hopAnswer, subgraphCallsPerQuestion };
    log(`check: for each of ${actorIds.length} actors, the hub subgraph and the bare one answer the same JSON, and so do the gateway and the subgraph`);
    log(`check: the gateway's subgraph calls per question: ${JSON.stringify(subgraphCallsPerQuestion)}`);

    const load = (leg: LegName, seconds: number) => {
      const job: Omit<LoadRequest, 'type'> = {
        url: urlOf(leg),
        connections,
        durationSeconds: seconds,
        operations: bodies[leg].map((body, i) => ({ name: actorIds[i]!, body })),
        headers: headersOf(leg),
      };
      return runLoad(LOAD_SCRIPT, job, signal);
    };

    // 4. Warm-up, unmeasured: JIT, connection pools, prepared plans.
    if (warmupSeconds > 0) {
      for (const leg of LEGS) {
        log(`warming up: ${LEG_LABELS[leg]} (${warmupSeconds} s)`);
        await load(leg, warmupSeconds);
      }
    }

    // 5. The rounds: every leg once a round, in a rotated order.
    const runs: HopRun[] = [];
    for (let round = 1; round <= rounds; round++) {
      const order = LEGS.map((_, i) => LEGS[(i + round - 1) % LEGS.length]!);
      for (const leg of order) {
        signal?.throwIfAborted();
        await sleep(300);
        const through: readonly ProcessName[] = LEG_REQUESTS[leg].through;
        const path = through.map((name) => processes.get(name)!);
        const sampleAll = async () => ({ cpu: await Promise.all(path.map(async (p) => (await p.sample()).cpu)), postgres: await postgresCpuMicros(), wall: performance.now() });
        const countsBeforeRun = leg === 'hop-gateway' ? await gatewayCounts(gatewayUrl) : undefined;
        const before = await sampleAll();
        const result = await load(leg, durationSeconds);
        const after = await sampleAll();
        const countsAfterRun = countsBeforeRun ? await gatewayCounts(gatewayUrl) : undefined;
        const wallMs = after.wall - before.wall;
        const cpuMs = (i: number) => (after.cpu[i]!.user + after.cpu[i]!.system - (before.cpu[i]!.user + before.cpu[i]!.system)) / 1000;
        const firstError = Object.values(result.byOperation).find((c) => c.firstError)?.firstError;
        const run: HopRun = {
          ...loadRunOf(round, result),
          leg,
          ...(firstError ? { firstError } : {}),
          ...(countsBeforeRun && countsAfterRun ? { subgraphCallsPerRequest: callsPerRequest(countsBeforeRun, countsAfterRun) } : {}),
          cpuMsPerRequest: Object.fromEntries(through.map((name, i) => [name, result.responses ? cpuMs(i) / result.responses : NaN])),
          cpu: {
            load: ((result.cpu.user + result.cpu.system) / (result.durationSeconds * 1_000_000)) * 100,
            postgres: before.postgres !== null && after.postgres !== null ? ((after.postgres - before.postgres) / (wallMs * 1000)) * 100 : null,
          },
        };
        runs.push(run);
        log(
          `round ${round}/${rounds} ${LEG_LABELS[leg].padEnd(27)} ${run.requestsPerSecond.toFixed(0).padStart(6)} req/s  ` +
            `p50 ${run.latencyMs.p50.toFixed(2)} ms  errors ${run.errors.total}${firstError ? `: ${firstError}` : ''}`,
        );
        for (const p of path) if (!p.alive) throw new Error(`${p.name} died during the run of ${LEG_LABELS[leg]}`);
      }
    }

    // 6. The report and the JSON.
    const summary = summarise(runs);
    const r = ratios(runs);
    const g = goals(r);
    const report = formatReport(summary, r, g);
    const date = new Date();
    const file = resultsPath('hop', date, options.resultsDir);
    const result: HopResult = {
      version: 1,
      date: date.toISOString(),
      machine: machine(loadAtStart),
      settings: { scale, actors, durationSeconds, connections, rounds, warmupSeconds, database: embedded ? 'embedded' : 'postgresql', dataset: data.dataset, gatewayCacheTtlMs: 0 },
      requests: Object.fromEntries(
        LEGS.map((leg) => [leg, { target: LEG_REQUESTS[leg].target, query: LEG_REQUESTS[leg].query, variables: LEG_REQUESTS[leg].variables(actorIds[0]!) }]),
      ) as HopResult['requests'],
      checks,
      runs,
      summary,
      ratios: r,
      goals: g,
      report,
      file,
    };
    return keepAndReport(file, result, report, log);
  } finally {
    await Promise.all([...processes.values()].map((p) => p.stop()));
    await embedded?.stop();
  }
}
