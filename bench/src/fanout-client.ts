import { request, type ClientRequest } from 'node:http';

/**
 * The subscribers and the writer of `npm run bench:fanout`, in a process of
 * their own, so the hub never shares a CPU queue with them and its figures
 * are its own. The harness (fanout.ts) drives it over Node's IPC channel:
 *
 * - `open`: open more subscriptions to `changes` through the gateway, each a
 *   GraphQL-over-SSE stream read by a raw reader (an HTTP response split on
 *   blank lines; no client library, so the cost measured is the hub's), then
 *   write one record and wait until every open stream has received it: only
 *   then is every stream known to be live end to end, from the owner's feed
 *   through the search subgraph's fan-in to the gateway and this process;
 * - `run`: create records through the gateway at a fixed rate, then wait
 *   until every stream has received every acknowledged one (or nothing has
 *   arrived for 5 s), and report what arrived, when, and what never did;
 * - `close`: end every stream, and exit.
 *
 * Every time here is wall-clock milliseconds (`performance.timeOrigin +
 * performance.now()`), the clock PostgreSQL stamps each audit entry's `at`
 * with on the same machine. Plain TypeScript with type-only imports, so Node
 * runs it as it is from the sources and compiled from dist/.
 */

export interface FanoutJob {
  /** The gateway's /graphql. */
  url: string;
  /** The subscription every stream opens. */
  subscription: string;
  /** A bearer token of an editor, for the writes. */
  token: string;
  /** Marks this run's records, in the titles of the initiatives it creates. */
  runId: string;
}

export type ClientCommand =
  | { type: 'open'; job: FanoutJob; count: number; primeTimeoutMs: number }
  /** `drainMs`: the longest the drain may take after the last write, however much still arrives. */
  | { type: 'run'; seconds: number; writesPerSecond: number; drainMs: number }
  | { type: 'close' };

export interface OpenedReport {
  type: 'opened';
  /** Streams open now, all of them live: each received the primer write. */
  open: number;
  /** Streams refused or broken while opening, by reason. */
  failed: Record<string, number>;
  /** Open streams that never received the primer write. */
  unprimed: number;
}

export interface RunReport {
  type: 'result';
  subscribers: number;
  writes: { sent: number; acknowledged: number; errors: Record<string, number>; answerMs: Percentiles };
  /** Acknowledged writes times the streams open: every one of them should arrive on every stream. */
  expected: number;
  /** Distinct (stream, record) pairs of acknowledged writes received. */
  delivered: number;
  /** The same record received twice on one stream. */
  duplicates: number;
  /** From the record's audit entry (`at`, stamped in the writing transaction) to its arrival here. */
  commitToReceiveMs: Percentiles;
  /** From the write's request leaving this process to its arrival here: the mutation's own round trip included. */
  sendToReceiveMs: Percentiles;
  /** Streams that ended (or broke) during the run, by reason: `complete`, an error code, or a transport error. */
  ended: Record<string, number>;
  /** How long the run took, writes and drain. */
  seconds: number;
  /** This process's CPU over the run, as a share of one core: near 100 means the readers, not the hub, were the limit. */
  clientCpuPercent: number;
}

export type ClientMessage = OpenedReport | RunReport | { type: 'error'; message: string };

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  count: number;
}

export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : NaN);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.length ? sorted[sorted.length - 1]! : NaN, count: sorted.length };
}

const now = () => performance.timeOrigin + performance.now();
/** After the last write, how long the drain waits with nothing arriving before it calls what is missing lost. */
const QUIET_MS = 5_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Arrival {
  at: number;
  receivedAt: number;
}

/** One subscription: a raw reader of its event stream, keeping when each record arrived. */
class Stream {
  /** Record id to its first arrival on this stream. */
  readonly arrivals = new Map<string, Arrival>();
  duplicates = 0;
  /** Why the stream ended, once it has. */
  ended: string | undefined;
  private request: ClientRequest | undefined;

