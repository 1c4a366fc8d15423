import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoActorCount } from '@hub/scripts/demo';
import { argument } from './peers/command.js';
import { benchData } from './peers/database.js';
import { loadOperations } from './peers/operations.js';
import { runLoad, stopChild } from './peers/processes.js';
import { LOAD_SCRIPT } from './peers/protocol.js';
import type { DriverMessage, PartMessage } from './profile/part.js';
import { profileShares } from './profile/shares.js';

/**
 * `npm run bench:profile [-- --before ../hub-before --duration 10 --rounds 2]`:
 * where the CPU goes while the hub answers the examples/ mix, its response
 * cache off. The four subgraphs run in one process and the gateway in
 * another, each sampled by V8's profiler; autocannon sends the mix from a
 * third. Prints, for each process, the CPU milliseconds per request and the
 * share of its time in each library (garbage collection, MikroORM, graphql-js,
 * Apollo's gateway, ...).
 *
 * `--before <checkout>` profiles an earlier build beside this one, rounds
 * alternating, each with its own examples/: e.g.
 *   git worktree add ../hub-before <commit> && (cd ../hub-before && npm ci && npx tsc -b)
 * DATABASE_URL picks the server, as for the other benches (small demo data).
 */

const PART_SCRIPT = fileURLToPath(new URL('./profile/part.js', import.meta.url));
const THIS_CHECKOUT = fileURLToPath(new URL('../../', import.meta.url));

class Part {
  private constructor(
    private readonly child: ChildProcess,
    readonly urls: Record<string, string>,
  ) {}

  static async start(kind: 'subgraphs' | 'gateway', env: NodeJS.ProcessEnv): Promise<Part> {
    const child = spawn(process.execPath, [PART_SCRIPT, kind], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env });
    const ready = await Part.next(child, 'ready');
    return new Part(child, ready.urls);
  }

  private static next<T extends PartMessage['type']>(child: ChildProcess, type: T): Promise<Extract<PartMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: PartMessage) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message as Extract<PartMessage, { type: T }>);
      };
      const onExit = (code: number | null) => reject(new Error(`a profiled part exited (${code}) before saying "${type}"`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  }

  async ask<T extends PartMessage['type']>(message: DriverMessage, answer: T) {
    const reply = Part.next(this.child, answer);
    this.child.send(message);
    return reply;
  }

  stop() {
    this.child.send({ type: 'exit' } satisfies DriverMessage);
    return stopChild(this.child);
  }
}

interface Measured {
  requests: number;
  cpuMsPerRequest: { subgraphs: number; gateway: number };
  shares: { subgraphs: Record<string, number>; gateway: Record<string, number> };
}

