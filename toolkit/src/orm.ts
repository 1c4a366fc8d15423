import { DefaultLogger, MikroORM, type LoggerOptions, type Options } from '@mikro-orm/postgresql';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import type { Migration } from '@mikro-orm/migrations';
import { traceQuery, tracingEnabled } from '@hub/server';

export type { MikroORM, EntityManager } from '@mikro-orm/postgresql';

export interface OrmOptions {
  /** The PostgreSQL schema the subgraph owns; its tables and migration log live there. */
  schema: string;
  clientUrl: string;
  entities: Function[];
  migrations: { name: string; class: new (...args: any[]) => Migration }[];
  /** Called with every SQL statement the ORM sends: used to count statements in tests. */
  onQuery?: (sql: string) => void;
  poolSize?: number;
}

/** Passes every statement to a listener (tests count them) and to the trace; prints nothing. */
class QueryListeningLogger extends DefaultLogger {
  constructor(options: LoggerOptions, private readonly onQuery?: (sql: string) => void) {
    super(options);
  }

  override logQuery(context: { query: string; took?: number; enabled?: boolean }): void {
    // What a part reads on its own, apart from any request (its change feed), is sent with `enabled: false`.
    if (context.enabled === false) return;
    this.onQuery?.(context.query);
    traceQuery(context.query, context.took);
  }
}

export function ormConfig(options: OrmOptions): Options {
  const { onQuery } = options;
  return {
    clientUrl: options.clientUrl,
    schema: options.schema,
    entities: options.entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    pool: { min: 0, max: options.poolSize ?? 10 },
    // Fail fast instead of hanging when the database is away: a request gets a
    // clear error, and the pool reconnects by itself once the database is back.
    driverOptions: { connectionTimeoutMillis: 5_000, query_timeout: 30_000 },
    migrations: {
      migrationsList: options.migrations,
      tableName: 'mikro_orm_migrations',
      snapshot: false,
      silent: true,
    },
    // A fresh EntityManager is forked for every request; the global one is
    // never used to load data, so identity maps never leak between requests.
    allowGlobalContext: false,
    ...(onQuery || tracingEnabled()
      ? { debug: ['query' as const], loggerFactory: (o: LoggerOptions) => new QueryListeningLogger(o, onQuery) }
      : {}),
  };
}

export async function createOrm(options: OrmOptions): Promise<MikroORM> {
  return MikroORM.init(ormConfig(options));
}

/** Creates the subgraph's schema if needed and applies its pending migrations. */
export async function migrate(orm: MikroORM): Promise<void> {
  const schema = orm.config.get('schema');
  await orm.em.getConnection().execute(`create schema if not exists "${schema}"`);
  await orm.migrator.up();
}