  /** Opens the stream; resolves once the gateway answers 200 with an event stream, rejects with the reason otherwise. */
  open(url: string, subscription: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const body = JSON.stringify({ query: subscription });
      const req = request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'content-length': Buffer.byteLength(body) },
      });
      this.request = req;
      req.once('error', (error: NodeJS.ErrnoException) => {
        const reason = error.code ?? error.message;
        if (this.ended === undefined) this.ended = reason;
        reject(new Error(reason));
      });
      req.once('response', (response) => {
        if (response.statusCode !== 200 || !String(response.headers['content-type']).startsWith('text/event-stream')) {
          response.resume();
          this.ended = `HTTP ${response.statusCode}`;
          return reject(new Error(this.ended));
        }
        resolve();
        response.setEncoding('utf8');
        let buffered = '';
        response.on('data', (chunk: string) => {
          const receivedAt = now();
          buffered += chunk;
          let end: number;
          while ((end = buffered.indexOf('\n\n')) >= 0) {
            this.event(buffered.slice(0, end), receivedAt);
            buffered = buffered.slice(end + 2);
          }
        });
        response.once('end', () => (this.ended ??= 'closed'));
        response.once('error', () => (this.ended ??= 'broken'));
      });
      req.end(body);
    });
  }

  /** One SSE event: `event:` and `data:` lines (a comment, `:`, is a heartbeat). */
  private event(block: string, receivedAt: number) {
    let name = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) name = line.slice(6).trim();
      else if (line.startsWith('data:')) data += line.slice(5).trim();
    }
    if (name === 'complete') {
      this.ended ??= 'complete';
      return;
    }
    if (name !== 'next' || !data) return;
    const result = JSON.parse(data) as { data?: { changes?: { recordId: string; at: string } }; errors?: { extensions?: { code?: string } }[] };
    const change = result.data?.changes;
    if (change) {
      if (this.arrivals.has(change.recordId)) this.duplicates++;
      else this.arrivals.set(change.recordId, { at: Date.parse(change.at), receivedAt });
    } else if (result.errors?.length) {
      // A stream's last word, before `complete`: why it was ended.
      this.ended ??= result.errors[0]!.extensions?.code ?? 'error';
    }
  }

  close() {
    this.request?.destroy();
  }
}

const streams: Stream[] = [];
let job: FanoutJob | undefined;
let written = 0;

const CREATE = `mutation ($title: String!) { createInitiative(input: { title: $title, themes: [PRODUCTION], provinceCodes: ["TH-80"] }) { id } }`;

/** One record created through the gateway: its id, or the error code it got. */
async function write(): Promise<{ id: string } | { error: string }> {
  const { url, token, runId } = job!;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: CREATE, variables: { title: `fanout ${runId} ${++written}` } }),
      signal: AbortSignal.timeout(30_000),
    });
    const answer = (await response.json()) as { data?: { createInitiative?: { id: string } }; errors?: { extensions?: { code?: string } }[] };
    const id = answer.data?.createInitiative?.id;
    if (id) return { id };
    return { error: answer.errors?.[0]?.extensions?.code ?? `HTTP ${response.status}` };
  } catch (error) {
    return { error: (error as Error).name };
  }
}

