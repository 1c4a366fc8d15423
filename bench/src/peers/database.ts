import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@hub/toolkit';
import { DEFAULT_DEMO_SEED, generateDemo, planDemo } from '@hub/scripts/demo';
import { embeddedDataDir } from '@hub/scripts/hub';

/**
 * The bench database, one for every bench, so they share a seeded dataset and
 * the national seed is paid once: on DATABASE_URL's server a database named
 * `hub_bench_<actors>_<seed>` (created when missing, kept between runs), else
 * an embedded PostgreSQL kept in `<data dir>-bench-<actors>`.
 */
export async function benchDatabase(actors: number, log: (line: string) => void): Promise<{ url: string; embedded?: EmbeddedPostgres }> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    const dataDir = `${embeddedDataDir()}-bench-${actors}`;
    log(`no DATABASE_URL: embedded PostgreSQL in ${dataDir}`);
    const embedded = await startEmbeddedPostgres({ dataDir });
    return { url: embedded.url, embedded };
  }
  const name = `hub_bench_${actors}_${DEFAULT_DEMO_SEED}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.href };
}

/** Seeds the demo data for `actors` unless exactly that is already there. */
export async function ensureDemoData(url: string, actors: number, log: (line: string) => void): Promise<'reused' | 'seeded'> {
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  try {
    const expected = planDemo(actors).counts;
    const present = await sql
      .query(`select count(*)::int as n from initiatives.participation where demo`)
      .then((r) => r.rows[0].n as number)
      .catch(() => -1);
    if (present === expected.participation) {
      log(`demo data for ${actors.toLocaleString('en')} actors already in place`);
      return 'reused';
    }
    log(`seeding demo data for ${actors.toLocaleString('en')} actors...`);
    const result = await generateDemo({ scale: actors }, url);
    log(`seeded in ${result.seconds.toFixed(0)} s`);
    await sql.query('analyze');
    return 'seeded';
  } finally {
    await sql.end();
  }
}

/** The data a bench runs on: the database it was given, else its own (see benchDatabase), with the demo data seeded once. */
export async function benchData(
  given: string | undefined,
  actors: number,
  log: (line: string) => void,
): Promise<{ databaseUrl: string; embedded?: EmbeddedPostgres; dataset: 'reused' | 'seeded' }> {
  const database = given ? { url: given } : await benchDatabase(actors, log);
  const dataset = await ensureDemoData(database.url, actors, log);
  return { databaseUrl: database.url, ...('embedded' in database && database.embedded ? { embedded: database.embedded } : {}), dataset };
}
