import type { LoadRun } from '../peers/record.js';
import { fixed, range, spread, type Goal, type Spread } from '../peers/report.js';

/**
 * The hop bench's four legs, what each run of one records, and the printed
 * report: two ratios, each paired within a round, with their spread.
 */

export const LEGS = ['entity-hub', 'entity-bare', 'hop-gateway', 'hop-subgraph'] as const;
export type LegName = (typeof LEGS)[number];

export const LEG_LABELS: Record<LegName, string> = {
  'entity-hub': 'one entity, hub subgraph',
  'entity-bare': 'one entity, bare subgraph',
  'hop-gateway': 'one actor via the gateway',
  'hop-subgraph': 'one actor, subgraph direct',
};

/** The processes a request can go through. */
export const PROCESSES = ['gateway', 'subgraph', 'bare'] as const;
export type ProcessName = (typeof PROCESSES)[number];

export interface HopRun extends LoadRun {
  leg: LegName;
  firstError?: string;
  /** The gateway's calls to each subgraph per answered request (the gateway leg only): 1 to people, or it shared calls. */
  subgraphCallsPerRequest?: Record<string, number>;
  /** CPU time per answered request, in ms, of each process the leg's requests go through. */
  cpuMsPerRequest: Partial<Record<ProcessName, number>>;
  /** % of one core over the run: the load generator (near 100 means it, not the target, was the limit) and PostgreSQL. */
  cpu: { load: number; postgres: number | null };
}

export interface LegSummary {
  label: string;
  requestsPerSecond: Spread;
  latencyMs: { p50: Spread; p99: Spread };
  errors: number;
  cpuMsPerRequest: Partial<Record<ProcessName, Spread>>;
  cpu: { load: Spread; postgres: Spread | null };
  /** The gateway's subgraph calls per answered request, all subgraphs together (the gateway leg only). */
  subgraphCallsPerRequest: Spread | null;
}

export function summarise(runs: HopRun[]): Record<LegName, LegSummary> {
  const out = {} as Record<LegName, LegSummary>;
  for (const leg of LEGS) {
    const mine = runs.filter((r) => r.leg === leg);
    const postgres = mine.flatMap((r) => (r.cpu.postgres === null ? [] : [r.cpu.postgres]));
    out[leg] = {
      label: LEG_LABELS[leg],
      requestsPerSecond: spread(mine.map((r) => r.requestsPerSecond)),
      latencyMs: { p50: spread(mine.map((r) => r.latencyMs.p50)), p99: spread(mine.map((r) => r.latencyMs.p99)) },
      errors: mine.reduce((n, r) => n + r.errors.total, 0),
      cpuMsPerRequest: Object.fromEntries(
        PROCESSES.filter((p) => mine.some((r) => r.cpuMsPerRequest[p] !== undefined)).map((p) => [p, spread(mine.map((r) => r.cpuMsPerRequest[p] ?? NaN))]),
      ),
      cpu: { load: spread(mine.map((r) => r.cpu.load)), postgres: postgres.length ? spread(postgres) : null },
      subgraphCallsPerRequest: mine.some((r) => r.subgraphCallsPerRequest)
        ? spread(mine.map((r) => Object.values(r.subgraphCallsPerRequest ?? {}).reduce((a, b) => a + b, 0)))
        : null,
    };
  }
  return out;
}

/** A figure of leg `a` over the same of leg `b`, paired within each round: both ran seconds apart, on the same machine state. */
function paired(runs: HopRun[], a: LegName, b: LegName, figure: (r: HopRun) => number): Spread {
  const rounds = [...new Set(runs.map((r) => r.round))];
  return spread(
    rounds.flatMap((round) => {
      const ra = runs.find((r) => r.round === round && r.leg === a);
      const rb = runs.find((r) => r.round === round && r.leg === b);
      return ra && rb ? [figure(ra) / figure(rb)] : [];
    }),
  );
}

const throughput = (r: HopRun) => r.requestsPerSecond;
/** The CPU one request costs the processes it goes through, PostgreSQL and the load generator aside. */
const cpuPerRequest = (r: HopRun) => Object.values(r.cpuMsPerRequest).reduce((a, b) => a + b, 0);

