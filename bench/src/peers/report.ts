import type { LoadRun } from './record.js';
import { TARGET_LABELS, TARGETS, type TargetName } from './protocol.js';

/** The spread of one figure across rounds. */
export interface Spread {
  mean: number;
  min: number;
  max: number;
}

export function spread(values: number[]): Spread {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { mean: NaN, min: NaN, max: NaN };
  return { mean: finite.reduce((a, b) => a + b, 0) / finite.length, min: Math.min(...finite), max: Math.max(...finite) };
}

export interface RunRecord extends LoadRun {
  target: TargetName;
  errorSamples: Record<string, string>;
  peakRssMb: number;
  sqlStatements: number;
  sqlPerOperation: number;
  /** % of one core over the run. */
  cpu: { target: number; subgraphs: number; load: number; postgres: number | null };
  /**
   * CPU time per request served, in ms: of the target's process, and of the
   * subgraphs' (this process). The target's is what its throughput would be
   * bound by if it, not the subgraphs, were the bottleneck: 1000 / ms per core.
   */
  cpuMsPerRequest: { target: number; subgraphs: number };
}

export interface TargetSummary {
  label: string;
  requestsPerSecond: Spread;
  latencyMs: { p50: Spread; p95: Spread; p99: Spread };
  errors: number;
  peakRssMb: number;
  sqlPerOperation: Spread;
  cpu: { target: Spread; subgraphs: Spread; load: Spread; postgres: Spread | null };
  cpuMsPerRequest: { target: Spread; subgraphs: Spread };
}

export interface Goal {
  goal: string;
  comparison: '>=' | '<=';
  threshold: number;
  observed: Spread;
  verdict: 'met' | 'not met' | 'unclear';
}

export function summarise(runs: RunRecord[]): Record<TargetName, TargetSummary> {
  const out = {} as Record<TargetName, TargetSummary>;
  for (const target of TARGETS) {
    const mine = runs.filter((r) => r.target === target);
    const pg = mine.map((r) => r.cpu.postgres).filter((v): v is number => v !== null);
    out[target] = {
      label: TARGET_LABELS[target],
      requestsPerSecond: spread(mine.map((r) => r.requestsPerSecond)),
      latencyMs: {
        p50: spread(mine.map((r) => r.latencyMs.p50)),
        p95: spread(mine.map((r) => r.latencyMs.p95)),
        p99: spread(mine.map((r) => r.latencyMs.p99)),
      },
      errors: mine.reduce((n, r) => n + r.errors.total, 0),
      peakRssMb: Math.max(0, ...mine.map((r) => r.peakRssMb)),
      sqlPerOperation: spread(mine.map((r) => r.sqlPerOperation)),
      cpu: {
        target: spread(mine.map((r) => r.cpu.target)),
        subgraphs: spread(mine.map((r) => r.cpu.subgraphs)),
        load: spread(mine.map((r) => r.cpu.load)),
        postgres: pg.length ? spread(pg) : null,
      },
      cpuMsPerRequest: {
        target: spread(mine.map((r) => r.cpuMsPerRequest.target)),
        subgraphs: spread(mine.map((r) => r.cpuMsPerRequest.subgraphs)),
      },
    };
  }
  return out;
}

/** A ratio of two targets' figures, paired within each round (both ran minutes apart, on the same machine state). */
export function pairedRatio(runs: RunRecord[], a: TargetName, b: TargetName, figure: (r: RunRecord) => number): Spread {
  const rounds = [...new Set(runs.map((r) => r.round))];
  const ratios = rounds.flatMap((round) => {
    const ra = runs.find((r) => r.round === round && r.target === a);
    const rb = runs.find((r) => r.round === round && r.target === b);
    return ra && rb ? [figure(ra) / figure(rb)] : [];
  });
  return spread(ratios);
}

