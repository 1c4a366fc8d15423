import { EventEmitter, once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { logger } from '@hub/server';

/** What the supervisor tells a part's worker. */
export type ToPart = { type: 'stop' };
/** What a part's worker tells the supervisor: it listens at `url`. */
export type FromPart = { type: 'ready'; url: string };

export interface PartSpec {
  /** Names the part in logs and events. */
  name: string;
  /** The worker's entry file; it posts a `ready` message once it listens, and stops when sent `stop`. */
  entry: URL | string;
  /** The worker's `workerData`, the same on every restart. */
  workerData?: unknown;
}

export interface RunningPart {
  name: string;
  url: string;
}

export interface Backoff {
  /** The wait before the first restart; it doubles with each crash in a row. */
  initialMs: number;
  maxMs: number;
  /** A part that stayed up this long starts again from `initialMs` when it next crashes. */
  resetAfterMs: number;
}

export interface SupervisorOptions {
  /** Each part's heap limit (V8's old generation), in MB. */
  heapMb?: number;
  backoff?: Partial<Backoff>;
  /** How long a part may take to stop when asked before its thread is ended. */
  stopTimeoutMs?: number;
}

export interface SupervisorEvents {
  ready: [name: string, url: string];
  crash: [name: string, reason: string];
  restart: [name: string, delayMs: number];
}

export const DEFAULT_PART_HEAP_MB = 512;
const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 10_000, resetAfterMs: 60_000 };
const DEFAULT_STOP_TIMEOUT_MS = 10_000;

/**
 * Each part's heap limit from `HUB_PART_HEAP_MB`, else 512 MB. It bounds
 * JavaScript objects, which is where a costly query's memory goes; Buffers
 * live outside the heap and are not counted.
 */
export function partHeapMbFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const setting = env.HUB_PART_HEAP_MB;
  if (setting === undefined || setting === '') return DEFAULT_PART_HEAP_MB;
  const heapMb = Number(setting);
  if (!Number.isInteger(heapMb) || heapMb < 16) {
    throw new Error(`HUB_PART_HEAP_MB must be a whole number of megabytes, at least 16; it is "${setting}".`);
  }
  return heapMb;
}

interface SupervisedPart {
  spec: PartSpec;
  worker?: Worker;
  /** Whether the current worker has said it is ready. */
  ready: boolean;
  readyAt: number;
  /** Crashes in a row, for the backoff. */
  failures: number;
  restartTimer?: NodeJS.Timeout;
  stopping: boolean;
  /** Settles the first start: start() reports a part that never came up instead of restarting it. */
  firstStart?: { resolve(url: string): void; reject(error: Error): void };
}

/**
 * Runs each part of a program in a worker thread with a heap limit of its
 * own, so one part running out of memory ends only that part; restarts a part
 * that exits or dies, after a backoff; stops them all, last started first.
 */
export class Supervisor extends EventEmitter<SupervisorEvents> {
  private readonly parts: SupervisedPart[] = [];
  private readonly heapMb: number;
  private readonly backoff: Backoff;
  private readonly stopTimeoutMs: number;
  private readonly log = logger.child({ component: 'supervisor' });

  constructor(options: SupervisorOptions = {}) {
    super();
    this.heapMb = options.heapMb ?? DEFAULT_PART_HEAP_MB;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  }

  /** Starts a part and resolves once it is ready; rejects if it exits before that. */
  async start(spec: PartSpec): Promise<RunningPart> {
    const part: SupervisedPart = { spec, ready: false, readyAt: 0, failures: 0, stopping: false };
    this.parts.push(part);
    const url = await new Promise<string>((resolve, reject) => {
      part.firstStart = { resolve, reject };
      this.launch(part);
    }).catch((error: Error) => {
      const index = this.parts.indexOf(part);
      if (index !== -1) this.parts.splice(index, 1);
      throw error;
    });
    return { name: spec.name, url };
  }

  /** Stops every part, last started first, each given time to finish what it is doing. */
  async stop(): Promise<void> {
    for (const part of [...this.parts].reverse()) await this.stopPart(part);
    this.parts.length = 0;
  }

  private launch(part: SupervisedPart): void {
    const { name } = part.spec;
    const worker = new Worker(part.spec.entry, {
      workerData: part.spec.workerData,
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
    });
    part.worker = worker;
    part.ready = false;
    let failure: (Error & { code?: string }) | undefined;
    worker.on('message', (message: FromPart) => {
      if (message?.type !== 'ready') return;
      part.ready = true;
      part.readyAt = Date.now();
      if (part.firstStart) {
        part.firstStart.resolve(message.url);
        part.firstStart = undefined;
      } else {
        this.log.warn({ part: name, url: message.url }, `${name} is back at ${message.url}`);
      }
      this.emit('ready', name, message.url);
    });
    // Out of memory (ERR_WORKER_OUT_OF_MEMORY) and uncaught errors arrive here, just before 'exit'.
    worker.on('error', (error) => {
      failure = error;
    });
    worker.on('exit', (code) => {
      part.worker = undefined;
      part.ready = false;
      const reason = failure ? `${failure.code ?? failure.name}: ${failure.message}` : `exited with code ${code}`;
      if (part.firstStart) {
        part.firstStart.reject(new Error(`${name} stopped before it was ready: ${reason}`, { cause: failure }));
        part.firstStart = undefined;
        return;
      }
      if (!part.stopping) this.crashed(part, reason);
    });
  }

  private crashed(part: SupervisedPart, reason: string): void {
    const { name } = part.spec;
    this.log.error({ part: name, reason }, `${name} crashed: ${reason}`);
    this.emit('crash', name, reason);
    if (part.readyAt && Date.now() - part.readyAt >= this.backoff.resetAfterMs) part.failures = 0;
    part.readyAt = 0;
    const delayMs = Math.min(this.backoff.initialMs * 2 ** part.failures, this.backoff.maxMs);
    part.failures += 1;
    this.log.warn({ part: name, delayMs, crashesInARow: part.failures }, `restarting ${name} in ${delayMs} ms`);
    this.emit('restart', name, delayMs);
    part.restartTimer = setTimeout(() => {
      part.restartTimer = undefined;
      if (!part.stopping) this.launch(part);
    }, delayMs);
  }

  private async stopPart(part: SupervisedPart): Promise<void> {
    part.stopping = true;
    clearTimeout(part.restartTimer);
    const { worker } = part;
    if (!worker) return;
    const exited = once(worker, 'exit');
    // A part still starting has nothing to finish; one that serves finishes its requests first.
    if (!part.ready) {
      await worker.terminate();
      return;
    }
    worker.postMessage({ type: 'stop' } satisfies ToPart);
    let deadline: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      deadline = setTimeout(() => resolve('late'), this.stopTimeoutMs);
    });
    if ((await Promise.race([exited, late])) === 'late') {
      this.log.warn({ part: part.spec.name }, `${part.spec.name} did not stop within ${this.stopTimeoutMs} ms: ending its thread`);
      await worker.terminate();
    }
    clearTimeout(deadline);
  }
}

/** A port free now: a part given port 0 would come back on another one after a restart, where no one knows it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
