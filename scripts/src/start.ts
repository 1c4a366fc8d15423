import { logger, startEmbeddedPostgres, startTracing, stopOnSignals } from '@hub/toolkit';
import { embeddedDataDir, startHub } from './hub.js';

/**
 * `npm start`: the whole hub on a laptop. Without DATABASE_URL it runs an
 * embedded PostgreSQL whose data lives in .data/pglite and survives restarts.
 */
// On a laptop the terminal shows warnings only; LOG_LEVEL=info shows a JSON line per request.
if (!process.env.LOG_LEVEL) logger.level = 'warn';
const parts: { stop(): Promise<void> }[] = [{ stop: startTracing('anti-poverty-hub') }];
let databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  const dataDir = embeddedDataDir();
  const embedded = await startEmbeddedPostgres({ dataDir });
  parts.push(embedded);
  databaseUrl = embedded.url;
  console.log(`embedded PostgreSQL (PGlite) at ${embedded.url}, data in ${dataDir}`);
}

const port = Number(process.env.PORT ?? 4000);
const hub = await startHub({ databaseUrl, port, seed: true });
parts.push(hub);

console.log('');
// Bound to the loopback interface; "localhost" is the address a browser knows it by.
const local = (url: string) => url.replace('127.0.0.1', 'localhost');
for (const subgraph of hub.subgraphs) console.log(`  ${subgraph.name.padEnd(12)} ${local(subgraph.url)}`);
console.log(`  ${'gateway'.padEnd(12)} ${local(hub.gatewayUrl)}   <- open this in a browser for the GraphQL IDE`);
console.log('\nReading needs no token. To change data, or to read contact details and histories, get one:');
console.log('  npm run -s token -- --agency gov_th80_centre --role editor');
console.log('and send it as "Authorization: Bearer <token>" (the IDE has a headers pane).');
console.log('\nCtrl-C stops the hub.');
stopOnSignals(parts);
