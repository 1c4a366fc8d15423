import { createRequire } from 'node:module';
import type { Autocannon, AutocannonRequest } from '../autocannon.js';

/**
 * The load generator of `npm run bench:load`, in a process of its own so it
 * never shares a CPU queue with the hub: autocannon, `connections` clients in
 * a closed loop for `seconds`, going round a mix of reads and writes. It
 * keeps what the hub acknowledged (the ids it created, the versions it
 * accepted) so the harness can check afterwards that every one of them is in
 * the database and in the audit trail.
 *
 * Plain TypeScript with type-only imports, so Node runs it as it is from the
 * sources (tests) and compiled from dist/ (the command).
 */

export interface LoadJob {
  url: string;
  seconds: number;
  connections: number;
  /** Marks this run's records, e.g. in the titles of the initiatives it creates. */
  runId: string;
  /** Bearer tokens of editors of different agencies; writes take turns with them. */
  editorTokens: string[];
  /** An initiative every connection keeps updating: concurrent edits from the same version. */
  hot: { id: string; version: number; token: string };
}

export type OperationKind = 'readInitiative' | 'readProvince' | 'createInitiative' | 'updateHot';

export interface LoadReport {
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  /** autocannon's percentiles (it keeps no p95). */
  latencyMs: { p50: number; p97_5: number; p99: number };
  /** Transport failures: refused connections, resets, timeouts. */
  transportErrors: number;
  timeouts: number;
  non2xx: number;
  byKind: Record<OperationKind, { responses: number; errorsByCode: Record<string, number> }>;
  /** Ids of the initiatives the hub said it created. */
  created: string[];
  /** Versions the hub said the hot initiative reached, one per accepted update. */
  acceptedVersions: number[];
}

// autocannon is CommonJS without bundled types.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const READ_INITIATIVE = `query ($id: ID!) { initiative(id: $id) { title participants { totalCount nodes { role actor { name sector } } } } }`;
const READ_PROVINCE = `{ province(code: "TH-80") { nameTh peopleOrganizations { totalCount } governmentCentres { totalCount } initiatives(first: 10) { totalCount nodes { id title } } } }`;
const CREATE = `mutation ($title: String!) { createInitiative(input: { title: $title, themes: [PRODUCTION], provinceCodes: ["TH-80"] }) { id } }`;
const UPDATE = `mutation ($id: ID!, $version: Int!, $description: String) { updateInitiative(id: $id, expectedVersion: $version, input: { description: $description }) { version } }`;

const KINDS: OperationKind[] = ['readInitiative', 'createInitiative', 'readProvince', 'updateHot'];

export function runLoad(job: LoadJob): Promise<LoadReport> {
  const byKind = Object.fromEntries(KINDS.map((kind) => [kind, { responses: 0, errorsByCode: {} as Record<string, number> }])) as LoadReport['byKind'];
  const created: string[] = [];
  const acceptedVersions: number[] = [];
  let hotVersion = job.hot.version;
  let sent = 0;

  const body = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });
  const request: AutocannonRequest = {
    method: 'POST',
    path: new URL(job.url).pathname,
    headers: { 'content-type': 'application/json' },
    body: '',
    setupRequest(req, context) {
      const n = sent++;
      const kind = KINDS[n % KINDS.length]!;
      context.kind = kind;
      const headers = { 'content-type': 'application/json' };
      switch (kind) {
        case 'readInitiative':
          return { ...req, headers, body: body(READ_INITIATIVE, { id: job.hot.id }) };
        case 'readProvince':
          return { ...req, headers, body: body(READ_PROVINCE, {}) };
        case 'createInitiative': {
          const token = job.editorTokens[n % job.editorTokens.length]!;
          return { ...req, headers: { ...headers, authorization: `Bearer ${token}` }, body: body(CREATE, { title: `load ${job.runId} ${n}` }) };
        }
        case 'updateHot':
          // The version this client last saw accepted: while others race it, most of these are CONFLICT, by design.
          return {
            ...req,
            headers: { ...headers, authorization: `Bearer ${job.hot.token}` },
            body: body(UPDATE, { id: job.hot.id, version: hotVersion, description: `update ${n}` }),
          };
      }
    },
    onResponse(status, text, context) {
      const kind = context.kind as OperationKind;
      const counts = byKind[kind];
      counts.responses++;
      if (status < 200 || status >= 300) {
        counts.errorsByCode[`HTTP ${status}`] = (counts.errorsByCode[`HTTP ${status}`] ?? 0) + 1;
        return;
      }
      const answer = JSON.parse(text) as { data?: Record<string, any> | null; errors?: { extensions?: { code?: string } }[] };
      for (const error of answer.errors ?? []) {
        const code = error.extensions?.code ?? 'NO_CODE';
        counts.errorsByCode[code] = (counts.errorsByCode[code] ?? 0) + 1;
      }
      if (answer.errors?.length) return;
      if (kind === 'createInitiative') created.push(answer.data!.createInitiative.id);
      if (kind === 'updateHot') {
        const version = answer.data!.updateInitiative.version as number;
        acceptedVersions.push(version);
        hotVersion = Math.max(hotVersion, version);
      }
    },
  };

  return new Promise((resolve, reject) => {
    autocannon(
      { url: job.url, connections: job.connections, duration: job.seconds, pipelining: 1, timeout: 30, requests: [request] },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          seconds: result.duration,
          requests: result.requests.total,
          requestsPerSecond: result.requests.average,
          latencyMs: { p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99 },
          transportErrors: result.errors,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
          byKind,
          created,
          acceptedVersions,
        });
      },
    );
  });
}

// Run as a child process: one job over IPC, one report back.
if (process.send) {
  process.once('message', (job: LoadJob) => {
    runLoad(job).then(
      (report) => process.send!({ report }, () => process.exit(0)),
      (error: Error) => process.send!({ error: error.message }, () => process.exit(1)),
    );
  });
}