async function profileOnce(checkout: string, databaseUrl: string, durationSeconds: number, connections: number, dir: string): Promise<Measured> {
  const env = { ...process.env, PROFILE_CHECKOUT: checkout, PROFILE_DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' };
  const subgraphs = await Part.start('subgraphs', env);
  const gateway = await Part.start('gateway', { ...env, PROFILE_SUBGRAPH_URLS: JSON.stringify(subgraphs.urls) });
  try {
    const operations = (await loadOperations(join(checkout, 'examples/'))).map(({ name, body }) => ({ name, body }));
    // Warm-up: JIT, pools and query plans, unprofiled.
    await runLoad(LOAD_SCRIPT, { url: gateway.urls.gateway!, connections, durationSeconds: Math.min(3, durationSeconds), operations });
    await Promise.all([subgraphs.ask({ type: 'start' }, 'started'), gateway.ask({ type: 'start' }, 'started')]);
    const load = await runLoad(LOAD_SCRIPT, { url: gateway.urls.gateway!, connections, durationSeconds, operations });
    const files = { subgraphs: join(dir, `subgraphs-${Date.now()}.cpuprofile`), gateway: join(dir, `gateway-${Date.now()}.cpuprofile`) };
    const [sub, gw] = await Promise.all([
      subgraphs.ask({ type: 'stop', file: files.subgraphs }, 'stopped'),
      gateway.ask({ type: 'stop', file: files.gateway }, 'stopped'),
    ]);
    const errors = load.non2xx + load.socketErrors + load.graphqlErrors;
    if (errors > 0) throw new Error(`${checkout}: ${errors} of ${load.responses} answers had errors`);
    return {
      requests: load.responses,
      cpuMsPerRequest: { subgraphs: sub.cpuMicros / 1000 / load.responses, gateway: gw.cpuMicros / 1000 / load.responses },
      shares: { subgraphs: (await profileShares(files.subgraphs)).shares, gateway: (await profileShares(files.gateway)).shares },
    };
  } finally {
    await gateway.stop();
    await subgraphs.stop();
  }
}

/** The mean of each figure over rounds. */
function average(runs: Measured[]) {
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const shares = (part: 'subgraphs' | 'gateway') => {
    const names = [...new Set(runs.flatMap((r) => Object.keys(r.shares[part])))];
    const averaged = names.map((name): [string, number] => [name, mean(runs.map((r) => r.shares[part][name] ?? 0))]);
    return Object.fromEntries(averaged.sort((a, b) => b[1] - a[1]));
  };
  return {
    cpuMsPerRequest: { subgraphs: mean(runs.map((r) => r.cpuMsPerRequest.subgraphs)), gateway: mean(runs.map((r) => r.cpuMsPerRequest.gateway)) },
    shares: { subgraphs: shares('subgraphs'), gateway: shares('gateway') },
  };
}

function printShares(builds: [label: string, figures: ReturnType<typeof average>][]) {
  for (const part of ['subgraphs', 'gateway'] as const) {
    console.log(`\n${part === 'subgraphs' ? 'the four subgraphs (one process)' : 'the gateway'}: CPU per request ` +
      builds.map(([label, f]) => `${label} ${f.cpuMsPerRequest[part].toFixed(2)} ms`).join(', '));
    const names = [...new Set(builds.flatMap(([, f]) => Object.keys(f.shares[part])))];
    const rows = names.map((name) => [name, ...builds.map(([, f]) => `${(f.shares[part][name] ?? 0).toFixed(1)}%`)]);
    const header = ['share of CPU', ...builds.map(([label]) => label)];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
    line(header);
    line(widths.map((w) => '-'.repeat(w)));
    rows.forEach(line);
  }
}

const before = argument('before');
const durationSeconds = Number(argument('duration') ?? 10);
const rounds = Number(argument('rounds') ?? 2);
const connections = Number(argument('connections') ?? 20);
const data = await benchData(undefined, demoActorCount(argument('scale') ?? 'small'), console.log);
const dir = await mkdtemp(join(tmpdir(), 'hub-profile-'));
try {
  const checkouts: [string, string][] = before ? [['before', resolve(before)], ['this build', THIS_CHECKOUT]] : [['this build', THIS_CHECKOUT]];
  const runs = new Map<string, Measured[]>(checkouts.map(([label]) => [label, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [label, checkout] of round % 2 ? [...checkouts].reverse() : checkouts) {
      const measured = await profileOnce(checkout, data.databaseUrl, durationSeconds, connections, dir);
      runs.get(label)!.push(measured);
      console.log(`round ${round + 1}/${rounds} ${label}: ${(measured.requests / durationSeconds).toFixed(0)} req/s, ` +
        `CPU per request: subgraphs ${measured.cpuMsPerRequest.subgraphs.toFixed(2)} ms, gateway ${measured.cpuMsPerRequest.gateway.toFixed(2)} ms`);
    }
  }
  printShares(checkouts.map(([label]) => [label, average(runs.get(label)!)]));
} finally {
  if (!process.env.PROFILE_KEEP) await rm(dir, { recursive: true, force: true });
  await data.embedded?.stop();
}
