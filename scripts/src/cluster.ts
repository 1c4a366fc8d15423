import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * `npm run cluster`: the hub as it is deployed on many machines, brought up
 * on this one with the real parts, each a process of its own:
 *
 * - five PostgreSQL servers, one per subgraph, each its own Debian cluster
 *   (`pg_createcluster`), so one agency's database can stop alone;
 * - the five subgraphs (`node subgraphs/<name>/dist/main.js`), each on its own
 *   database, which it migrates and seeds on start; search last, reading the
 *   four owners through their API;
 * - two gateway replicas (`node gateway/dist/main.js`) sharing Redis;
 * - HAProxy in front, round-robin over the replicas.
 *
 * Every part runs in production mode with secrets made for the run. Parts
 * stop in the reverse order they started, and nothing outlives the process:
 * an exit hook kills what is still running and drops the run's database
 * clusters, and a later run sweeps up after one that was killed outright.
 * Runs never collide: cluster names, ports, the temporary folder and the
 * Redis prefix are all the run's own.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const POSTGRES_VERSION = '15';
const HAPROXY = '/usr/sbin/haproxy';
/** In the order they start: search, which reads the other four through their API, last. */
export const CLUSTER_SUBGRAPHS = ['people', 'government', 'partners', 'initiatives', 'search'] as const;
export type ClusterSubgraph = (typeof CLUSTER_SUBGRAPHS)[number];
/** Database clusters of this tool are named `hub-<pid of the run>-<subgraph>`; nothing else is ever touched. */
const CLUSTER_NAME = /^hub-(\d+)-[a-z]+$/;
const RUN_DIR_PREFIX = 'hub-cluster-';

const run = promisify(execFile);

export interface ClusterOptions {
  /** Gateway replicas behind the balancer; 2 by default. */
  replicas?: number;
  /** The balancer's port; a free one by default. */
  port?: number;
  /** Extra environment for the gateway replicas, e.g. `GATEWAY_CACHE_TTL_MS: '0'`. */
  gatewayEnv?: Record<string, string>;
  /** Redis for the replicas; `redis://127.0.0.1:6379` by default. */
  redisUrl?: string;
  log?: (line: string) => void;
}

export interface Database {
  subgraph: ClusterSubgraph;
  /** The Debian cluster's name, for pg_ctlcluster. */
  cluster: string;
  port: number;
  url: string;
}

export interface Replica {
  /** `gateway-1`, `gateway-2`, ...: also its server name in HAProxy. */
  name: string;
  port: number;
  /** Its GraphQL endpoint, reached directly, not through the balancer. */
  url: string;
  readonly pid: number | undefined;
  readonly alive: boolean;
}

