import { fileURLToPath } from 'node:url';

/**
 * What the harness and its child processes say to each other over Node's IPC
 * channel. Kept free of heavy imports: every target child loads it, and a
 * target's memory should be its own gateway's, not the harness's.
 */

export const TARGETS = ['hub', 'hub-cached', 'apollo', 'hive', 'direct', 'floor'] as const;
export type TargetName = (typeof TARGETS)[number];

/**
 * How a run names each target. The hub runs twice: with its response cache
 * off (the gateway's own work, what the goals are about) and on (as deployed).
 * "direct" replays the subgraph calls a gateway makes, with no gateway;
 * "floor" answers from hand-written SQL with no gateway and no subgraphs.
 */
export const TARGET_LABELS: Record<TargetName, string> = {
  hub: 'hub, cache off',
  'hub-cached': 'hub, cache on',
  apollo: 'stock Apollo',
  hive: 'Hive Gateway',
  direct: 'direct subgraph calls',
  floor: 'floor (SQL)',
};

/** How the direct target replays an operation's subgraph requests. */
export type DirectReplay = 'plan' | 'sequential';

/**
 * The compiled child scripts. Always dist/: the children run under plain
 * `node`, also when the harness itself runs from source (vitest), so the
 * caller builds first (`tsc -b`).
 */
export const DIST_DIR = fileURLToPath(new URL('../../dist/peers/', import.meta.url));
export const targetScript = (name: TargetName) => `${DIST_DIR}target-${name === 'hub-cached' ? 'hub' : name}.js`;
export const LOAD_SCRIPT = `${DIST_DIR}load.js`;

/** Environment of a target child. */
export const ENV = {
  /** JSON object: subgraph name to its URL. */
  subgraphUrls: 'PEERS_SUBGRAPH_URLS',
  /** The supergraph file. */
  supergraph: 'PEERS_SUPERGRAPH',
  /** The examples folder (the direct target records each operation in it). */
  examples: 'PEERS_EXAMPLES',
  /** `plan` or `sequential` (direct target only). */
  directReplay: 'PEERS_DIRECT_REPLAY',
  /** `false` turns off Hive Gateway's deduplication of identical in-flight subgraph requests (on by default). */
  hiveDedup: 'PEERS_HIVE_DEDUP',
  /** The database the subgraphs serve (the floor target reads it directly). */
  databaseUrl: 'PEERS_DATABASE_URL',
} as const;

export interface CpuTimes {
  user: number;
  system: number;
}

// Child -> harness
export interface ReadyMessage {
  type: 'ready';
  url: string;
  /** Anything the target wants recorded, e.g. the direct target's recording. */
  info?: unknown;
}
export interface SampleMessage {
  type: 'sample';
  id: number;
  rss: number;
  /** Highest RSS seen since the last reset, sampled every 50 ms. */
  peakRss: number;
  cpu: CpuTimes;
  /** SQL statements the target itself has sent so far, for a target that talks to the database (the floor). */
  sqlStatements?: number;
}
export type ChildMessage = ReadyMessage | SampleMessage;

// Harness -> child
export type HarnessMessage = { type: 'reset' } | { type: 'sample'; id: number };

// Harness -> load generator
export interface LoadRequest {
  type: 'run';
  url: string;
  connections: number;
  durationSeconds: number;
  operations: { name: string; body: string }[];
  /** Requests slower than this, in ms, are counted by operation (`slow`, `slowUnanswered`); none are when unset. */
  slowMs?: number;
  /** Headers sent with every request beside content-type and accept, e.g. the signed identity a subgraph requires. */
  headers?: Record<string, string>;
}

/** What the load generator saw of one operation. */
export interface OperationCounts {
  responses: number;
  graphqlErrors: number;
  non2xx: number;
  /** How many errors carried each `extensions.code` (`UNCODED` for none), in 2xx and other answers alike. */
  errorCodes: Record<string, number>;
  /** Its slowest response. */
  maxMs: number;
  /** Responses slower than the run's `slowMs`. */
  slow: number;
  /** Requests never answered (timed out, or still waiting when the run ended) after waiting longer than `slowMs`. */
  slowUnanswered: number;
  firstError?: string;
}

// Load generator -> harness
export interface LoadResult {
  type: 'result';
  /** Responses received, whatever their status. */
  responses: number;
  durationSeconds: number;
  latencyMs: { p50: number; p95: number; p99: number; mean: number; max: number };
  non2xx: number;
  /** Connection errors and timeouts (autocannon's `errors`, timeouts included). */
  socketErrors: number;
  timeouts: number;
  /** 2xx responses whose body carries a non-empty GraphQL `errors`. */
  graphqlErrors: number;
  byOperation: Record<string, OperationCounts>;
  /** CPU the load generator itself used during the run. */
  cpu: CpuTimes;
}
