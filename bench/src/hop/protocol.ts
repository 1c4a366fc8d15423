import { fileURLToPath } from 'node:url';

/**
 * The hop bench's own child scripts and their settings. Kept free of heavy
 * imports, as peers/protocol.ts is: the bare subgraph imports it, and its
 * memory should be its own server's.
 */

/** Compiled, like the peers bench's children: the caller builds first (`tsc -b`). */
const DIST_DIR = fileURLToPath(new URL('../../dist/hop/', import.meta.url));
export const HUB_SUBGRAPH_SCRIPT = `${DIST_DIR}target-subgraph.js`;
export const BARE_SUBGRAPH_SCRIPT = `${DIST_DIR}target-bare.js`;

/** Environment of the two subgraph children, beside what peers/child.ts reads. */
export const HOP_ENV = {
  /** The database both subgraphs read. */
  databaseUrl: 'HOP_DATABASE_URL',
  /** The people subgraph's committed SDL (schema/people.graphql), which the bare subgraph serves. */
  peopleSdl: 'HOP_PEOPLE_SDL',
} as const;

/** Reads a setting the harness gives its children; a child started by hand says what it lacks. */
export function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: this script is started by bench/dist/hop.js`);
  return value;
}
