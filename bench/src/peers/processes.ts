import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import type { ChildMessage, CpuTimes, HarnessMessage, LoadRequest, LoadResult, ReadyMessage, SampleMessage } from './protocol.js';

/**
 * The child processes of a run: the four targets and a load generator per
 * run. Every child is tracked until it exits; whatever is still alive when
 * the harness's process exits (an error, Ctrl-C) is killed then.
 */

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess) {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
}

/** The last few KB a child wrote on stderr, for error messages. */
function tail(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    text = (text + chunk).slice(-8_000);
  });
  return () => text.trim();
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Stops a child: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

export class TargetProcess {
  readonly pid: number;
  url = '';
  info: unknown;
  private readonly stderr: () => string;
  private nextId = 1;
  private readonly pending = new Map<number, (sample: SampleMessage) => void>();

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    this.pid = child.pid!;
    this.stderr = tail(child);
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'sample') {
        this.pending.get(message.id)?.(message);
        this.pending.delete(message.id);
      }
    });
  }

  /** Starts a target script and waits for it to say where it listens. */
  static async start(name: string, script: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<TargetProcess> {
    // stdout goes to /dev/null: the hub's gateway logs a JSON line per request there, as in production.
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env });
    track(child);
    const target = new TargetProcess(name, child);
    try {
      const ready = await new Promise<ReadyMessage>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs / 1000} s`)), timeoutMs);
        child.on('message', (message: ChildMessage) => {
          if (message.type === 'ready') {
            clearTimeout(timer);
            resolve(message);
          }
        });
        child.once('exit', (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`${name} exited (${signal ?? code}) before it was ready:\n${target.stderr()}`));
        });
        child.once('error', reject);
      });
      target.url = ready.url;
      target.info = ready.info;
      return target;
    } catch (error) {
      await stopChild(child);
      throw error;
    }
  }

  private send(message: HarnessMessage) {
    if (!this.child.connected) throw new Error(`${this.name} has gone away:\n${this.stderr()}`);
    this.child.send(message);
  }

  /** Starts a new peak-RSS window. */
  reset(): void {
    this.send({ type: 'reset' });
  }

  /** The child's RSS, its peak since the last reset, and its CPU time so far. */
  sample(timeoutMs = 10_000): Promise<SampleMessage> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name} did not report its memory within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.pending.set(id, (sample) => {
        clearTimeout(timer);
        resolve(sample);
      });
      this.send({ type: 'sample', id });
    });
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  stop(): Promise<void> {
    return stopChild(this.child);
  }
}

/** One load-generator run in a fresh process; rejects if it fails, overruns, or `signal` aborts it. */
export async function runLoad(script: string, job: Omit<LoadRequest, 'type'>, signal?: AbortSignal): Promise<LoadResult> {
  signal?.throwIfAborted();
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  track(child);
  const stderr = tail(child);
  const deadlineMs = (job.durationSeconds + 60) * 1_000;
  try {
    return await new Promise<LoadResult>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the load generator did not finish within ${deadlineMs / 1000} s`)), deadlineMs);
      const onAbort = () => reject(new Error('stopped'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      child.on('message', (message: LoadResult) => {
        if (message.type !== 'result') return;
        settle();
        resolve(message);
      });
      // 'close', not 'exit': a result sent just before exiting can still be in the IPC
      // channel when 'exit' fires, and is delivered only before 'close'.
      child.once('close', (code, sig) => {
        settle();
        reject(new Error(`the load generator exited (${sig ?? code}) without a result:\n${stderr()}`));
      });
      child.once('error', reject);
      child.send({ type: 'run', ...job } satisfies LoadRequest);
    });
  } finally {
    await stopChild(child, 2_000);
  }
}

/** CPU time of this process, in µs. */
export function ownCpu(): CpuTimes {
  return process.cpuUsage();
}

/**
 * CPU time (µs) of every local PostgreSQL server process, from /proc; null
 * where that cannot be read (not Linux, a remote or embedded database). A
 * backend that exits during a run takes its time with it: the subgraphs keep
 * their pooled connections open under load, so that loses little.
 */
export async function postgresCpuMicros(): Promise<number | null> {
  if (process.platform !== 'linux') return null;
  let total = 0;
  let found = false;
  const entries = await readdir('/proc').catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((e) => /^\d+$/.test(e))
      .map(async (pid) => {
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
        const close = stat.lastIndexOf(')');
        if (close < 0 || stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') return;
        const fields = stat.slice(close + 2).split(' ');
        // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command; in clock ticks (100 a second on Linux).
        total += ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100;
        found = true;
      }),
  );
  return found ? total : null;
}
