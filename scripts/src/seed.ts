import cliProgress from 'cli-progress';
import { databaseUrlFor, startEmbeddedPostgres, type EmbeddedPostgres } from '@hub/toolkit';
import {
  DEFAULT_DEMO_SEED,
  DEMO_PRESETS,
  DemoScaleError,
  demoActorCount,
  generateDemo,
  MAX_DEMO_ACTORS,
  MIN_DEMO_ACTORS,
  type DemoProgress,
  type DemoResult,
} from './demo.js';
import { embeddedDataDir } from './hub.js';
import { SUBGRAPHS } from './subgraphs.js';

/**
 * `npm run seed -- --scale <preset|actors> [--seed N]`: replaces the demo
 * data (every row with demo = true) of all four subgraphs, after migrating
 * them and seeding the source document's facts if the database is new.
 */

const USAGE = `Usage: npm run seed -- --scale <${Object.keys(DEMO_PRESETS).join('|')}|ACTORS> [--seed N]

  --scale  ${Object.entries(DEMO_PRESETS)
    .map(([name, actors]) => `${name} ${actors.toLocaleString('en')}`)
    .join(', ')} actors, or a number of actors
           from ${MIN_DEMO_ACTORS} to ${MAX_DEMO_ACTORS.toLocaleString('en')}. national gives 600,000 participations and
           400,000 links; other scales keep the same proportions.
  --seed   seed of the generator (default ${DEFAULT_DEMO_SEED}): the same scale and seed give the same data.

Writes to DATABASE_URL (or a subgraph's own <NAME>_DATABASE_URL) when set, else to
the embedded database in .data/pglite (HUB_DATA_DIR names another folder), which
only one process can use at a time: stop \`npm start\` first. Earlier demo rows are
replaced; seeded facts are kept.`;

class UsageError extends Error {}

interface Arguments {
  scale: string;
  seed: number;
}

function parseArguments(argv: readonly string[]): Arguments | 'help' {
  let scale: string | undefined;
  let seed: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return 'help';
    const match = /^--(scale|seed)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`Unknown argument "${arg}".`);
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === '' || (match[2] === undefined && value.startsWith('--'))) {
      throw new UsageError(`--${match[1]} needs a value.`);
    }
    if (match[1] === 'scale') scale = value;
    else seed = value;
  }
  if (scale === undefined) throw new UsageError('Say how much data to make with --scale.');
  let seedNumber = DEFAULT_DEMO_SEED;
  if (seed !== undefined) {
    if (!/^\d+$/.test(seed) || Number(seed) > 0xffffffff) throw new UsageError(`--seed must be a whole number from 0 to 4294967295, not "${seed}".`);
    seedNumber = Number(seed);
  }
  return { scale, seed: seedNumber };
}

const number = (n: number) => n.toLocaleString('en');

/** Progress bars on a terminal: the whole run and the table being written. Elsewhere, a line per table. */
function progressReporter(totalRows: number): { onProgress: (p: DemoProgress) => void; stop(): void } {
  if (!process.stderr.isTTY) {
    return {
      onProgress(p) {
        if (p.done) console.log(`  ${`${p.subgraph}.${p.table}`.padEnd(32)} ${number(p.total).padStart(9)} rows`);
      },
      stop() {},
    };
  }
  const bars = new cliProgress.MultiBar(
    {
      format: '{name} {bar} {percentage}% {value}/{total} {duration_formatted}',
      barsize: 20,
      hideCursor: true,
      clearOnComplete: false,
      formatValue: (value, _options, type) => (type === 'value' || type === 'total' ? number(value) : String(value)),
    },
    cliProgress.Presets.shades_classic,
  );
  const overall = bars.create(totalRows, 0, { name: 'all tables'.padEnd(28) });
  let current: { key: string; bar: cliProgress.SingleBar } | undefined;
  return {
    onProgress(p) {
      const key = `${p.subgraph}.${p.table}`;
      if (current?.key !== key) current = { key, bar: bars.create(p.total, 0, { name: key.padEnd(28) }) };
      current.bar.update(p.written);
      overall.update(p.allWritten);
    },
    stop() {
      bars.stop();
    },
  };
}

