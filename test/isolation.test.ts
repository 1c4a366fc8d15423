import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '@hub/toolkit/testing';
import { freePort, Supervisor } from '../scripts/src/supervisor.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
// Worker threads load their entry with Node's own loader, not the test
// runner's: this fixture is TypeScript that Node runs as it is (it strips the
// types, Node 22.18 and later), importing nothing but Node's modules.
const GREEDY_PART = new URL('./support/greedy-part.ts', import.meta.url);

async function answerOf(url: string): Promise<string> {
  return (await fetch(url)).text();
}

describe('the supervisor (each part of npm start in a worker with its own heap)', () => {
  let supervisor: Supervisor;
  afterEach(async () => {
    await supervisor?.stop();
  });

  it('restarts a part that runs out of memory, while another part keeps answering', async () => {
    // Two small parts with 64 MB heaps; one is asked to hoard memory until its heap is full.
    supervisor = new Supervisor({ heapMb: 64 });
    const crashes: { name: string; reason: string }[] = [];
    supervisor.on('crash', (name, reason) => crashes.push({ name, reason }));
    const steady = await supervisor.start({ name: 'steady', entry: GREEDY_PART, workerData: { port: await freePort() } });
    const greedy = await supervisor.start({ name: 'greedy', entry: GREEDY_PART, workerData: { port: await freePort() } });

    const steadyAnswers: string[] = [];
    let watching = true;
    const watchSteady = (async () => {
      while (watching) {
        steadyAnswers.push(await answerOf(steady.url).catch((error: Error) => `no answer: ${error.message}`));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    const greedyIsBack = new Promise<string>((resolve) => supervisor.on('ready', (name, url) => name === 'greedy' && resolve(url)));
    const hoarding = fetch(`${greedy.url}grow`).then(
      () => 'answered',
      () => 'connection lost',
    );
    expect(await hoarding).toBe('connection lost');
    expect(await greedyIsBack).toBe(greedy.url);
    expect(await answerOf(greedy.url)).toBe('ok');
    watching = false;
    await watchSteady;

    expect(crashes).toEqual([{ name: 'greedy', reason: expect.stringContaining('ERR_WORKER_OUT_OF_MEMORY') }]);
    expect(steadyAnswers.length).toBeGreaterThan(1);
    expect(new Set(steadyAnswers)).toEqual(new Set(['ok']));
  });

  it('refuses to start a part that stops before it is ready, and does not restart it', async () => {
    // The port is taken, so the part cannot listen.
    supervisor = new Supervisor();
    const taken = await supervisor.start({ name: 'first', entry: GREEDY_PART, workerData: { port: await freePort() } });
    const restarts: string[] = [];
    supervisor.on('restart', (name) => restarts.push(name));

    await expect(
      supervisor.start({ name: 'second', entry: GREEDY_PART, workerData: { port: Number(new URL(taken.url).port) } }),
    ).rejects.toThrow(/second stopped before it was ready: .*EADDRINUSE/);
    expect(restarts).toEqual([]);
  });

  it('stops every part when asked, and none comes back', async () => {
    supervisor = new Supervisor();
    const restarts: string[] = [];
    supervisor.on('restart', (name) => restarts.push(name));
    const parts = [
      await supervisor.start({ name: 'one', entry: GREEDY_PART, workerData: { port: await freePort() } }),
      await supervisor.start({ name: 'two', entry: GREEDY_PART, workerData: { port: await freePort() } }),
    ];

    await supervisor.stop();

    for (const part of parts) await expect(fetch(part.url)).rejects.toThrow();
    expect(restarts).toEqual([]);
  });
});

describe('npm start (scripts/dist/start.js) under the supervisor', () => {
  let dataDir: string;

  // It runs the compiled scripts, as `npm start` does; the suite builds them before any test (test/support/build.ts).
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hub-isolation-'));
  });
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** Runs `node scripts/dist/start.js` on the embedded database, collecting what it prints. */
  function startHub(env: Record<string, string>) {
    const { DATABASE_URL: _, ...inherited } = process.env;
    const hub = spawn(process.execPath, ['scripts/dist/start.js'], { cwd: ROOT, env: { ...inherited, HUB_DATA_DIR: dataDir, ...env } });
    let output = '';
    hub.stdout.on('data', (chunk) => (output += chunk));
    hub.stderr.on('data', (chunk) => (output += chunk));
    const exited = once(hub, 'exit').then(([code]) => code as number | null);
    const printed = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => output.includes(text) && resolve();
        hub.stdout.on('data', check);
        void exited.then((code) => reject(new Error(`the hub exited with ${code} before printing "${text}":\n${output}`)));
        check();
      });
    return { hub, exited, printed, output: () => output };
  }

  it('brings every part up in a worker of its own, answers through the gateway, and stops on Ctrl-C', async () => {
    // The whole hub on the embedded database, as a laptop runs it. PORT=0 gives every part a free port of its
    // own: PORT and the ports after it may be taken on a busy machine (every open connection holds one).
    const { hub, exited, printed, output } = startHub({ PORT: '0' });
    try {
      await printed('Ctrl-C stops the hub');
      for (const name of ['people', 'government', 'partners', 'initiatives', 'search', 'gateway']) expect(output()).toMatch(new RegExp(`^  ${name} +http://localhost:\\d+/graphql`, 'm'));
      const port = Number(/^  gateway +http:\/\/localhost:(\d+)\/graphql/m.exec(output())![1]);

      const answer = await graphql(`http://127.0.0.1:${port}/graphql`, /* GraphQL */ `{
        province(code: "TH-80") { nameEn peopleOrganizations { totalCount } }
        officialOrders { id }
        search(text: "นครศรีธรรมราช", first: 1) { nodes { node { ... on Province { code } } } }
      }`);
      expect(answer).toEqual({
        data: {
          province: { nameEn: 'Nakhon Si Thammarat', peopleOrganizations: { totalCount: 2 } },
          officialOrders: [{ id: 'ord_2006_02_28' }],
          search: { nodes: [{ node: { code: 'TH-80' } }] },
        },
      });

      hub.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(output()).toContain('stopped.');
      expect(output()).not.toMatch(/crashed/);
      await expect(fetch(`http://127.0.0.1:${port}/graphql`)).rejects.toThrow();
    } finally {
      if (hub.exitCode === null) hub.kill('SIGKILL');
    }
  }, 120_000);

  it('gives each part the heap limit HUB_PART_HEAP_MB sets, and refuses to start when a part cannot fit in it', async () => {
    // 16 MB is far less than a subgraph needs to load: the first one runs out of memory while starting.
    const { hub, exited, output } = startHub({ PORT: String(await freePort()), HUB_PART_HEAP_MB: '16' });
    try {
      expect(await exited).not.toBe(0);
      expect(output()).toMatch(/people stopped before it was ready: ERR_WORKER_OUT_OF_MEMORY/);
      expect(output()).not.toContain('Ctrl-C stops the hub');
    } finally {
      if (hub.exitCode === null) hub.kill('SIGKILL');
    }
  }, 120_000);
});