/** Waits until `done()` or `timeoutMs`; says which. */
async function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = now() + timeoutMs;
  while (!done()) {
    if (now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

const live = () => streams.filter((s) => s.ended === undefined);

async function open(count: number, primeTimeoutMs: number): Promise<OpenedReport> {
  const failed: Record<string, number> = {};
  const batch = Array.from({ length: count }, () => new Stream());
  // A few hundred at a time: the gateway accepts them as fast as it can, and a burst of a thousand connections tests its backlog, not fan-out.
  for (let i = 0; i < batch.length; i += 200) {
    await Promise.all(
      batch.slice(i, i + 200).map((stream) =>
        stream.open(job!.url, job!.subscription).then(
          () => streams.push(stream),
          (error: Error) => (failed[error.message] = (failed[error.message] ?? 0) + 1),
        ),
      ),
    );
  }
  const primer = await write();
  let unprimed = 0;
  if ('id' in primer) {
    await until(() => live().every((s) => s.arrivals.has(primer.id)), primeTimeoutMs);
    unprimed = live().filter((s) => !s.arrivals.has(primer.id)).length;
  } else {
    failed[`primer write: ${primer.error}`] = 1;
    unprimed = live().length;
  }
  return { type: 'opened', open: live().length, failed, unprimed };
}

async function run(seconds: number, writesPerSecond: number, drainMs: number): Promise<RunReport> {
  const subscribers = live();
  const endedBefore = new Set(streams.filter((s) => s.ended !== undefined));
  const cpuBefore = process.cpuUsage();
  const started = now();
  const sent = new Map<string, number>();
  const answerMs: number[] = [];
  const errors: Record<string, number> = {};
  const pending: Promise<void>[] = [];
  const total = Math.max(1, Math.round(seconds * writesPerSecond));
  // A fixed rate, whatever the answers take: each write leaves at its own time, not after the one before.
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / writesPerSecond;
    if (due > now()) await sleep(due - now());
    const sentAt = now();
    pending.push(
      write().then((outcome) => {
        if ('id' in outcome) {
          sent.set(outcome.id, sentAt);
          answerMs.push(now() - sentAt);
        } else {
          errors[outcome.error] = (errors[outcome.error] ?? 0) + 1;
        }
      }),
    );
  }
  await Promise.all(pending);
  // The drain: until every stream has every record, or nothing more arrives for a while (a record still missing then is lost, not late).
  const ids = [...sent.keys()];
  const arrived = () => subscribers.reduce((n, s) => n + s.arrivals.size, 0);
  let lastCount = arrived();
  let lastProgress = now();
  await until(() => {
    const count = arrived();
    if (count !== lastCount) [lastCount, lastProgress] = [count, now()];
    return now() - lastProgress > QUIET_MS || subscribers.every((s) => s.ended !== undefined || ids.every((id) => s.arrivals.has(id)));
  }, drainMs);

  const commitToReceive: number[] = [];
  const sendToReceive: number[] = [];
  let duplicates = 0;
  for (const stream of subscribers) {
    duplicates += stream.duplicates;
    for (const [id, sentAt] of sent) {
      const arrival = stream.arrivals.get(id);
      if (!arrival) continue;
      commitToReceive.push(arrival.receivedAt - arrival.at);
      sendToReceive.push(arrival.receivedAt - sentAt);
    }
  }
  const ended: Record<string, number> = {};
  for (const stream of streams) if (stream.ended !== undefined && !endedBefore.has(stream)) ended[stream.ended] = (ended[stream.ended] ?? 0) + 1;
  const elapsedMs = now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    type: 'result',
    subscribers: subscribers.length,
    writes: { sent: total, acknowledged: sent.size, errors, answerMs: percentiles(answerMs) },
    expected: sent.size * subscribers.length,
    delivered: commitToReceive.length,
    duplicates,
    commitToReceiveMs: percentiles(commitToReceive),
    sendToReceiveMs: percentiles(sendToReceive),
    ended,
    seconds: elapsedMs / 1000,
    clientCpuPercent: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100,
  };
}

const reply = (message: ClientMessage) => process.send!(message);

process.on('message', (command: ClientCommand) => {
  const handle = async (): Promise<ClientMessage | undefined> => {
    switch (command.type) {
      case 'open':
        job = command.job;
        return open(command.count, command.primeTimeoutMs);
      case 'run':
        return run(command.seconds, command.writesPerSecond, command.drainMs);
      case 'close':
        for (const stream of streams) stream.close();
        process.exit(0);
    }
  };
  handle().then(
    (message) => message && reply(message),
    (error: Error) => reply({ type: 'error', message: error.stack ?? error.message }),
  );
});
// The harness gone (an error, Ctrl-C): so is this.
process.on('disconnect', () => process.exit(0));