function printSummary(result: DemoResult): void {
  const rows = result.tables.map((t) => [`${t.subgraph}.${t.table}`, number(t.rows), number(t.deleted), t.seconds.toFixed(1)]);
  const sum = (pick: (t: DemoResult['tables'][number]) => number) => result.tables.reduce((a, t) => a + pick(t), 0);
  rows.push(['total', number(sum((t) => t.rows)), number(sum((t) => t.deleted)), sum((t) => t.seconds).toFixed(1)]);
  const header = ['table', 'rows', 'replaced', 'seconds'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ');
  console.log('');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('   '));
  rows.forEach((r, i) => {
    if (i === rows.length - 1) console.log(widths.map((w) => '-'.repeat(w)).join('   '));
    console.log(line(r));
  });
  console.log('');
  console.log(
    `${number(result.actors)} demo actors, seed ${result.seed}, ${result.factRows ? `${number(result.factRows)} fact rows seeded first, ` : ''}done in ${result.seconds.toFixed(1)} s.`,
  );
  console.log(`digest ${result.digest} (the same scale and seed always give the same digest)`);
}

async function main(): Promise<number> {
  let args: Arguments;
  let actors: number;
  try {
    const parsed = parseArguments(process.argv.slice(2));
    if (parsed === 'help') {
      console.log(USAGE);
      return 0;
    }
    args = parsed;
    actors = demoActorCount(args.scale);
  } catch (error) {
    if (error instanceof UsageError || error instanceof DemoScaleError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }

  // Each subgraph's own database when it has one, else the shared one, else the embedded one.
  let embedded: EmbeddedPostgres | undefined;
  const stopEmbedded = async () => {
    if (!embedded) return;
    const running = embedded;
    embedded = undefined;
    // PGlite's close settles only while something keeps the event loop alive.
    const keepAlive = setInterval(() => {}, 1000);
    try {
      await running.stop();
    } finally {
      clearInterval(keepAlive);
    }
  };
  const interrupted = (signal: string) => {
    console.error(
      `\n${signal}: stopping. Each subgraph is written in one transaction: those finished keep their new demo rows, ` +
        'the one being written keeps its earlier ones. Run the seed again for consistent demo data.',
    );
    void stopEmbedded().finally(() => process.exit(130));
  };
  process.once('SIGINT', () => interrupted('SIGINT'));
  process.once('SIGTERM', () => interrupted('SIGTERM'));

  const urls = new Map(SUBGRAPHS.map((s) => [s.name, databaseUrlFor(s.name)]));
  if ([...urls.values()].some((url) => !url)) {
    const dataDir = embeddedDataDir();
    try {
      embedded = await startEmbeddedPostgres({ dataDir });
    } catch (error) {
      console.error(`Could not open the embedded database in ${dataDir}: ${(error as Error).message}`);
      return 1;
    }
    console.log(`embedded PostgreSQL (PGlite), data in ${dataDir}`);
  }

  try {
    const embeddedUrl = embedded?.url;
    const urlOf = (name: string) => urls.get(name) ?? embeddedUrl!;
    console.log(`Seeding demo data: ${number(actors)} actors, seed ${args.seed}.`);
    let progress: ReturnType<typeof progressReporter> | undefined;
    const result = await generateDemo({ scale: actors, seed: args.seed }, urlOf, (p) => {
      // Bars start once the database is migrated and the facts are in, when the totals are known.
      progress ??= progressReporter(p.allTotal);
      progress.onProgress(p);
    }).finally(() => progress?.stop());
    printSummary(result);
    return 0;
  } finally {
    await stopEmbedded();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
}
// Everything is closed by now; should some handle still keep the process alive, exit anyway.
setTimeout(() => process.exit(), 3000).unref();
