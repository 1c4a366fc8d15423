import { createRequire } from 'node:module';
import type { Autocannon, AutocannonRequest } from '../autocannon.js';
import type { LoadRequest, LoadResult } from './protocol.js';

/**
 * The load generator, in a process of its own so that it never shares a CPU
 * queue with a target: autocannon's API, one run per process. The harness
 * sends a `run` over IPC; this answers with a `result` and exits.
 *
 * The operations go round-robin, each connection one request at a time (no
 * pipelining): a closed loop of `connections` concurrent clients. Every
 * response's latency is kept, so p95 is exact (autocannon's own summary has
 * p90 and p97.5 but no p95), and every response body is checked for GraphQL
 * `errors`, cheaply: a substring test first, a parse only when it hits.
 */

// autocannon is CommonJS without bundled types.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function run(job: LoadRequest): Promise<LoadResult> {
  const path = new URL(job.url).pathname;
  const byOperation: LoadResult['byOperation'] = {};
  let graphqlErrors = 0;
  for (const { name } of job.operations) byOperation[name] = { responses: 0, graphqlErrors: 0, non2xx: 0 };
  // One request template whose body is chosen per request from a counter shared by
  // every connection: the mix goes round-robin across connections, so they do not
  // all send the same operation at the same moment (each connection walking the
  // list from the top would, at the start).
  let next = 0;
  const request: AutocannonRequest = {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: job.operations[0]!.body,
    setupRequest(req, context) {
      const operation = job.operations[next++ % job.operations.length]!;
      context.operation = operation.name;
      return { ...req, body: operation.body };
    },
    onResponse(status, text, context) {
      const counts = byOperation[context.operation as string]!;
      counts.responses++;
      if (status < 200 || status >= 300) {
        counts.non2xx++;
        counts.firstError ??= `HTTP ${status}: ${text.slice(0, 300)}`;
        return;
      }
      if (!text.includes('"errors"')) return;
      try {
        const errors = (JSON.parse(text) as { errors?: { message?: string }[] }).errors;
        if (Array.isArray(errors) && errors.length > 0) {
          counts.graphqlErrors++;
          graphqlErrors++;
          counts.firstError ??= errors.map((e) => e.message).join('; ').slice(0, 300);
        }
      } catch {
        counts.graphqlErrors++;
        graphqlErrors++;
        counts.firstError ??= `not JSON: ${text.slice(0, 300)}`;
      }
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
