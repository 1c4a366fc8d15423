import { createRequire } from 'node:module';
import type { Autocannon, AutocannonRequest } from '../autocannon.js';
import type { LoadRequest, LoadResult, OperationCounts } from './protocol.js';

/**
 * The load generator, in a process of its own so that it never shares a CPU
 * queue with a target: autocannon's API, one run per process. The harness
 * sends a `run` over IPC; this answers with a `result` and exits.
 *
 * The operations go round-robin, each connection one request at a time (no
 * pipelining): a closed loop of `connections` concurrent clients. Every
 * response's latency is kept, so p95 is exact (autocannon's own summary has
 * p90 and p97.5 but no p95), and every response body is checked for GraphQL
 * `errors`, cheaply: a substring test first, a parse only when it hits. Each
 * operation also gets its slowest response and its error codes, so a mix can
 * tell a refusal (e.g. COST_ESTIMATED_TOO_EXPENSIVE) from an answer.
 */

// autocannon is CommonJS without bundled types.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

type GraphQLErrors = { message?: string; extensions?: { code?: unknown } }[];

/** The body's GraphQL `errors`, if it has any; a body that is not JSON counts as one error. */
function errorsIn(text: string): GraphQLErrors | undefined {
  if (!text.includes('"errors"')) return undefined;
  try {
    const errors = (JSON.parse(text) as { errors?: GraphQLErrors }).errors;
    return Array.isArray(errors) && errors.length > 0 ? errors : undefined;
  } catch {
    return [{ message: `not JSON: ${text.slice(0, 300)}` }];
  }
}

function countCodes(counts: OperationCounts, errors: GraphQLErrors) {
  for (const error of errors) {
    const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'UNCODED';
    counts.errorCodes[code] = (counts.errorCodes[code] ?? 0) + 1;
  }
}

function run(job: LoadRequest): Promise<LoadResult> {
  const path = new URL(job.url).pathname;
  const byOperation: LoadResult['byOperation'] = {};
  let graphqlErrors = 0;
  for (const { name } of job.operations) byOperation[name] = { responses: 0, graphqlErrors: 0, non2xx: 0, errorCodes: {}, maxMs: 0, slow: 0, slowUnanswered: 0 };
  // autocannon calls onResponse and then, synchronously, emits `response` with
  // the latency: the one tells the other which operation it was.
  let answered: OperationCounts | undefined;
  // Requests sent and not answered yet, by context (autocannon makes a fresh one for
  // each request): what is left at the end timed out or was cut off by the clock.
  const unanswered = new Map<Record<string, unknown>, { counts: OperationCounts; sentAt: number }>();
  // One request template whose body is chosen per request from a counter shared by
  // every connection: the mix goes round-robin across connections, so they do not
  // all send the same operation at the same moment (each connection walking the
  // list from the top would, at the start).
  let next = 0;
  const request: AutocannonRequest = {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', accept: 'application/json', ...job.headers },
    body: job.operations[0]!.body,
    setupRequest(req, context) {
      const operation = job.operations[next++ % job.operations.length]!;
      context.operation = operation.name;
      if (job.slowMs !== undefined) unanswered.set(context, { counts: byOperation[operation.name]!, sentAt: performance.now() });
      return { ...req, body: operation.body };
    },
    onResponse(status, text, context) {
      const counts = byOperation[context.operation as string]!;
      answered = counts;
      unanswered.delete(context);
      counts.responses++;
      const errors = errorsIn(text);
      if (errors) countCodes(counts, errors);
      if (status < 200 || status >= 300) {
        counts.non2xx++;
        counts.firstError ??= `HTTP ${status}: ${text.slice(0, 300)}`;
        return;
      }
      if (!errors) return;
      counts.graphqlErrors++;
      graphqlErrors++;
      counts.firstError ??= errors.map((e) => e.message).join('; ').slice(0, 300);
    },
  };

  let latencies = new Float64Array(1 << 16);
  let responses = 0;
  const cpuBefore = process.cpuUsage();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: job.url, connections: job.connections, duration: job.durationSeconds, pipelining: 1, requests: [request] },
      (error, result) => {
        if (error) return reject(error);
        const cpu = process.cpuUsage(cpuBefore);
        const end = performance.now();
        for (const { counts, sentAt } of unanswered.values()) if (end - sentAt > job.slowMs!) counts.slowUnanswered++;
        const sorted = latencies.subarray(0, responses).sort();
        let sum = 0;
        for (const ms of sorted) sum += ms;
        resolve({
          type: 'result',
          responses,
          durationSeconds: result.duration,
          latencyMs: {
            p50: percentile(sorted, 50),
            p95: percentile(sorted, 95),
            p99: percentile(sorted, 99),
            mean: responses ? sum / responses : NaN,
            max: responses ? sorted[responses - 1]! : NaN,
          },
          non2xx: result.non2xx,
          socketErrors: result.errors,
          timeouts: result.timeouts,
          graphqlErrors,
          byOperation,
          cpu,
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      if (responses === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[responses++] = responseTime;
      if (!answered) return;
      answered.maxMs = Math.max(answered.maxMs, responseTime);
      if (job.slowMs !== undefined && responseTime > job.slowMs) answered.slow++;
      answered = undefined;
    });
  });
}

process.once('message', (job: LoadRequest) => {
  run(job).then(
    (result) => process.send!(result, () => process.exit(0)),
    (error: Error) => {
      console.error(error);
      process.exit(1);
    },
  );
});
// Never outlive the harness.
process.on('disconnect', () => process.exit(0));
