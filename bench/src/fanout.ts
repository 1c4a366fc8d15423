import './peers/quiet.js';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { actorTypeOf, FACT } from '@hub/domain';
import { SCHEMA_DIR } from '@hub/scripts/compose';
import { SUBGRAPHS } from '@hub/scripts/subgraphs';
import { mintToken, Role } from '@hub/server';
import { startSubgraph, type RunningSubgraph } from '@hub/toolkit';
import { createTestDatabase } from '@hub/toolkit/testing';
import type { ClientCommand, ClientMessage, FanoutJob, OpenedReport, Percentiles, RunReport } from './fanout-client.js';
import { argument, numberArgument, runInterruptibly } from './peers/command.js';
import { stopChild, TargetProcess } from './peers/processes.js';
import { gatewayCounts } from './hop/harness.js';
import { ENV, targetScript } from './peers/protocol.js';
import { bounded, keepAndReport, loadKnobsFromArgs, machine, type Machine, readLoadAtStart, resultsPath } from './peers/record.js';
import { fixed } from './peers/report.js';

/**
 * `npm run bench:fanout [-- --subscribers 10,100,1000 --writes-per-second 2 --duration 10 --warmup 3 --results <dir>]`:
 * the public `Subscription.changes` under many subscribers and a steady
 * write load, through the hub's gateway.
 *
 * - the subgraphs run once, in this process, over a fresh database (on
 *   DATABASE_URL's server, else embedded) dropped afterwards: the bench
 *   creates records, and the other benches' shared data stays as it was;
 * - for each number of subscribers, the hub's gateway starts afresh in a
 *   process of its own (peers/target-hub.ts, as `npm start` sets it up), so
 *   its memory is that rung's alone;
 * - the subscribers and the writer run in another process (fanout-client.ts):
 *   N GraphQL-over-SSE streams of `changes` read raw, and initiatives
 *   created through the gateway at a fixed rate;
 * - each event is matched to its write by record id: the latency is from the
 *   record's audit entry (stamped in the writing transaction, so just before
 *   its commit) to its arrival, and every acknowledged write must arrive on
 *   every stream, once;
 * - the gateway's memory per subscriber is its RSS with every stream open
 *   less its RSS with one open, over the streams in between.
 *
 * Prints a table per run, writes bench/results/fanout-<date>.json. Figures
 * are printed, never asserted, except that nothing may be lost.
 */

export interface FanoutOptions {
  /** A run per number, each with a gateway of its own; 10, 100 and 1,000 by default. */
  subscribers?: number[];
  /** Records created through the gateway each second, at a fixed rate; 2 by default. */
  writesPerSecond?: number;
  /** Seconds of writes per run; 10 by default. */
  durationSeconds?: number;
  /** Seconds of writes to a few subscribers first, unmeasured (JIT, pools, the search index's first fill); min(3, duration) by default, 0 skips. */
  warmupSeconds?: number;
  /** Use this database instead of a fresh one (the bench creates initiatives in it). */
  databaseUrl?: string;
  /** Where the JSON goes: `bench/results/` by default. */
  resultsDir?: string;
  log?: (line: string) => void;
  /** Stops the bench (Ctrl-C): the run in progress ends and everything started is stopped. */
  signal?: AbortSignal;
}

export interface FanoutRung {
  subscribers: number;
  opened: OpenedReport;
  run: RunReport;
  /** Expected events that never arrived: must be 0. */
  lost: number;
  gateway: {
    /** RSS with one stream open, after it received an event. */
    rssOneMb: number;
    /** RSS with every stream open, after each received an event. */
    rssAllMb: number;
    /** (rssAll − rssOne) / (subscribers − 1), in KB; null with one subscriber. */
    kbPerSubscriber: number | null;
    /** Highest RSS during the writes. */
    peakRssMb: number;
    /** CPU over the writes and drain, as a share of one core. */
    cpuPercent: number;
  };
  /**
   * CPU of the five subgraphs (this process) over the writes and drain, as a
   * share of one core. PostgreSQL's is not taken: on a shared machine its
   * processes are every database's, and a backend that exits takes its time with it.
   */
  subgraphsCpuPercent: number;
  /**
   * The gateway's calls to each subgraph over the writes and drain, per
   * write acknowledged, from its own metrics: the write's own call, and what
   * resolving its event's `record` through the graph took for all the
   * subscribers together (identical calls in flight are shared).
   */
  subgraphCallsPerWrite: Record<string, number>;
}

