import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ENV, type ChildMessage, type HarnessMessage } from './protocol.js';

/**
 * The part every target child shares: read where the subgraphs are, start the
 * target, say `ready` with its URL over IPC (and print it on stderr), report
 * its own memory and CPU when the harness asks, and stop when told to or when
 * the harness goes away (its IPC channel closes), so no child outlives a run.
 */

export interface ChildConfig {
  subgraphUrls: Record<string, string>;
  supergraphPath: string;
  examplesDir: string;
  directReplay: string;
  hiveDedup: boolean;
  /** The subgraphs' database; empty when the harness gave none. */
  databaseUrl: string;
}

export interface StartedTarget {
  url: string;
  info?: unknown;
  /** How many SQL statements the target itself has sent, for one that talks to the database. */
  sqlStatements?(): number;
  stop(): Promise<void>;
}

function config(): ChildConfig {
  const need = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: this script is started by bench/dist/peers.js`);
    return value;
  };
  return {
    subgraphUrls: JSON.parse(need(ENV.subgraphUrls)) as Record<string, string>,
    supergraphPath: need(ENV.supergraph),
    examplesDir: process.env[ENV.examples] ?? '',
    directReplay: process.env[ENV.directReplay] ?? 'plan',
    hiveDedup: process.env[ENV.hiveDedup] !== 'false',
    databaseUrl: process.env[ENV.databaseUrl] ?? '',
  };
}

const send = (message: ChildMessage) => process.send?.(message);

export async function runTarget(start: (config: ChildConfig) => Promise<StartedTarget>): Promise<void> {
  // Peak RSS between two samples the harness asks for, sampled by the child itself.
  let peakRss = process.memoryUsage.rss();
  setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50).unref();

  let target: StartedTarget | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(code), 5_000).unref();
    await target?.stop().catch(() => {});
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  process.on('disconnect', () => void stop(0));
  process.on('message', (message: HarnessMessage) => {
    if (message.type === 'reset') {
      peakRss = process.memoryUsage.rss();
    } else if (message.type === 'sample') {
      const rss = process.memoryUsage.rss();
      peakRss = Math.max(peakRss, rss);
      const sqlStatements = target?.sqlStatements?.();
      send({ type: 'sample', id: message.id, rss, peakRss, cpu: process.cpuUsage(), ...(sqlStatements === undefined ? {} : { sqlStatements }) });
    }
  });

  try {
    target = await start(config());
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
  console.error(`ready ${target.url}`);
  send({ type: 'ready', url: target.url, ...(target.info === undefined ? {} : { info: target.info }) });
}

/** Sends a JSON body. */
export function sendJson(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/**
 * The HTTP server of a target that answers requests itself (not a gateway),
 * on a free loopback port: `handle` answers each request; one that throws
 * before answering gets `failed(error)`, and one that throws midway is ended.
 */
export async function serveRequests(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  failed: (error: Error) => { status: number; body: string },
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      if (response.headersSent) return void response.end();
      const { status, body } = failed(error);
      sendJson(response, status, body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