export interface Balancer {
  /** The GraphQL endpoint through HAProxy. */
  url: string;
  /** HAProxy's statistics (CSV), for which servers it counts as up. */
  statsUrl: string;
  /** Each server's state as HAProxy sees it now: `UP`, `DOWN`, `UP 1/2` (going down), ... */
  serverStates(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

export interface RunningCluster {
  /** The GraphQL endpoint through the balancer in front of every replica. */
  url: string;
  balancer: Balancer;
  replicas: Replica[];
  subgraphs: { name: ClusterSubgraph; url: string; pid: number | undefined }[];
  databases: Database[];
  /** The run's secrets: HUB_JWT_SECRET signs user tokens (mint with `mintToken(identity, { secret })`). */
  secrets: { jwt: string; gateway: string };
  /** Where the parts' logs and HAProxy's configuration are. */
  dir: string;
  /** How long the cluster took to come up. */
  startMs: number;
  /** Kills a replica at once, as a crashed machine would go. */
  killReplica(name: string, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a stopped replica again on its port and waits until it is ready. */
  startReplica(name: string): Promise<void>;
  /** Stops or starts one agency's database server. */
  stopDatabase(subgraph: ClusterSubgraph): Promise<void>;
  startDatabase(subgraph: ClusterSubgraph): Promise<void>;
  /** Another HAProxy in front of only some replicas (e.g. one, to compare with two). */
  addBalancer(replicas: string[]): Promise<Balancer>;
  stop(): Promise<void>;
}

/** Why the cluster cannot be brought up on this machine, or undefined when it can. */
export function clusterUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'the cluster needs Linux (Debian PostgreSQL clusters and HAProxy)';
  if (process.getuid?.() !== 0) return 'the cluster needs root: it creates PostgreSQL clusters with pg_createcluster, run as the postgres user';
  for (const tool of ['/usr/bin/pg_createcluster', '/usr/bin/pg_ctlcluster', '/usr/bin/pg_dropcluster', '/usr/bin/pg_lsclusters']) {
    if (!existsSync(tool)) return `${tool} is missing: install postgresql-common and postgresql-${POSTGRES_VERSION}`;
  }
  if (!existsSync(`/usr/lib/postgresql/${POSTGRES_VERSION}/bin/postgres`)) return `PostgreSQL ${POSTGRES_VERSION} is missing: install postgresql-${POSTGRES_VERSION}`;
  if (!existsSync(HAPROXY)) return `${HAPROXY} is missing: install haproxy`;
  for (const entry of ['gateway/dist/main.js', ...CLUSTER_SUBGRAPHS.map((s) => `subgraphs/${s}/dist/main.js`)]) {
    if (!existsSync(ROOT + entry)) return `${entry} is missing: build first (npx tsc -b)`;
  }
  return undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The run's database clusters, by name, as pg_lsclusters lists them. */
function listClusters(): string[] {
  const text = execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cells) => cells[0] === POSTGRES_VERSION && cells[1])
    .map((cells) => cells[1]!);
}

function dropClusterSync(name: string) {
  try {
    execFileSync('pg_dropcluster', ['--stop', POSTGRES_VERSION, name], { stdio: 'ignore' });
  } catch {
    // Already gone, or half made: nothing more to do.
  }
}

/**
 * What a run killed outright (SIGKILL, a lost terminal) left behind: its
 * processes, still listed in its folder, and its database clusters. Only runs
 * whose own process is gone are swept, so parallel runs are left alone.
 */
async function sweepLeftovers(log: (line: string) => void) {
  for (const entry of readdirSync(tmpdir())) {
    const owner = new RegExp(`^${RUN_DIR_PREFIX}(\\d+)-`).exec(entry);
    if (!owner || isAlive(Number(owner[1]))) continue;
    const dir = join(tmpdir(), entry);
    try {
      const children = JSON.parse(readFileSync(join(dir, 'children.json'), 'utf8')) as { pid: number; command: string }[];
      for (const { pid, command } of children) {
        // A pid can be reused: only a process still running the same command is ours.
        const cmdline = (() => {
          try {
            return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
          } catch {
            return '';
          }
        })();
        if (cmdline === command) process.kill(pid, 'SIGKILL');
      }
    } catch {
      // No record of children: nothing to kill.
    }
    try {
      const { url, prefix } = JSON.parse(readFileSync(join(dir, 'redis.json'), 'utf8')) as { url: string; prefix: string };
      await forgetRedisKeys(url, prefix);
    } catch {
      // No record of its Redis keys.
    }
    rmSync(dir, { recursive: true, force: true });
    log(`swept ${entry}, left by a run that is gone`);
  }
  for (const name of listClusters()) {
    const owner = CLUSTER_NAME.exec(name);
    if (!owner || isAlive(Number(owner[1]))) continue;
    dropClusterSync(name);
    log(`dropped database cluster ${name}, left by a run that is gone`);
  }
}

/**
 * Deletes the run's keys from Redis when it stops: answers expire by
 * themselves, but the replicas' shared generation counter has no TTL. One
 * script over a plain connection (RESP), so this tool needs no Redis client.
 */
async function forgetRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const url = new URL(redisUrl);
  const script = `for _, key in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', key) end return 1`;
  const words = ['EVAL', script, '0', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`];
  const command = `*${words.length}\r\n${words.map((w) => `$${Buffer.byteLength(w)}\r\n${w}\r\n`).join('')}`;
  await new Promise<void>((resolve) => {
    const socket = connect(Number(url.port || 6379), url.hostname || '127.0.0.1');
    socket.setTimeout(2_000, () => socket.destroy());
    socket.once('connect', () => {
      if (url.password) socket.write(`*2\r\n$4\r\nAUTH\r\n$${Buffer.byteLength(decodeURIComponent(url.password))}\r\n${decodeURIComponent(url.password)}\r\n`);
      socket.write(command);
    });
    let replies = 0;
    socket.on('data', (chunk) => {
      replies += chunk.toString().split('\r\n').filter((line) => /^[+:\-]/.test(line)).length;
      if (replies >= (url.password ? 2 : 1)) socket.end();
    });
    // A Redis that is gone leaves nothing to forget.
    socket.once('error', () => resolve());
    socket.once('close', () => resolve());
  });
}

/** A process of the cluster: its output goes to a log file in the run's folder. */
class Part {
  child: ChildProcess | undefined;
  constructor(
    readonly name: string,
    readonly command: string[],
    readonly env: NodeJS.ProcessEnv,
    readonly logPath: string,
  ) {}

  start(onSpawn: () => void) {
    const fd = openSync(this.logPath, 'a');
    try {
      // Its own process group: Ctrl-C reaches the cluster, which stops the parts in order.
      this.child = spawn(this.command[0]!, this.command.slice(1), { cwd: ROOT, env: this.env, stdio: ['ignore', fd, fd], detached: true });
    } finally {
      closeSync(fd);
    }
    this.child.on('error', () => undefined);
    onSpawn();
  }

  get alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The end of its log, for error messages. */
  tail(): string {
    try {
      return readFileSync(this.logPath, 'utf8').slice(-3_000).trim();
    } catch {
      return '';
    }
  }

  exited(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => child.once('exit', () => resolve()));
  }

  async kill(signal: NodeJS.Signals) {
    if (!this.alive) return;
    this.child!.kill(signal);
    await this.exited();
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 5_000) {
    if (!this.alive) return;
    this.child!.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    await this.exited();
    clearTimeout(timer);
  }
}

/** Polls `url` until it answers 200; fails early, with the part's log, if the part exits. */
async function waitUntilOk(part: Part, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (!part.alive) throw new Error(`${part.name} exited before it was ready:\n${part.tail()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      last = `HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(150);
  }
  throw new Error(`${part.name} was not ready at ${url} within ${timeoutMs / 1000} s (${last}):\n${part.tail()}`);
}

/**
 * HAProxy's configuration. What it is for: a replica that dies costs no
 * request once HAProxy has noticed, and few before.
 *
 * - Fast checks (every 400 ms, every 200 ms once one has failed; down after
 *   2 failures, up after 2 passes): a dead replica is out of the rotation
 *   within about 600 ms. Each check asks every subgraph's health in turn,
 *   so checking faster costs the databases more.
 * - The check is the gateway's `/ready`: 200 once its supergraph is loaded,
 *   and still 200 (`degraded`) while a subgraph is down, which is so for
 *   every replica alike: taking them all out would turn one agency's outage
 *   into everyone's, where a gateway answers the other owners' fields and
 *   names the missing one.
 * - Before it has noticed, a request sent to the dead replica is sent again
 *   to another (`retries 2`, `option redispatch`): on a refused connection
 *   (`conn-failure`, always safe: the request never reached a gateway), on a
 *   connection closed without an answer (`empty-response`) and on a gateway
 *   that stopped answering (`response-timeout`). HAProxy 2.6 retries those
 *   for any method, POST included, once it holds the whole request: hence
 *   `option http-buffer-request`. A mutation, though, may already have been
 *   carried out when its answer was lost, so for a POST whose body says
 *   `mutation`, or that carries no query text to tell (a persisted query sent
 *   by its hash alone), only a refused connection is retried
 *   (`disable-l7-retry`): the client sees the failure and decides, rather
 *   than the change being made twice. GraphQL keywords are case-sensitive, so
 *   a mutation's body always holds the word; a query that merely mentions it
 *   loses only its retries.
 */
function haproxyConfig(frontendPort: number, statsPort: number, replicas: { name: string; port: number }[]): string {
  return `global
  maxconn 4096
  # Retries need the whole request in one buffer: 64 KB holds any GraphQL body the gateway accepts.
  tune.bufsize 65536

defaults
  mode http
  timeout connect 1s
  timeout client 60s
  timeout server 30s
  timeout http-request 10s
  timeout http-keep-alive 10s
  timeout queue 5s
  timeout check 1s
  option http-buffer-request
  option redispatch
  retries 2
  retry-on conn-failure empty-response response-timeout

frontend hub
  bind 127.0.0.1:${frontendPort}
  default_backend gateways

backend gateways
  balance roundrobin
  option httpchk GET /ready
  http-check expect status 200
  acl query_text req.body -m sub '"query"'
  acl mutation req.body -m sub mutation
  http-request disable-l7-retry if METH_POST mutation || METH_POST !query_text
  default-server inter 400ms fastinter 200ms downinter 400ms fall 2 rise 2
${replicas.map((r) => `  server ${r.name} 127.0.0.1:${r.port} check`).join('\n')}

frontend stats
  bind 127.0.0.1:${statsPort}
  stats enable
  stats uri /
  stats refresh 1s
`;
}

/** Brings the whole cluster up; on any failure, stops what it started and throws. */
export async function startCluster(options: ClusterOptions = {}): Promise<RunningCluster> {
  const unavailable = clusterUnavailable();
  if (unavailable) throw new Error(`cannot start the cluster: ${unavailable}`);
  const log = options.log ?? ((line: string) => console.log(line));
  const started = performance.now();
  await sweepLeftovers(log);

  const dir = mkdtempSync(join(tmpdir(), `${RUN_DIR_PREFIX}${process.pid}-`));
  const runId = randomBytes(4).toString('hex');
  const redisUrl = options.redisUrl ?? 'redis://127.0.0.1:6379';
  const redisPrefix = `hub-cluster-${runId}:`;
  writeFileSync(join(dir, 'redis.json'), JSON.stringify({ url: redisUrl, prefix: redisPrefix }));
  const secrets = { jwt: randomBytes(32).toString('base64url'), gateway: randomBytes(32).toString('base64url') };
  const parts: Part[] = [];
  const clusterNames: string[] = [];
  let stopped = false;

  // Written each time a part starts, for the sweep of a run that is killed outright.
  const recordChildren = () =>
    writeFileSync(
      join(dir, 'children.json'),
      JSON.stringify(parts.filter((p) => p.child?.pid).map((p) => ({ pid: p.child!.pid!, command: p.command.join(' ') }))),
    );
  const startPart = (part: Part) => {
    parts.push(part);
    part.start(recordChildren);
  };

  // The last resort, synchronous: the process is leaving, whatever the reason. The
  // folder stays, for the next run's sweep to forget the run's Redis keys.
  const onExit = () => {
    if (stopped) return;
    for (const part of parts) if (part.alive) part.child!.kill('SIGKILL');
    for (const name of clusterNames) dropClusterSync(name);
  };
  process.once('exit', onExit);

  const stopAll = async () => {
    if (stopped) return;
    for (const part of [...parts].reverse()) await part.stop();
    await forgetRedisKeys(redisUrl, redisPrefix);
    await Promise.all(clusterNames.map((name) => run('pg_dropcluster', ['--stop', POSTGRES_VERSION, name]).catch(() => dropClusterSync(name))));
    rmSync(dir, { recursive: true, force: true });
    stopped = true;
    process.removeListener('exit', onExit);
  };

  const common: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    HUB_JWT_SECRET: secrets.jwt,
    HUB_GATEWAY_SECRET: secrets.gateway,
    ...(process.env.LOG_LEVEL ? { LOG_LEVEL: process.env.LOG_LEVEL } : {}),
  };

  try {
    // 1. The databases, side by side: each takes seconds to make.
    let phase = performance.now();
    // All settled before going on: dropping clusters while another is still being made would leave it behind.
    const made = await Promise.allSettled(
      CLUSTER_SUBGRAPHS.map(async (subgraph): Promise<Database> => {
        const cluster = `hub-${process.pid}-${subgraph}`;
        const port = await freePort();
        clusterNames.push(cluster);
        await run('pg_createcluster', [
          POSTGRES_VERSION,
          cluster,
          '--port',
          String(port),
          // Not started at boot: a cluster that outlived its run stays down until swept.
          '--start-conf=manual',
          '--start',
          // Throwaway data: no need to wait for the disk.
          '-o', 'fsync=off',
          '-o', 'synchronous_commit=off',
          '-o', 'full_page_writes=off',
          '--',
          '--auth-local=trust',
          '--auth-host=trust',
          '--no-sync',
        ]);
        return { subgraph, cluster, port, url: `postgresql://postgres@127.0.0.1:${port}/postgres` };
      }),
    );
    const failed = made.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    const databases = made.map((result) => (result as PromiseFulfilledResult<Database>).value);
    log(`databases: ${databases.map((d) => `${d.subgraph} ${d.cluster} :${d.port}`).join(', ')} (${((performance.now() - phase) / 1000).toFixed(1)} s)`);

    // 2. The subgraphs: the four owners side by side, then search, which reads them.
    phase = performance.now();
    const subgraphs: RunningCluster['subgraphs'] = [];
    const startSubgraph = async (name: ClusterSubgraph) => {
      const port = await freePort();
      const database = databases.find((d) => d.subgraph === name)!;
      const part = new Part(name, [process.execPath, `subgraphs/${name}/dist/main.js`], {
        ...common,
        PORT: String(port),
        [`${name.toUpperCase()}_DATABASE_URL`]: database.url,
        ...Object.fromEntries(subgraphs.map((s) => [`SUBGRAPH_${s.name.toUpperCase()}_URL`, s.url])),
      }, join(dir, `${name}.log`));
      startPart(part);
      // Ready: migrated, seeded and its database answering.
      await waitUntilOk(part, `http://127.0.0.1:${port}/ready`, 120_000);
      return { name, url: `http://127.0.0.1:${port}/graphql`, pid: part.child?.pid };
    };
    subgraphs.push(...(await Promise.all(CLUSTER_SUBGRAPHS.filter((s) => s !== 'search').map(startSubgraph))));
    subgraphs.push(await startSubgraph('search'));
    log(`subgraphs: ${subgraphs.map((s) => `${s.name} ${s.url}`).join(', ')} (${((performance.now() - phase) / 1000).toFixed(1)} s)`);

    // 3. The gateway replicas, side by side, sharing Redis under this run's own prefix.
    phase = performance.now();
    const gatewayEnv: NodeJS.ProcessEnv = {
      ...common,
      SUPERGRAPH_PATH: ROOT + 'schema/supergraph.graphql',
      SUPERGRAPH_WATCH: 'false',
      REDIS_URL: redisUrl,
      GATEWAY_REDIS_PREFIX: redisPrefix,
      ...Object.fromEntries(subgraphs.map((s) => [`SUBGRAPH_${s.name.toUpperCase()}_URL`, s.url])),
      ...options.gatewayEnv,
    };
    const replicaParts = new Map<string, Part>();
    const replicas: Replica[] = [];
    const launchReplica = async (name: string, port: number) => {
      const part = new Part(name, [process.execPath, 'gateway/dist/main.js'], { ...gatewayEnv, PORT: String(port) }, join(dir, `${name}.log`));
      replicaParts.set(name, part);
      startPart(part);
      await waitUntilOk(part, `http://127.0.0.1:${port}/ready`, 60_000);
    };
    const count = options.replicas ?? 2;
    await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const name = `gateway-${i + 1}`;
        const port = await freePort();
        replicas[i] = {
          name,
          port,
          url: `http://127.0.0.1:${port}/graphql`,
          get pid() {
            return replicaParts.get(name)?.child?.pid;
          },
          get alive() {
            return replicaParts.get(name)?.alive ?? false;
          },
        };
        await launchReplica(name, port);
      }),
    );
    log(`gateways: ${replicas.map((r) => `${r.name} ${r.url}`).join(', ')} (${((performance.now() - phase) / 1000).toFixed(1)} s)`);

    // 4. The balancer(s).
    let balancers = 0;
    const addBalancer = async (names: string[], port?: number): Promise<Balancer> => {
      const behind = names.map((name) => {
        const replica = replicas.find((r) => r.name === name);
        if (!replica) throw new Error(`no replica named ${name}`);
        return replica;
      });
      const index = ++balancers;
      const [frontendPort, statsPort] = [port || (await freePort()), await freePort()];
      const configPath = join(dir, `haproxy-${index}.cfg`);
      writeFileSync(configPath, haproxyConfig(frontendPort, statsPort, behind));
      const part = new Part(`haproxy-${index}`, [HAPROXY, '-db', '-f', configPath], common, join(dir, `haproxy-${index}.log`));
      startPart(part);
      const statsUrl = `http://127.0.0.1:${statsPort}/;csv`;
      const serverStates = async () => {
        const csv = await (await fetch(statsUrl, { signal: AbortSignal.timeout(2_000) })).text();
        const [header, ...rows] = csv.replace(/^# /, '').trim().split('\n').map((line) => line.split(','));
        const at = (column: string) => header!.indexOf(column);
        return Object.fromEntries(
          rows.filter((row) => row[at('pxname')] === 'gateways' && !['FRONTEND', 'BACKEND'].includes(row[at('svname')]!)).map((row) => [row[at('svname')]!, row[at('status')]!]),
        );
      };
      // Up once HAProxy has seen every replica pass its checks.
      const deadline = Date.now() + 30_000;
      for (;;) {
        if (!part.alive) throw new Error(`HAProxy exited:\n${part.tail()}`);
        const states = await serverStates().catch(() => ({}) as Record<string, string>);
        if (behind.every((r) => states[r.name] === 'UP')) break;
        if (Date.now() > deadline) throw new Error(`HAProxy did not see every replica up within 30 s: ${JSON.stringify(states)}\n${part.tail()}`);
        await sleep(100);
      }
      return { url: `http://127.0.0.1:${frontendPort}/graphql`, statsUrl, serverStates, stop: () => part.stop() };
    };
    const balancer = await addBalancer(replicas.map((r) => r.name), options.port);
    const startMs = performance.now() - started;
    log(`balancer: ${balancer.url} (statistics: ${balancer.statsUrl.replace(/;csv$/, '')}); up in ${(startMs / 1000).toFixed(1)} s`);

    const databaseOf = (subgraph: ClusterSubgraph) => databases.find((d) => d.subgraph === subgraph)!;
    return {
      url: balancer.url,
      balancer,
      replicas,
      subgraphs,
      databases,
      secrets,
      dir,
      startMs,
      async killReplica(name, signal = 'SIGKILL') {
        const part = replicaParts.get(name);
        if (!part) throw new Error(`no replica named ${name}`);
        await part.kill(signal);
      },
      async startReplica(name) {
        const replica = replicas.find((r) => r.name === name);
        if (!replica) throw new Error(`no replica named ${name}`);
        if (replica.alive) return;
        await launchReplica(name, replica.port);
      },
      async stopDatabase(subgraph) {
        await run('pg_ctlcluster', [POSTGRES_VERSION, databaseOf(subgraph).cluster, 'stop', '-m', 'fast']);
      },
      async startDatabase(subgraph) {
        await run('pg_ctlcluster', [POSTGRES_VERSION, databaseOf(subgraph).cluster, 'start']);
      },
      addBalancer: (names) => addBalancer(names),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function main() {
  // PORT picks the balancer's port; a free one otherwise.
  const cluster = await startCluster(process.env.PORT ? { port: Number(process.env.PORT) } : {});
  console.log(`\nThe hub is up through ${cluster.url}; logs in ${cluster.dir}. Ctrl-C stops it.`);
  console.log(`Its parts accept user tokens signed with this run's own secret:`);
  console.log(`  HUB_JWT_SECRET=${cluster.secrets.jwt} npm run -s token -- --agency <actor id> --role editor`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the cluster...`);
    cluster.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}