export function ratios(runs: RunRecord[]) {
  const throughput = (a: TargetName, b: TargetName) => pairedRatio(runs, a, b, (r) => r.requestsPerSecond);
  return {
    /** Throughput as a share of the floor's (hand-written SQL): how close each comes to what the machine needs. */
    hubOverFloorThroughput: throughput('hub', 'floor'),
    apolloOverFloorThroughput: throughput('apollo', 'floor'),
    hiveOverFloorThroughput: throughput('hive', 'floor'),
    directOverFloorThroughput: throughput('direct', 'floor'),
    hubCachedOverFloorThroughput: throughput('hub-cached', 'floor'),
    hubOverApolloThroughput: throughput('hub', 'apollo'),
    hubOverHiveThroughput: throughput('hub', 'hive'),
    hubP50OverDirectP50: pairedRatio(runs, 'hub', 'direct', (r) => r.latencyMs.p50),
    /**
     * Gateway CPU per request of a peer over the hub's: the throughput ratio
     * hub/peer to expect where the gateway process, not the subgraphs, is the
     * bottleneck (one core each). Context, not one of the goals.
     */
    apolloOverHubGatewayCpuPerRequest: pairedRatio(runs, 'apollo', 'hub', (r) => r.cpuMsPerRequest.target),
    hiveOverHubGatewayCpuPerRequest: pairedRatio(runs, 'hive', 'hub', (r) => r.cpuMsPerRequest.target),
  };
}

function verdict(observed: Spread, comparison: '>=' | '<=', threshold: number): Goal['verdict'] {
  if (!Number.isFinite(observed.min)) return 'unclear';
  const holds = (v: number) => (comparison === '>=' ? v >= threshold : v <= threshold);
  if (holds(observed.min) && holds(observed.max)) return 'met';
  if (!holds(observed.min) && !holds(observed.max)) return 'not met';
  return 'unclear';
}

export function goals(r: ReturnType<typeof ratios>): Goal[] {
  const goal = (text: string, observed: Spread, comparison: '>=' | '<=', threshold: number): Goal => ({
    goal: text,
    comparison,
    threshold,
    observed,
    verdict: verdict(observed, comparison, threshold),
  });
  // The goals of issue 14, all with the hub's response cache off: its own work under the mix.
  return [
    goal('hub ≥ 0.6× the floor', r.hubOverFloorThroughput, '>=', 0.6),
    goal('hub ≥ 1.2× Hive Gateway', r.hubOverHiveThroughput, '>=', 1.2),
    goal('hub ≥ 2× stock Apollo', r.hubOverApolloThroughput, '>=', 2),
  ];
}

// ---------------------------------------------------------------------------
// Text

/** A figure to `digits` places; `-` for one that was not measured. */
export const fixed = (n: number | null | undefined, digits: number) => (n === null || n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits));
/** A spread's lowest and highest, as `min–max`. */
export const range = (s: Spread, digits: number) => `${fixed(s.min, digits)}–${fixed(s.max, digits)}`;