export interface FanoutResult {
  version: 1;
  date: string;
  machine: Machine;
  settings: {
    subscribers: number[];
    writesPerSecond: number;
    durationSeconds: number;
    warmupSeconds: number;
    database: 'postgresql' | 'embedded';
    subscription: string;
  };
  rungs: FanoutRung[];
  report: string;
  file: string;
}

/** The public `changes` (the search subgraph's fan-in of every owner's feed), kept to the initiatives the writer creates, each event's record resolved through the graph. */
export const FANOUT_SUBSCRIPTION = /* GraphQL */ `
  subscription FanOut {
    changes(subgraph: "initiatives", recordType: "Initiative") {
      action
      subgraph
      recordId
      at
      cursor
      record {
        ... on Initiative {
          id
          title
        }
      }
    }
  }
`;

/** How long every stream may take to receive the primer write. */
const PRIME_TIMEOUT_MS = 30_000;
/**
 * The longest the drain after the last write may take while events still
 * arrive: a hub that falls behind is slow, and measured as such; an event
 * is lost only when nothing more arrives (fanout-client.ts).
 */
const DRAIN_MS = 120_000;
const MB = 2 ** 20;

/** The subscribers' process: its TypeScript source when the harness runs from source (tests), its compiled form from dist/. */
const CLIENT_SCRIPT = fileURLToPath(new URL(`./fanout-client${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** The subscribers' process, driven a command at a time. */
class ClientProcess {
  private constructor(private readonly child: ChildProcess) {}

  static start(): ClientProcess {
    return new ClientProcess(fork(CLIENT_SCRIPT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  }

  /** Sends a command and waits for its answer; rejects if the process fails, exits, or `signal` aborts. */
  ask<T extends ClientMessage>(command: ClientCommand, timeoutMs: number, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    return new Promise<T>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        signal?.removeEventListener('abort', onAbort);
      };
      const onMessage = (message: ClientMessage) => {
        settle();
        if (message.type === 'error') reject(new Error(`the subscribers' process failed: ${message.message}`));
        else resolve(message as T);
      };
      const onExit = (code: number | null) => {
        settle();
        reject(new Error(`the subscribers' process exited (${code}) during "${command.type}"`));
      };
      const onAbort = () => {
        settle();
        reject(new Error('stopped'));
      };
      const timer = setTimeout(() => {
        settle();
        reject(new Error(`the subscribers' process did not finish "${command.type}" within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.child.send(command);
    });
  }

  async stop(): Promise<void> {
    if (this.child.connected) this.child.send({ type: 'close' } satisfies ClientCommand);
    await stopChild(this.child, 2_000);
  }
}

/** An editor of a people's centre, who may create initiatives: the writer. */
function editorToken(): Promise<string> {
  const agency = FACT.nakhonPeopleCentre;
  return mintToken({ user: 'fanout@bench', agency, sector: actorTypeOf(agency)!.sector, role: Role.EDITOR, subgraphs: [] });
}

const cpuMicros = (cpu: { user: number; system: number }) => cpu.user + cpu.system;

/** One rung: a fresh gateway, `subscribers` streams, the writes; everything it started is stopped. */
async function measureRung(
  subscribers: number,
  settings: { writesPerSecond: number; durationSeconds: number },
  env: NodeJS.ProcessEnv,
  job: Omit<FanoutJob, 'url'>,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<FanoutRung> {
  // The hub's gateway as `npm start` runs it; one address holds every stream, so the per-client cap is lifted to the rung's.
  const gateway = await TargetProcess.start('gateway', targetScript('hub'), { ...env, GATEWAY_MAX_SUBSCRIPTIONS: String(subscribers + 10) });
  const client = ClientProcess.start();
  try {
    const url = gateway.url;
    const rungJob = { ...job, url };
    const openTimeoutMs = PRIME_TIMEOUT_MS + 60_000;
    // One stream first, so the gateway's one-off costs (the plan, the first upstream stream, JIT) are in the baseline.
    const first = await client.ask<OpenedReport>({ type: 'open', job: rungJob, count: 1, primeTimeoutMs: PRIME_TIMEOUT_MS }, openTimeoutMs, signal);
    const one = await gateway.sample();
    const rest =
      subscribers > 1
        ? await client.ask<OpenedReport>({ type: 'open', job: rungJob, count: subscribers - 1, primeTimeoutMs: PRIME_TIMEOUT_MS }, openTimeoutMs, signal)
        : first;
    const all = await gateway.sample();
    const failed = { ...first.failed };
    if (rest !== first) for (const [reason, n] of Object.entries(rest.failed)) failed[reason] = (failed[reason] ?? 0) + n;
    const opened: OpenedReport = { ...rest, failed };
    log(`${String(subscribers).padStart(5)} subscribers: ${opened.open} streams open and live, gateway RSS ${(all.rss / MB).toFixed(0)} MB; writing...`);

    gateway.reset();
    const [subgraphsBefore, callsBefore] = [process.cpuUsage(), await gatewayCounts(url)];
    const run = await client.ask<RunReport>(
      { type: 'run', seconds: settings.durationSeconds, writesPerSecond: settings.writesPerSecond, drainMs: DRAIN_MS },
      (settings.durationSeconds + DRAIN_MS / 1000 + 60) * 1000,
      signal,
    );
    const after = await gateway.sample();
    const [subgraphsCpu, callsAfter] = [process.cpuUsage(subgraphsBefore), await gatewayCounts(url)];
    const percentOfCore = (micros: number) => (micros / 1000 / (run.seconds * 1000)) * 100;
    const lost = run.expected - run.delivered;
    log(
      `${String(subscribers).padStart(5)} subscribers: ${run.delivered} of ${run.expected} events delivered, p50 ${run.commitToReceiveMs.p50.toFixed(0)} ms, ` +
        `p99 ${run.commitToReceiveMs.p99.toFixed(0)} ms`,
    );
    return {
      subscribers,
      opened,
      run,
      lost,
      gateway: {
        rssOneMb: one.rss / MB,
        rssAllMb: all.rss / MB,
        kbPerSubscriber: subscribers > 1 ? (all.rss - one.rss) / 1024 / (subscribers - 1) : null,
        peakRssMb: after.peakRss / MB,
        cpuPercent: percentOfCore(cpuMicros(after.cpu) - cpuMicros(all.cpu)),
      },
      subgraphsCpuPercent: percentOfCore(cpuMicros(subgraphsCpu)),
      subgraphCallsPerWrite: Object.fromEntries(
        Object.entries(callsAfter.calls).flatMap(([name, n]) =>
          n > (callsBefore.calls[name] ?? 0) ? [[name, (n - (callsBefore.calls[name] ?? 0)) / Math.max(1, run.writes.acknowledged)]] : [],
        ),
      ),
    };
  } finally {
    await client.stop();
    await gateway.stop();
  }
}

const counts = (byReason: Record<string, number>) =>
  Object.entries(byReason)
    .map(([reason, n]) => `${n} ${reason}`)
    .join(', ');

export function formatReport(rungs: FanoutRung[], settings: FanoutResult['settings']): string {
  const header = [
    'subscribers',
    'open',
    'writes ok/sent',
    'events expected',
    'delivered',
    'lost',
    'twice',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'max ms',
    'write p50 ms',
    'gateway RSS MB',
    'KB/subscriber',
    'gateway CPU %',
    'subgraphs CPU %',
    'client CPU %',
  ];
  const rows = rungs.map((r) => [
    String(r.subscribers),
    String(r.opened.open),
    `${r.run.writes.acknowledged}/${r.run.writes.sent}`,
    String(r.run.expected),
    String(r.run.delivered),
    String(r.lost),
    String(r.run.duplicates),
    fixed(r.run.commitToReceiveMs.p50, 0),
    fixed(r.run.commitToReceiveMs.p95, 0),
    fixed(r.run.commitToReceiveMs.p99, 0),
    fixed(r.run.commitToReceiveMs.max, 0),
    fixed(r.run.writes.answerMs.p50, 0),
    fixed(r.gateway.rssAllMb, 0),
    fixed(r.gateway.kbPerSubscriber, 1),
    fixed(r.gateway.cpuPercent, 0),
    fixed(r.subgraphsCpuPercent, 0),
    fixed(r.run.clientCpuPercent, 0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  const notes: string[] = [];
  for (const r of rungs) {
    if (r.opened.open < r.subscribers || Object.keys(r.opened.failed).length)
      notes.push(`${r.subscribers}: streams refused or broken while opening: ${counts(r.opened.failed) || 'none'}`);
    if (r.opened.unprimed) notes.push(`${r.subscribers}: ${r.opened.unprimed} streams never received the primer write`);
    if (Object.keys(r.run.writes.errors).length) notes.push(`${r.subscribers}: writes refused: ${counts(r.run.writes.errors)}`);
    if (Object.keys(r.run.ended).length) notes.push(`${r.subscribers}: streams ended during the run: ${counts(r.run.ended)}`);
  }
  const calls = rungs.map(
    (r) =>
      `${r.subscribers}: ${
        Object.entries(r.subgraphCallsPerWrite)
          .map(([name, n]) => `${name} ${fixed(n, 2)}`)
          .join(', ') || 'none'
      }`,
  );
  const ratios: string[] = [];
  const [least, most] = [rungs[0], rungs.at(-1)];
  if (least && most && most !== least) {
    const ratio = (a: number, b: number) => `${fixed(a / b, 1)}x`;
    ratios.push(
      `${most.subscribers} subscribers over ${least.subscribers}: p50 ${ratio(most.run.commitToReceiveMs.p50, least.run.commitToReceiveMs.p50)}, ` +
        `p99 ${ratio(most.run.commitToReceiveMs.p99, least.run.commitToReceiveMs.p99)}, ` +
        `events per second ${ratio(most.run.delivered / most.run.seconds, least.run.delivered / least.run.seconds)} ` +
        `(${fixed(most.run.delivered / most.run.seconds, 0)} against ${fixed(least.run.delivered / least.run.seconds, 0)})`,
    );
  }
  const lost = rungs.reduce((n, r) => n + r.lost + r.run.duplicates + (r.subscribers - r.opened.open), 0);
  return [
    `${settings.writesPerSecond} writes a second for ${settings.durationSeconds} s per run, on ${settings.database === 'embedded' ? 'the embedded database' : 'PostgreSQL'}; ` +
      'latency from the audit entry of each write to its arrival at each subscriber.',
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    ...(notes.length ? ['', ...notes.map((n) => `note: ${n}`)] : []),
    '',
    `the gateway's subgraph calls per write (the write, then its event's record for every subscriber), by subscribers: ${calls.join('; ')}`,
    ...(ratios.length ? ['', ...ratios] : []),
    '',
    lost === 0 ? 'nothing lost: every acknowledged write arrived on every stream, once' : `LOSS: ${lost} events missing, doubled, or streams that never opened`,
  ].join('\n');
}

export async function runFanout(options: FanoutOptions = {}): Promise<FanoutResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const subscribers = (options.subscribers ?? [10, 100, 1_000]).map((n) => bounded('subscribers', n, 1, 5_000));
  const writesPerSecond = bounded('writes-per-second', options.writesPerSecond ?? 2, 0.1, 1_000);
  const durationSeconds = bounded('duration', options.durationSeconds ?? 10, 1, 600);
  const warmupSeconds = bounded('warmup', options.warmupSeconds ?? Math.min(3, durationSeconds), 0, 60);
  const { signal } = options;
  const supergraph = SCHEMA_DIR + 'supergraph.graphql';
  if (!/^type Subscription\b/m.test(await readFile(supergraph, 'utf8'))) throw new Error(`${supergraph} has no Subscription type: nothing to fan out`);

  const loadAtStart = readLoadAtStart(log);
  const database = options.databaseUrl ? undefined : await createTestDatabase();
  const databaseUrl = options.databaseUrl ?? database!.url;
  const subgraphs: RunningSubgraph[] = [];
  try {
    // 1. The subgraphs, once, here, with room for every stream the gateway opens on the search subgraph.
    const maxFeeds = Math.max(...subscribers) + 10;
    for (const definition of SUBGRAPHS) {
      signal?.throwIfAborted();
      subgraphs.push(
        await startSubgraph(definition, {
          databaseUrl,
          port: 0,
          seed: true,
          // The search subgraph, last, reads the others through their API and follows their feeds.
          subgraphUrls: Object.fromEntries(subgraphs.map((s) => [s.name, s.url])),
          changeFeed: { maxFeeds },
        }),
      );
    }
    log(`subgraphs: ${subgraphs.map((s) => `${s.name} ${s.url}`).join(', ')}`);

    // 2. A run per number of subscribers, each with its own gateway.
    const env: NodeJS.ProcessEnv = { ...process.env };
    // The caller's own log level for the gateway (quiet.ts lowered it for the subgraphs here).
    if (env.PEERS_USER_LOG_LEVEL) env.LOG_LEVEL = env.PEERS_USER_LOG_LEVEL;
    else delete env.LOG_LEVEL;
    for (const key of ['APOLLO_KEY', 'APOLLO_GRAPH_REF', 'OTEL_TRACES_EXPORTER']) delete env[key];
    Object.assign(env, { [ENV.subgraphUrls]: JSON.stringify(Object.fromEntries(subgraphs.map((s) => [s.name, s.url]))), [ENV.supergraph]: supergraph });
    const job = { subscription: FANOUT_SUBSCRIPTION, token: await editorToken(), runId: randomBytes(4).toString('hex') };
    if (warmupSeconds > 0) {
      log(`warming up: ${Math.min(10, subscribers[0]!)} subscribers, ${warmupSeconds} s of writes (unmeasured)`);
      await measureRung(Math.min(10, subscribers[0]!), { writesPerSecond, durationSeconds: warmupSeconds }, env, job, () => {}, signal);
    }
    const rungs: FanoutRung[] = [];
    for (const n of subscribers) rungs.push(await measureRung(n, { writesPerSecond, durationSeconds }, env, job, log, signal));

    // 3. The report and the JSON.
    const settings: FanoutResult['settings'] = {
      subscribers,
      writesPerSecond,
      durationSeconds,
      warmupSeconds,
      database: process.env.DATABASE_URL || options.databaseUrl ? 'postgresql' : 'embedded',
      subscription: FANOUT_SUBSCRIPTION,
    };
    const report = formatReport(rungs, settings);
    const date = new Date();
    const file = resultsPath('fanout', date, options.resultsDir);
    const result: FanoutResult = { version: 1, date: date.toISOString(), machine: machine(loadAtStart), settings, rungs, report, file };
    return keepAndReport(file, result, report, log);
  } finally {
    for (const subgraph of subgraphs.reverse()) await subgraph.stop().catch(() => {});
    await database?.drop();
  }
}

/** `--subscribers 10,100,1000`: the ladder, each a whole number. */
function ladder(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const numbers = text.split(',').map(Number);
  if (numbers.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--subscribers takes whole numbers separated by commas, not "${text}"`);
  return numbers;
}

async function main() {
  const { durationSeconds, warmupSeconds } = loadKnobsFromArgs();
  const subscribers = ladder(argument('subscribers'));
  const writesPerSecond = numberArgument('writes-per-second');
  const resultsDir = argument('results');
  await runInterruptibly('the gateway, the subscribers and the subgraphs', async (signal) => {
    const result = await runFanout({
      ...(subscribers ? { subscribers } : {}),
      ...(writesPerSecond !== undefined ? { writesPerSecond } : {}),
      ...(durationSeconds !== undefined ? { durationSeconds } : {}),
      ...(warmupSeconds !== undefined ? { warmupSeconds } : {}),
      ...(resultsDir ? { resultsDir } : {}),
      signal,
    });
    // Something lost fails the command, as `npm run bench:load` does.
    if (result.rungs.some((r) => r.lost || r.run.duplicates || r.opened.open < r.subscribers))
      throw new Error('events were lost or doubled: see the report above');
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
