import pg from 'pg';

/**
 * The floor's one connection pool, sized like each subgraph's (10), and the
 * only way its operations reach PostgreSQL: each statement is a named
 * prepared statement (parsed and planned once per connection), and each is
 * counted, so the bench can give the floor's SQL statements per operation
 * beside the subgraphs'.
 */
export class FloorDatabase {
  private readonly pool: pg.Pool;
  statements = 0;

  constructor(connectionString: string) {
    // Idle connections stay open: the bench reads PostgreSQL's CPU from its live backends, and one that exits takes its time with it.
    this.pool = new pg.Pool({ connectionString, max: 10, idleTimeoutMillis: 0 });
    // An idle connection that fails (the server restarting) must not take the process down.
    this.pool.on('error', () => {});
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
