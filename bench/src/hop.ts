import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runInterruptibly } from './peers/command.js';
import { runHop } from './hop/harness.js';

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
  const { values } = parseArgs({
    options: {
      scale: { type: 'string' },
      duration: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      warmup: { type: 'string' },
    },
  });
  const number = (name: keyof typeof values) => {
    const value = values[name];
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n)) throw new Error(`--${name} takes a number, not "${value}"`);
    return n;
  };
  const duration = number('duration');
  const rounds = number('rounds');
  const connections = number('connections');
  const warmup = number('warmup');
  await runInterruptibly('the subgraphs and the gateway', (signal) =>
    runHop({
      scale: values.scale ?? process.env.BENCH_SCALE ?? 'small',
      ...(duration !== undefined ? { durationSeconds: duration } : {}),
      ...(rounds !== undefined ? { rounds } : {}),
      ...(connections !== undefined ? { connections } : {}),
      ...(warmup !== undefined ? { warmupSeconds: warmup } : {}),
      signal,
    }),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
