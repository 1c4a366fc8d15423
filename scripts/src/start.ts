import { gatewaySecrets, logger, stopOnSignals } from '@hub/server';
import { startEmbeddedPostgres } from '@hub/toolkit';
import { embeddedDataDir } from './hub.js';
import type { GatewayPartData, SubgraphPartData } from './part.js';
import { SUBGRAPHS } from './subgraphs.js';
import { freePort, partHeapMbFromEnv, Supervisor, type RunningPart } from './supervisor.js';

/**
 * `npm start`: the whole hub on a laptop. Without DATABASE_URL it runs an
 * embedded PostgreSQL whose data lives in .data/pglite and survives restarts.
 * Each subgraph and the gateway runs in a worker thread with a heap of its own
 * (HUB_PART_HEAP_MB), so a request that eats memory takes down one part, which
 * is restarted, and not the whole hub.
 */
// On a laptop the terminal shows warnings only; LOG_LEVEL=info shows a JSON line per request.
// Set in the environment too: each worker loads its own logger from it.
if (!process.env.LOG_LEVEL) {
  process.env.LOG_LEVEL = 'warn';
  logger.level = 'warn';
}
// Each worker would warn about the development secret on its own: warn once here and hand the secret on.
process.env.HUB_GATEWAY_SECRET ||= gatewaySecrets().current;
const parts: { stop(): Promise<void> }[] = [];
let databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  // In this thread, so it outlives any part. Each subgraph's pool holds up to 10
  // connections: five use 50 of its 64. A crashed worker's connections close
  // with its thread (an open transaction is rolled back), so restarts leak none.
  const dataDir = embeddedDataDir();
  const embedded = await startEmbeddedPostgres({ dataDir });
  parts.push(embedded);
  databaseUrl = embedded.url;
  console.log(`embedded PostgreSQL (PGlite) at ${embedded.url}, data in ${dataDir}`);
}

const requestedPort = Number(process.env.PORT ?? 4000);
const portOf = (offset: number) => (requestedPort === 0 ? freePort() : Promise.resolve(requestedPort + offset));
const part = new URL('./part.js', import.meta.url);
const supervisor = new Supervisor({ heapMb: partHeapMbFromEnv() });
parts.push(supervisor);

try {
  // One after another: each migrates its own schema, and PGlite serves one session at a time anyway.
  const subgraphs: RunningPart[] = [];
  for (const [index, definition] of SUBGRAPHS.entries()) {
    const workerData: SubgraphPartData = {
      kind: 'subgraph',
      name: definition.name,
      port: await portOf(index + 1),
      databaseUrl,
      seed: true,
      subgraphUrls: Object.fromEntries(subgraphs.map((subgraph) => [subgraph.name, subgraph.url])),
    };
    subgraphs.push(await supervisor.start({ name: definition.name, entry: part, workerData }));
  }
  const gatewayData: GatewayPartData = {
    kind: 'gateway',
    port: await portOf(0),
    subgraphUrls: Object.fromEntries(subgraphs.map((subgraph) => [subgraph.name, subgraph.url])),
  };
  const gateway = await supervisor.start({ name: 'gateway', entry: part, workerData: gatewayData });

  console.log('');
  // Bound to the loopback interface; "localhost" is the address a browser knows it by.
  const local = (url: string) => url.replace('127.0.0.1', 'localhost');
  for (const subgraph of subgraphs) console.log(`  ${subgraph.name.padEnd(12)} ${local(subgraph.url)}`);
  console.log(`  ${'gateway'.padEnd(12)} ${local(gateway.url)}   <- open this in a browser for the GraphQL IDE`);
  console.log('\nReading needs no token. To change data, or to read contact details and histories, get one:');
  console.log('  npm run -s token -- --agency gov_th80_centre --role editor');
  console.log('and send it as "Authorization: Bearer <token>" (the IDE has a headers pane).');
  console.log('\nCtrl-C stops the hub.');
  stopOnSignals(parts);
} catch (error) {
  // A part that does not come up the first time is a mistake to fix, not a crash to ride out.
  for (const started of [...parts].reverse()) await started.stop();
  throw error;
}
