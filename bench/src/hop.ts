import { fileURLToPath } from 'node:url';
import { runInterruptibly } from './peers/command.js';
import { runHop } from './hop/harness.js';
import { loadKnobsFromArgs } from './peers/record.js';

/**
 * `npm run bench:hop [-- --duration 5 --rounds 2 --connections 20]`: one
 * entity from the hub's people subgraph beside a bare @apollo/subgraph + pg
 * server over the same SDL, and one actor asked through the hub's gateway
 * beside the same question asked of the subgraph straight (see hop/harness.ts).
 * Prints a table, writes bench/results/hop-<date>.json. Ctrl-C stops every
 * process it started.
 *
 * Also: --warmup <s> (min(3, duration) by default), --scale (small by default).
 * DATABASE_URL picks the server, as for the other benches; without it, an embedded one.
 */

export { runHop, type HopOptions, type HopResult } from './hop/harness.js';

async function main() {
  await runInterruptibly('the subgraphs and the gateway', (signal) => runHop({ ...loadKnobsFromArgs(), signal }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
