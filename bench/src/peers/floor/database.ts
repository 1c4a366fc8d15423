import pg from 'pg';

/**
 * The floor's one connection pool, sized like each subgraph's (10; see open), and the
 * only way its operations reach PostgreSQL: each statement is a named
 * prepared statement (parsed and planned once per connection), and each is
 * counted, so the bench can give the floor's SQL statements per operation
 * beside the subgraphs'.
 */
export class FloorDatabase {
  private readonly pool: pg.Pool;
  statements = 0;

  private constructor(connectionString: string, connections: number) {
    // Idle connections stay open: the bench reads PostgreSQL's CPU from its live backends, and one that exits takes its time with it.
    this.pool = new pg.Pool({ connectionString, max: connections, idleTimeoutMillis: 0 });
    // An idle connection that fails (the server restarting) must not take the process down.
    this.pool.on('error', () => {});
  }

  /**
   * The pool for a server. The embedded database (PGlite) is one backend
   * behind all its connections, so its prepared statements are shared and a
   * second connection preparing the same name is refused: there, one
   * connection, which is all that backend serves at a time anyway.
   */
  static async open(connectionString: string): Promise<FloorDatabase> {
    const probe = new pg.Client({ connectionString });
    await probe.connect();
    try {
      const { rows } = await probe.query<{ version: string }>('select version()');
      return new FloorDatabase(connectionString, rows[0]!.version.includes('PGlite') ? 1 : 10);
    } finally {
      await probe.end();
    }
  }

  /** The rows of a named statement. */
  async rows<Row>(name: string, text: string, values: unknown[]): Promise<Row[]> {
    this.statements++;
    const result = await this.pool.query({ name, text, values });
    return result.rows as Row[];
  }

  /** The text of a statement's one value: the statements that build their answer's JSON in SQL (cast to text, so it is never parsed here). */
  async json(name: string, text: string, values: unknown[]): Promise<string> {
    this.statements++;
    const result = await this.pool.query({ name, text, values, rowMode: 'array' });
    return (result.rows[0] as [string])[0];
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}
