import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A connection string the ordinary PostgreSQL driver can use. */
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder that keeps the data across restarts; in memory when omitted. */
  dataDir?: string;
  /** TCP port on 127.0.0.1; a free one when 0 or omitted. */
  port?: number;
  /**
   * PGlite is one session underneath: every pooled connection of every
   * subgraph needs a slot, or connections queue until the socket frees one.
   */
  maxConnections?: number;
}

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served on a local TCP socket so
 * the subgraphs reach it through the same driver they use for a real server.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const unlock = options.dataDir ? await lockDataDir(options.dataDir) : async () => {};
  // pg_trgm backs name search; a real server has it in postgresql-contrib.
  const db = await PGlite.create(options.dataDir ?? 'memory://', { extensions: { pg_trgm } });
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: options.port ?? 0,
    maxConnections: options.maxConnections ?? 64,
  });
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgresql://postgres@${address}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
      await unlock();
    },
  };
}

export class DataDirInUseError extends Error {}

/**
 * PGlite does not refuse a second process on the same folder, and two would
 * corrupt it; a lock file naming the owning process does. A lock left by a
 * process that no longer runs (killed) is taken over.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const lockFile = join(dataDir, 'hub.lock');
  const owner = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
  if (owner && owner !== process.pid && isRunning(owner)) {
    throw new DataDirInUseError(
      `The embedded database in ${dataDir} is in use by process ${owner}. It serves one process at a time: ` +
        'stop that process (npm start, or a seed) and try again, or set DATABASE_URL to use a PostgreSQL server.',
    );
  }
  await writeFile(lockFile, String(process.pid));
  return () => rm(lockFile, { force: true });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
