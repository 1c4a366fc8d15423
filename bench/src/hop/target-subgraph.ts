import { startSubgraph } from '@hub/toolkit';
import { SUBGRAPHS } from '@hub/scripts/subgraphs';
import { runTarget } from '../peers/child.js';
import { HOP_ENV, required } from './protocol.js';

// The hub's people subgraph in a process of its own, started as `npm start`
// starts it (scripts/src/part.ts): its schema migrated, the data left as the
// harness seeded it, request logging at the caller's LOG_LEVEL.
await runTarget(async () => {
  const people = SUBGRAPHS.find((s) => s.name === 'people')!;
  const subgraph = await startSubgraph(people, { databaseUrl: required(HOP_ENV.databaseUrl), port: 0, host: '127.0.0.1', seed: false });
  return { url: subgraph.url, stop: () => subgraph.stop() };
});
