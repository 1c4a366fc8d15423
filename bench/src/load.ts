import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type Identity, logger, mintToken, Role } from '@hub/server';
import { actorTypeOf, FACT, provincialGovernmentCentreId } from '@hub/domain';
import { createTestDatabase } from '@hub/toolkit/testing';
import { startHub, type RunningHub } from '@hub/scripts/hub';
import type { LoadJob, LoadReport } from './load/client.js';

/**
 * `npm run bench:load`: the hub under a mix of reads and writes from many
 * clients, then a count of what it acknowledged against what it kept. Every
 * initiative the hub said it created must be in the database with its lead and
 * exactly one CREATE in the audit trail; every update it accepted must show in
 * the record's version and in its trail, once. Only the CONFLICTs that
 * concurrent updates of one record are meant to get are expected errors.
 * Heap is measured in the hub's process (gateway and subgraphs) after a full
 * GC before and after the run, and at its peak.
 */

export interface LoadOptions {
  databaseUrl: string;
  seconds: number;
  connections: number;
}

export interface LoadOutcome {
  report: LoadReport;
  /** In the database: this run's initiatives, and those of them the hub never acknowledged. */
  stored: number;
  /** Acknowledged writes missing from the database or from the audit trail: must be empty. */
  lost: string[];
  /** Stored initiatives whose answer the client never read: requests still in flight when the clock stopped. */
  unacknowledged: number;
  /** Stored initiatives without exactly one CREATE entry, or without their lead. */
  unaudited: string[];
  hot: { acceptedUpdates: number; version: number; auditedUpdates: number; duplicateVersions: number; beyondFinalVersion: number };
  /** Errors other than the CONFLICTs of racing updates: must be empty. */
  unexpectedErrors: Record<string, number>;
  heapMb: { before: number; peak: number; after: number };
}

// A full collection before each heap reading, so growth means retained memory, not garbage.
setFlagsFromString('--expose_gc');
const collectGarbage = runInNewContext('gc') as () => void;
const heapMb = () => process.memoryUsage().heapUsed / 2 ** 20;

/** A quarter of the run, at least two seconds. */
function warmupSeconds(seconds: number): number {
  return Math.max(2, Math.round(seconds / 4));
}

function editor(agency: string): Identity {
  return { user: `load@${agency}`, agency, sector: actorTypeOf(agency)!.sector, role: Role.EDITOR, subgraphs: [] };
}

