import './peers/quiet.js';
import { fileURLToPath } from 'node:url';
import { argument, numberArgument, runInterruptibly } from './peers/command.js';
import { loadKnobsFromArgs } from './peers/record.js';
import { runPeers } from './peers/harness.js';
import type { DirectReplay } from './peers/protocol.js';

/**
 * `npm run bench:peers [-- --scale small --duration 10 --connections 20 --rounds 2]`:
 * the hub's gateway (response cache off, and on) against stock Apollo
 * Gateway, Hive Gateway, the subgraph calls replayed with no gateway
 * ("direct") and the floor (the same answers from hand-written SQL), under
 * the same load over the same subgraphs (see peers/harness.ts). Prints a
 * table, each one's throughput as a share of the floor's and the goals,
 * writes bench/results/peers-<date>.json and bench/peers.svg. Ctrl-C stops
 * every part it started.
 *
 * Also: --warmup <s> (min(3, duration) by default), --direct-replay plan|sequential,
 * --hive-dedup true|false (Hive's in-flight subgraph request sharing, on by default),
 * --solo <n> (sequential requests per operation and target for the per-operation table; 3),
 * --only/--skip <Name,Name> (operations of examples/ by name or file; all by default).
 * DATABASE_URL picks the server, as for `npm run bench:scale`; without it, an embedded one.
 */

export { runPeers, type PeersOptions, type PeersResult } from './peers/harness.js';

async function main() {
  const replay = argument('direct-replay');
  const dedup = argument('hive-dedup');
  if (dedup !== undefined && dedup !== 'true' && dedup !== 'false') throw new Error('--hive-dedup is true or false');
  if (replay !== undefined && replay !== 'plan' && replay !== 'sequential') throw new Error('--direct-replay is plan or sequential');
  await runInterruptibly('the targets and the subgraphs', (signal) =>
    runPeers({
      ...loadKnobsFromArgs(),
      ...(replay ? { directReplay: replay as DirectReplay } : {}),
      ...(dedup ? { hiveDedup: dedup === 'true' } : {}),
      ...(argument('only') ? { only: argument('only')!.split(',') } : {}),
      ...(argument('skip') ? { skip: argument('skip')!.split(',') } : {}),
      ...(numberArgument('solo') !== undefined ? { soloRepeats: numberArgument('solo')! } : {}),
      signal,
    }),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