export function ratios(runs: HopRun[]) {
  return {
    /** The goal: at least 0.67. */
    entityHubOverBare: paired(runs, 'entity-hub', 'entity-bare', throughput),
    /** What one hop through the gateway costs: 1 would be a free gateway. */
    hopGatewayOverSubgraph: paired(runs, 'hop-gateway', 'hop-subgraph', throughput),
    /**
     * The same two comparisons by the CPU of the serving processes per request
     * (the cheaper one's over the other's, so read like the throughput ratios):
     * what the throughput ratio would be if those processes alone were the
     * limit, less swayed than throughput by whatever else the machine runs.
     */
    entityCpuBareOverHub: paired(runs, 'entity-bare', 'entity-hub', cpuPerRequest),
    hopCpuSubgraphOverGateway: paired(runs, 'hop-subgraph', 'hop-gateway', cpuPerRequest),
  };
}

export const ENTITY_GOAL = 0.67;

/** Met when every round is at or over the goal, not met when none is; between, the rounds straddle it. */
export function goals(r: ReturnType<typeof ratios>): Goal[] {
  const observed = r.entityHubOverBare;
  const verdict: Goal['verdict'] = !Number.isFinite(observed.min)
    ? 'unclear'
    : observed.min >= ENTITY_GOAL
      ? 'met'
      : observed.max < ENTITY_GOAL
        ? 'not met'
        : 'unclear';
  return [{ goal: `one entity: hub subgraph ≥ ${ENTITY_GOAL}× the bare one`, comparison: '>=', threshold: ENTITY_GOAL, observed, verdict }];
}


export function formatReport(summary: Record<LegName, LegSummary>, r: ReturnType<typeof ratios>, g: Goal[]): string {
  const header = ['', 'req/s', '(min–max)', 'p50 ms', 'p99 ms', 'errors', ...PROCESSES.map((p) => `${p} CPU ms/req`), 'load gen %'];
  const rows = LEGS.map((leg) => {
    const s = summary[leg];
    return [
      s.label,
      fixed(s.requestsPerSecond.mean, 0),
      `(${range(s.requestsPerSecond, 0)})`,
      fixed(s.latencyMs.p50.mean, 2),
      fixed(s.latencyMs.p99.mean, 2),
      String(s.errors),
      ...PROCESSES.map((p) => (s.cpuMsPerRequest[p] ? fixed(s.cpuMsPerRequest[p].mean, 3) : '')),
      fixed(s.cpu.load.mean, 0),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const ratioLine = (label: string, s: Spread) => `${label.padEnd(46)} ${fixed(s.mean, 2)}x  (${range(s, 2)} across rounds)`;
  const goalLines = g.map((goal) => {
    const word = goal.verdict === 'met' ? 'MET' : goal.verdict === 'not met' ? 'NOT MET' : 'UNCLEAR (the rounds straddle the goal)';
    return `  ${goal.goal}: ${word}, ${fixed(goal.observed.mean, 2)}x (${range(goal.observed, 2)})`;
  });
  // An error is counted as a response by the load generator: a leg with errors is not measuring answers.
  const errorLines = LEGS.filter((leg) => summary[leg].errors > 0).map(
    (leg) => `note: ${summary[leg].label} had ${summary[leg].errors} errors; its throughput is not of answers, and its ratio compares nothing.`,
  );
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    ...errorLines,
    '',
    ratioLine('one entity: hub subgraph / bare subgraph', r.entityHubOverBare),
    ratioLine('one actor: via the gateway / subgraph direct', r.hopGatewayOverSubgraph),
    ...(summary['hop-gateway'].subgraphCallsPerRequest
      ? [`${"  the gateway's subgraph calls per request".padEnd(46)} ${range(summary['hop-gateway'].subgraphCallsPerRequest, 2)} (1: one hop each)`]
      : []),
    '',
    'By CPU per request of the serving processes (the ratios were those processes the only limit):',
    ratioLine('  one entity: bare / hub subgraph', r.entityCpuBareOverHub),
    ratioLine('  one actor: subgraph / gateway + subgraph', r.hopCpuSubgraphOverGateway),
    '',
    'Goals:',
    ...goalLines,
  ].join('\n');
}
