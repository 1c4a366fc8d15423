import { readFile } from 'node:fs/promises';
import { Agent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { GATEWAY_SECRET_HEADER, gatewaySecrets } from '@hub/server';
import { runTarget, sendJson as send, serveRequests } from './child.js';
import { loadOperations } from './operations.js';

/**
 * (e) "direct": the subgraphs with no gateway. For each operation of the
 * mix, the subgraph requests a federation gateway makes for it are recorded
 * once, at start, and every incoming request for that operation replays them
 * straight to the subgraphs and returns the gateway's recorded answer. What is
 * left is the subgraphs' own work (HTTP, parsing, resolvers, SQL) plus the
 * hops between them: no parsing or validation of the client's operation, no
 * query planning, no building of entity representations, no merging of the
 * subgraphs' answers. No gateway can answer faster than this over these
 * subgraphs, so `hub p50 / direct p50` is the hub's own overhead. (The floor
 * under the subgraphs as well is target-floor.ts.)
 *
 * Recording: @apollo/gateway (the planner the hub itself uses, same version,
 * same supergraph, so the very same subgraph requests) runs each operation
 * once in this process through a fetcher that records each subgraph request's
 * URL and body, and when it was sent and when its answer had been read.
 *
 * Replay (PEERS_DIRECT_REPLAY):
 * - `plan` (default): each request waits only for the requests whose answers
 *   were in before it was sent, i.e. the gateway's own schedule: the fetches
 *   it ran in parallel (a query plan's `Parallel` node) go in parallel, those
 *   it ran one after another (`Sequence`, entity fetches that need an earlier
 *   answer) go in that order. A strictly sequential replay would be slower
 *   than a gateway on any operation with a parallel plan, so not a floor.
 * - `sequential`: one request at a time, in recorded order.
 */

interface RecordedFetch {
  subgraph: string;
  url: string;
  body: string;
  /** Indexes of the recorded requests this one waits for. */
  after: number[];
}

interface Recording {
  fetches: RecordedFetch[];
  /** The gateway's answer, returned as is. */
  response: string;
}

interface Sent {
  subgraph: string;
  url: string;
  body: string;
  sent: number;
  answered: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

// The subgraphs answer only a gateway: the replay sends the gateway secret, as the hub's gateway does.
const [identityHeader, identity] = [GATEWAY_SECRET_HEADER, gatewaySecrets().current];

function post(url: URL, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), [identityHeader]: identity } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function record(supergraphPath: string, subgraphUrls: Record<string, string>, examplesDir: string, sequential: boolean) {
  let sent: Sent[] = [];
  const recordingFetcher = (subgraph: string) =>
    (async (url: string, init: RequestInit) => {
      const entry: Sent = { subgraph, url, body: String(init.body), sent: performance.now(), answered: 0 };
      const response = await fetch(url, init);
      const text = await response.text();
      entry.answered = performance.now();
      sent.push(entry);
      return new Response(text, { status: response.status, headers: response.headers });
    }) as unknown as Fetcher;
  const gateway = new ApolloGateway({
    supergraphSdl: await readFile(supergraphPath, 'utf8'),
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource({
        url: subgraphUrls[name] ?? url!,
        fetcher: recordingFetcher(name),
        willSendRequest: ({ request }) => void request.http?.headers.set(identityHeader, identity),
      }),
  });
  const apollo = new ApolloServer({ gateway });
  await apollo.start();
  const recordings = new Map<string, Recording>();
  const summary: { operation: string; subgraphRequests: string[]; waves: number }[] = [];
  try {
    for (const operation of await loadOperations(examplesDir || undefined)) {
      sent = [];
      const result = await apollo.executeOperation({ query: operation.query, operationName: operation.name });
      if (result.body.kind !== 'single') throw new Error(`${operation.name}: not a single result`);
      const { errors } = result.body.singleResult;
      if (errors?.length) throw new Error(`${operation.name} answers with errors while recording: ${JSON.stringify(errors)}`);
      const ordered = [...sent].sort((a, b) => a.sent - b.sent);
      const fetches = ordered.map((entry, i) => ({
        subgraph: entry.subgraph,
        url: entry.url,
        body: entry.body,
        after: sequential
          ? i > 0 ? [i - 1] : []
          : ordered.flatMap((earlier, j) => (j !== i && earlier.answered <= entry.sent ? [j] : [])),
      }));
      recordings.set(operation.query, { fetches, response: JSON.stringify(result.body.singleResult) });
      // Depth of the dependency chain: how many rounds of subgraph calls the operation takes.
      const depth: number[] = [];
      fetches.forEach((f, i) => (depth[i] = 1 + Math.max(0, ...f.after.map((j) => depth[j]!))));
      summary.push({ operation: operation.name, subgraphRequests: fetches.map((f) => f.subgraph), waves: Math.max(0, ...depth) });
    }
  } finally {
    await apollo.stop();
  }
  return { recordings, summary };
}

/** Sends an operation's recorded subgraph requests, each when those it waits for are answered; the first failure, if any. */
async function replay(recording: Recording): Promise<string | undefined> {
  const done: Promise<string | undefined>[] = [];
  recording.fetches.forEach((f, i) => {
    const url = new URL(f.url);
    done[i] = Promise.all(f.after.map((j) => done[j]!)).then(async (before) => {
      const failed = before.find(Boolean);
      if (failed) return failed;
      const { status, text } = await post(url, f.body);
      if (status !== 200) return `the ${f.subgraph} subgraph answered HTTP ${status}`;
      // A plain substring test is enough: the recorded answers carried no errors.
      if (text.includes('"errors":')) return `the ${f.subgraph} subgraph answered with errors: ${text.slice(0, 300)}`;
      return undefined;
    });
  });
  return (await Promise.all(done)).find(Boolean);
}

await runTarget(async ({ supergraphPath, subgraphUrls, examplesDir, directReplay }) => {
  const { recordings, summary } = await record(supergraphPath, subgraphUrls, examplesDir, directReplay === 'sequential');
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let query: unknown;
    try {
      query = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query?: unknown }).query;
    } catch {
      return send(response, 400, JSON.stringify({ errors: [{ message: 'The request body is not valid JSON.' }] }));
    }
    const recording = typeof query === 'string' ? recordings.get(query) : undefined;
    if (!recording) return send(response, 400, JSON.stringify({ errors: [{ message: 'Not one of the recorded operations.' }] }));
    const failure = await replay(recording);
    if (failure) return send(response, 200, JSON.stringify({ data: null, errors: [{ message: failure }] }));
    send(response, 200, recording.response);
  };
  const served = await serveRequests(handle, (error) => ({ status: 502, body: JSON.stringify({ errors: [{ message: error.message }] }) }));
  return {
    url: served.url,
    info: { replay: directReplay === 'sequential' ? 'sequential' : 'plan', operations: summary },
    async stop() {
      await served.close();
      agent.destroy();
    },
  };
});
