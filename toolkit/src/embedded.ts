import { mkdir } from 'node:fs/promises';
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
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
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
    },
  };
}