/** Runs the client in a second process: its TypeScript source under the tests, its compiled form from dist/. */
function runClient(job: LoadJob): Promise<LoadReport> {
  const client = fileURLToPath(new URL(`./load/client${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
  const child = fork(client, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { report?: LoadReport; error?: string }) =>
      message.report ? resolve(message.report) : reject(new Error(`the load client failed: ${message.error}`)),
    );
    child.once('exit', (code) => reject(new Error(`the load client exited (${code}) without a report`)));
    child.send(job);
  });
}

async function query(hub: RunningHub, token: string, body: string, variables: Record<string, unknown>) {
  const response = await fetch(hub.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: body, variables }),
  });
  const answer = (await response.json()) as { data?: any; errors?: unknown[] };
  if (answer.errors) throw new Error(`setup failed: ${JSON.stringify(answer.errors)}`);
  return answer.data;
}

export async function loadWithoutLoss(options: LoadOptions): Promise<LoadOutcome> {
  const hub = await startHub({ databaseUrl: options.databaseUrl, port: 0, seed: true });
  try {
    const runId = randomBytes(4).toString('hex');
    const agencies = [FACT.nakhonPeopleCentre, FACT.nakhonCommunityNetworks, provincialGovernmentCentreId(FACT.nakhonProvince), FACT.nationalGovernmentCentre];
    const editorTokens = await Promise.all(agencies.map((agency) => mintToken(editor(agency))));
    const created = await query(hub, editorTokens[0]!, `mutation ($title: String!) { createInitiative(input: { title: $title }) { id version } }`, {
      title: `load ${runId} hot`,
    });
    const hot = { id: created.createInitiative.id as string, version: created.createInitiative.version as number, token: editorTokens[0]! };

    const sql = hub.subgraphs.find((s) => s.name === 'initiatives')!.orm.em.getConnection();
    const job = { url: hub.gatewayUrl, connections: options.connections, runId, editorTokens };
    // A warm-up fills what is meant to fill (query plans, connection pools, JIT); the heap is compared after it.
    const warmup = await runClient({ ...job, seconds: warmupSeconds(options.seconds), hot });
    const [current] = await sql.execute<{ version: number }[]>('select version from initiatives.initiative where id = ?', [hot.id]);
    const version = current!.version;
    collectGarbage();
    const before = heapMb();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, heapMb())), 100);
    let measured: LoadReport;
    try {
      measured = await runClient({ ...job, seconds: options.seconds, hot: { ...hot, version } });
    } finally {
      clearInterval(sampler);
    }
    collectGarbage();
    const after = heapMb();
    // The figures are the measured run's; the checks cover every write of both runs.
    const report: LoadReport = {
      ...measured,
      created: [...warmup.created, ...measured.created],
      acceptedVersions: [...warmup.acceptedVersions, ...measured.acceptedVersions],
      byKind: Object.fromEntries(
        Object.entries(measured.byKind).map(([kind, counts]) => {
          const errorsByCode = { ...counts.errorsByCode };
          for (const [code, n] of Object.entries(warmup.byKind[kind as keyof LoadReport['byKind']].errorsByCode)) errorsByCode[code] = (errorsByCode[code] ?? 0) + n;
          return [kind, { responses: counts.responses, errorsByCode }];
        }),
      ) as LoadReport['byKind'],
    };

    const pattern = `load ${runId} %`;
    const stored = await sql.execute<{ id: string; creates: number; leads: number }[]>(
      `select i.id,
         (select count(*)::int from initiatives.audit_entry a where a.record_id = i.id and a.action = 'CREATE') as creates,
         (select count(*)::int from initiatives.participation p where p.initiative_id = i.id and p.lead and p.archived_at is null) as leads
       from initiatives.initiative i where i.title like ? and i.id <> ?`,
      [pattern, hot.id],
    );
    const storedIds = new Set(stored.map((row) => row.id));
    const [hotRow] = await sql.execute<{ version: number; updates: number }[]>(
      `select version, (select count(*)::int from initiatives.audit_entry a where a.record_id = i.id and a.action = 'UPDATE') as updates
       from initiatives.initiative i where id = ?`,
      [hot.id],
    );

    const unexpectedErrors: Record<string, number> = {};
    for (const [kind, counts] of Object.entries(report.byKind)) {
      for (const [code, count] of Object.entries(counts.errorsByCode)) {
        if (!(kind === 'updateHot' && code === 'CONFLICT')) unexpectedErrors[`${kind} ${code}`] = count;
      }
    }
    return {
      report,
      stored: stored.length,
      lost: report.created.filter((id) => !storedIds.has(id)),
      unacknowledged: stored.length - report.created.filter((id) => storedIds.has(id)).length,
      unaudited: stored.filter((row) => row.creates !== 1 || row.leads !== 1).map((row) => row.id),
      hot: {
        acceptedUpdates: report.acceptedVersions.length,
        version: hotRow!.version,
        auditedUpdates: hotRow!.updates,
        duplicateVersions: report.acceptedVersions.length - new Set(report.acceptedVersions).size,
        beyondFinalVersion: report.acceptedVersions.filter((v) => v > hotRow!.version).length,
      },
      unexpectedErrors,
      heapMb: { before, peak, after },
    };
  } finally {
    await hub.stop();
  }
}

/**
 * Whether the run lost, doubled or misrecorded anything. When the clock
 * stops, autocannon drops the answers still on their way: up to one write per
 * client may be stored without the client having read its answer. Those are
 * not losses; an acknowledged write that is missing is.
 */
export function problemsOf(outcome: LoadOutcome, connections: number): string[] {
  const problems: string[] = [];
  // Two runs (warm-up and measured), each of which can leave its clients' last writes unread.
  connections *= 2;
  if (outcome.lost.length) problems.push(`${outcome.lost.length} acknowledged initiatives are missing: ${outcome.lost.slice(0, 5).join(', ')}`);
  if (outcome.unaudited.length) problems.push(`${outcome.unaudited.length} stored initiatives lack exactly one CREATE entry or their lead`);
  const { hot } = outcome;
  const inFlight = outcome.unacknowledged + (hot.version - 1 - hot.acceptedUpdates);
  if (outcome.unacknowledged < 0 || inFlight > connections) {
    problems.push(`${inFlight} writes stored without an answer read, more than the ${connections} that can be in flight`);
  }
  if (hot.auditedUpdates !== hot.version - 1) problems.push(`the hot record is at version ${hot.version} with ${hot.auditedUpdates} UPDATE entries`);
  if (hot.acceptedUpdates > hot.version - 1) problems.push(`${hot.acceptedUpdates} accepted updates, but the record is at version ${hot.version}`);
  if (hot.beyondFinalVersion) problems.push(`${hot.beyondFinalVersion} accepted updates report a version beyond the record's`);
  if (hot.duplicateVersions) problems.push(`${hot.duplicateVersions} accepted updates reported a version another one had`);
  if (Object.keys(outcome.unexpectedErrors).length) problems.push(`unexpected errors: ${JSON.stringify(outcome.unexpectedErrors)}`);
  return problems;
}

function print(outcome: LoadOutcome, options: LoadOptions) {
  const { report, hot, heapMb: heap } = outcome;
  const writes = report.byKind.createInitiative.responses + report.byKind.updateHot.responses;
  const conflicts = report.byKind.updateHot.errorsByCode.CONFLICT ?? 0;
  const rows: [string, string][] = [
    ['clients × seconds', `${options.connections} × ${report.seconds}`],
    ['requests (reads : writes)', `${report.requests.toLocaleString('en')} (${(report.requests - writes).toLocaleString('en')} : ${writes.toLocaleString('en')})`],
    ['requests per second', report.requestsPerSecond.toFixed(0)],
    ['latency p50 / p97.5 / p99', `${report.latencyMs.p50} / ${report.latencyMs.p97_5} / ${report.latencyMs.p99} ms`],
    ['initiatives acknowledged / stored / lost', `${report.created.length} / ${outcome.stored} / ${outcome.lost.length}`],
    ['racing updates accepted / CONFLICT (expected)', `${hot.acceptedUpdates} / ${conflicts}`],
    ['hot record version / audited updates', `${hot.version} / ${hot.auditedUpdates}`],
    ['writes in flight when the clock stopped', `${outcome.unacknowledged + hot.version - 1 - hot.acceptedUpdates} (stored, answer not read)`],
    ['unexpected errors, timeouts, non-2xx', `${Object.values(outcome.unexpectedErrors).reduce((a, b) => a + b, 0)}, ${report.timeouts}, ${report.non2xx}`],
    ['hub heap after GC, after warm-up / after the run (peak)', `${heap.before.toFixed(1)} / ${heap.after.toFixed(1)} MB (${heap.peak.toFixed(1)} MB), ${(((heap.after - heap.before) / heap.before) * 100).toFixed(1)}%`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
}

async function main() {
  // The terminal shows the figures; LOG_LEVEL=info shows a JSON line per request as well.
  if (!process.env.LOG_LEVEL) logger.level = 'warn';
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '30' }, connections: { type: 'string', default: '32' } } });
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  if (!Number.isInteger(seconds) || seconds < 1 || !Number.isInteger(connections) || connections < 1) {
    console.error('Usage: npm run bench:load [-- --seconds 30 --connections 32]');
    process.exit(2);
  }
  // A fresh database of its own (on DATABASE_URL's server, else embedded in memory), dropped afterwards.
  const database = await createTestDatabase();
  const databaseUrl = database.url;
  try {
    const options = { databaseUrl, seconds, connections };
    console.log(
      `bench:load: ${connections} clients for ${warmupSeconds(seconds)} s of warm-up and ${seconds} s measured, on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'the embedded database'}: a mix of reads and writes\n`,
    );
    const outcome = await loadWithoutLoss(options);
    print(outcome, options);
    const problems = problemsOf(outcome, connections);
    console.log(problems.length ? `\nLOSS OR DAMAGE:\n- ${problems.join('\n- ')}` : '\nnothing lost: every acknowledged write is stored and audited once');
    process.exitCode = problems.length ? 1 : 0;
  } finally {
    await database.drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