/** Rows under a header, the first column left-aligned and the figures right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatReport(summary: Record<TargetName, TargetSummary>, r: ReturnType<typeof ratios>, g: Goal[], cores: number): string {
  const main = table(
    ['target', 'req/s', '(min–max)', 'p50 ms', '(min–max)', 'p95 ms', 'p99 ms', 'errors', 'peak RSS', 'SQL/op'],
    TARGETS.map((t) => {
      const s = summary[t];
      return [
        s.label,
        fixed(s.requestsPerSecond.mean, 0),
        `(${range(s.requestsPerSecond, 0)})`,
        fixed(s.latencyMs.p50.mean, 1),
        `(${range(s.latencyMs.p50, 1)})`,
        fixed(s.latencyMs.p95.mean, 1),
        fixed(s.latencyMs.p99.mean, 1),
        String(s.errors),
        `${fixed(s.peakRssMb, 0)} MB`,
        fixed(s.sqlPerOperation.mean, 2),
      ];
    }),
  );
  const cpu = table(
    ['CPU, % of one core', 'target process', 'subgraphs (harness)', 'postgres', 'load generator', 'target ms/req', 'subgraphs ms/req'],
    TARGETS.map((t) => {
      const c = summary[t].cpu;
      const perRequest = summary[t].cpuMsPerRequest;
      return [
        summary[t].label,
        fixed(c.target.mean, 0),
        fixed(c.subgraphs.mean, 0),
        c.postgres ? fixed(c.postgres.mean, 0) : 'n/a',
        fixed(c.load.mean, 0),
        fixed(perRequest.target.mean, 1),
        fixed(perRequest.subgraphs.mean, 1),
      ];
    }),
  );
  const ratioLine = (label: string, s: Spread) => `${label.padEnd(34)} ${fixed(s.mean, 2)}x  (${range(s, 2)} across rounds)`;
  const goalLines = g.map((goal) => {
    const word = goal.verdict === 'met' ? 'MET' : goal.verdict === 'not met' ? 'NOT MET' : 'UNCLEAR (the rounds straddle the goal)';
    return `  ${goal.goal.padEnd(36)} ${word}: ${fixed(goal.observed.mean, 2)}x (${range(goal.observed, 2)}), goal ${goal.comparison} ${goal.threshold}x`;
  });
  return [
    main,
    '',
    cpu,
    `(this machine has ${cores} logical CPU${cores === 1 ? '' : 's'}: ${cores * 100}% in all)`,
    '',
    'Throughput as a share of the floor (the same answers from hand-written SQL), paired by round:',
    ratioLine(`  ${TARGET_LABELS.hub} / floor`, r.hubOverFloorThroughput),
    ratioLine(`  ${TARGET_LABELS.apollo} / floor`, r.apolloOverFloorThroughput),
    ratioLine(`  ${TARGET_LABELS.hive} / floor`, r.hiveOverFloorThroughput),
    ratioLine(`  ${TARGET_LABELS.direct} / floor`, r.directOverFloorThroughput),
    '',
    ratioLine(`${TARGET_LABELS.hub} / ${TARGET_LABELS.apollo}`, r.hubOverApolloThroughput),
    ratioLine(`${TARGET_LABELS.hub} / ${TARGET_LABELS.hive}`, r.hubOverHiveThroughput),
    ratioLine(`${TARGET_LABELS.hub} p50 / direct p50`, r.hubP50OverDirectP50),
    '',
    cacheOnLine(summary['hub-cached'], r.hubCachedOverFloorThroughput),
    '',
    'Goals (the hub with its response cache off):',
    ...goalLines,
    '',
    'Where the gateway process itself would be the bottleneck (its CPU per request, peer / hub; > 1 favours the hub):',
    ratioLine('  stock Apollo / hub', r.apolloOverHubGatewayCpuPerRequest),
    ratioLine('  Hive Gateway / hub', r.hiveOverHubGatewayCpuPerRequest),
  ].join('\n');
}

/**
 * With the response cache on, the mix's repeated questions are answered from
 * memory, and the load generator (one process, one core at most) sets the
 * pace: said when it is near its core, with its CPU beside the hub's.
 */
function cacheOnLine(cached: TargetSummary, overFloor: Spread): string {
  const load = cached.cpu.load.mean;
  const limit = load >= LOAD_GENERATOR_SATURATED ? 'the load generator is the limit, not the hub' : 'the load generator is not saturated';
  return (
    `${cached.label}: ${fixed(cached.requestsPerSecond.mean, 0)} req/s, ${fixed(overFloor.mean, 2)}x the floor (${range(overFloor, 2)}); ` +
    `load generator at ${fixed(load, 0)}% of its one core (${range(cached.cpu.load, 0)}), the hub at ${fixed(cached.cpu.target.mean, 0)}%: ${limit}`
  );
}

/** % of one core from which the single-process load generator counts as the bottleneck. */
const LOAD_GENERATOR_SATURATED = 80;

// ---------------------------------------------------------------------------
// SVG

const COLOURS: Record<TargetName, string> = { hub: '#2563eb', 'hub-cached': '#93c5fd', apollo: '#9333ea', hive: '#d97706', direct: '#6b7280', floor: '#111827' };

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** A label in one or two lines, broken at the space nearest its middle, to fit under a bar. */
function labelLines(label: string): string[] {
  if (label.length <= 12) return [label];
  const spaces = [...label.matchAll(/ /g)].map((m) => m.index);
  if (spaces.length === 0) return [label];
  const at = spaces.reduce((best, i) => (Math.abs(i - label.length / 2) < Math.abs(best - label.length / 2) ? i : best));
  return [label.slice(0, at), label.slice(at + 1)];
}

