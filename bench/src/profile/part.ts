import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/**
 * One part of the hub under the profiler, from a given checkout's build: the
 * four subgraphs in one process, or the gateway in another (as the peers
 * bench runs them). Started by ../profile.ts, told over IPC when to start and
 * stop sampling; it says where it listens, and the CPU time it used between
 * start and stop.
 *
 * The parts are loaded from PROFILE_CHECKOUT's dist folders, so an earlier
 * commit, built in a worktree of its own, is profiled by the same code.
 */

export type PartMessage =
  | { type: 'ready'; urls: Record<string, string> }
  | { type: 'started' }
  | { type: 'stopped'; cpuMicros: number };
export type DriverMessage = { type: 'start' } | { type: 'stop'; file: string } | { type: 'exit' };

const SAMPLING_MICROS = 200;

async function start(kind: string, checkout: string): Promise<{ urls: Record<string, string>; stop(): Promise<void> }> {
  if (kind === 'subgraphs') {
    const { startSubgraph } = await import(`${checkout}/toolkit/dist/index.js`);
    const { SUBGRAPHS } = await import(`${checkout}/scripts/dist/subgraphs.js`);
    const running: { name: string; url: string; stop(): Promise<void> }[] = [];
    for (const definition of SUBGRAPHS) {
      // The search subgraph, last, reads the others through their API.
      const subgraphUrls = Object.fromEntries(running.map((s) => [s.name, s.url]));
      running.push(await startSubgraph(definition, { databaseUrl: process.env.PROFILE_DATABASE_URL, port: 0, seed: false, subgraphUrls }));
    }
    return { urls: Object.fromEntries(running.map((s) => [s.name, s.url])), stop: async () => void (await Promise.all(running.map((s) => s.stop()))) };
  }
  const { createGateway, serveGateway } = await import(`${checkout}/gateway/dist/gateway.js`);
  const gateway = createGateway({
    supergraph: { path: `${checkout}/schema/supergraph.graphql` },
    subgraphUrls: JSON.parse(process.env.PROFILE_SUBGRAPH_URLS!),
    // The gateway's own work on every request: no answer served from its cache.
    responseCache: { ttlMs: 0, maxBytes: 0 },
  });
  const served = await serveGateway(gateway, { port: 0, host: '127.0.0.1' });
  return { urls: { gateway: served.url }, stop: () => served.close() };
}

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_MICROS });
const part = await start(process.argv[2]!, process.env.PROFILE_CHECKOUT!);
const send = (message: PartMessage) => process.send!(message);
let cpuAtStart = process.cpuUsage();
process.on('message', async (message: DriverMessage) => {
  if (message.type === 'start') {
    cpuAtStart = process.cpuUsage();
    await session.post('Profiler.start');
    send({ type: 'started' });
  } else if (message.type === 'stop') {
    const cpu = process.cpuUsage(cpuAtStart);
    const { profile } = await session.post('Profiler.stop');
    await writeFile(message.file, JSON.stringify(profile));
    send({ type: 'stopped', cpuMicros: cpu.user + cpu.system });
  } else {
    await part.stop();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', urls: part.urls });