/**
 * The top of a panel's scale. A bar more than three times the next tallest
 * (the hub with its cache on, beside the others) would flatten the rest: it
 * is drawn cut at the top, with its value, and the scale is the others'.
 */
function scaleTop(maxima: number[]): number {
  const sorted = maxima.filter(Number.isFinite).sort((a, b) => b - a);
  if (sorted.length === 0) return 1e-9;
  const top = sorted.length > 1 && sorted[0]! > 3 * sorted[1]! ? sorted[1]! : sorted[0]!;
  return Math.max(1e-9, top) * 1.15;
}

/** Two bar panels: throughput and p50 latency per target, each bar the mean over rounds with a min–max whisker. */
export function svgChart(summary: Record<TargetName, TargetSummary>, caption: string): string {
  const panelWidth = 90 * TARGETS.length;
  const width = 2 * panelWidth + 120;
  const height = 400;
  const top = 60;
  const plotHeight = 230;
  const parts: string[] = [];
  const panel = (x0: number, title: string, unit: string, pick: (s: TargetSummary) => Spread, digits: number) => {
    const max = scaleTop(TARGETS.map((t) => pick(summary[t]).max));
    // Cut at the top of the plot: a bar off the scale.
    const y = (v: number) => top + plotHeight - (Number.isFinite(v) ? Math.min(v / max, 1.05) * plotHeight : 0);
    parts.push(`<text x="${x0 + panelWidth / 2}" y="${top - 22}" text-anchor="middle" font-weight="bold">${escapeXml(title)}</text>`);
    parts.push(`<line x1="${x0}" y1="${top + plotHeight}" x2="${x0 + panelWidth}" y2="${top + plotHeight}" stroke="#333"/>`);
    const slot = panelWidth / TARGETS.length;
    TARGETS.forEach((t, i) => {
      const s = pick(summary[t]);
      const cx = x0 + slot * i + slot / 2;
      const barWidth = slot * 0.6;
      const offScale = s.mean > max;
      parts.push(
        `<rect x="${(cx - barWidth / 2).toFixed(1)}" y="${y(s.mean).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(top + plotHeight - y(s.mean)).toFixed(1)}" fill="${COLOURS[t]}"><title>${escapeXml(`${summary[t].label}: ${fixed(s.mean, digits)} ${unit} (${range(s, digits)})`)}</title></rect>`,
      );
      if (Number.isFinite(s.min) && !offScale) {
        const w = barWidth / 4;
        parts.push(
          `<path d="M${cx} ${y(s.min).toFixed(1)}V${y(s.max).toFixed(1)}M${cx - w} ${y(s.min).toFixed(1)}h${2 * w}M${cx - w} ${y(s.max).toFixed(1)}h${2 * w}" stroke="#111" stroke-width="1.5" fill="none"/>`,
        );
      }
      const value = `${fixed(s.mean, digits)}${offScale ? ' (off scale)' : ''}`;
      parts.push(`<text x="${cx}" y="${(y(Number.isFinite(s.max) ? s.max : s.mean) - 6).toFixed(1)}" text-anchor="middle" font-size="12">${escapeXml(value)}</text>`);
      labelLines(summary[t].label).forEach((line, k) => {
        parts.push(`<text x="${cx}" y="${top + plotHeight + 18 + 15 * k}" text-anchor="middle" font-size="12">${escapeXml(line)}</text>`);
      });
    });
    parts.push(`<text x="${x0 + panelWidth / 2}" y="${top - 6}" text-anchor="middle" font-size="11" fill="#555">${escapeXml(unit)}; bar: mean of rounds, whisker: min–max</text>`);
  };
  panel(40, 'Throughput', 'requests/s', (s) => s.requestsPerSecond, 0);
  panel(80 + panelWidth, 'Median latency (p50)', 'ms', (s) => s.latencyMs.p50, 1);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="14">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...parts,
    `<text x="${width / 2}" y="${height - 16}" text-anchor="middle" font-size="11" fill="#555">${escapeXml(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
