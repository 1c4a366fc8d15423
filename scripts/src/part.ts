import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { startTracing } from '@hub/server';
import type { FromPart, ToPart } from './supervisor.js';

/**
 * One part of `npm start`, in a worker thread of the supervisor: a subgraph or
 * the gateway, with a heap of its own. Each kind loads only its own code, so
 * the gateway's worker carries no ORM and no subgraph carries the others.
 */

export interface SubgraphPartData {
  kind: 'subgraph';
  /** A name from SUBGRAPHS. */
  name: string;
  port: number;
  databaseUrl: string;
  /** Write the source document's facts into an empty schema (again harmless on a restart). */
  seed: boolean;
  /** Where the subgraphs started before it listen, by name: the search subgraph reads them through their API. */
  subgraphUrls: Record<string, string>;
}

export interface GatewayPartData {
  kind: 'gateway';
  port: number;
  /** Where each subgraph listens, by name. */
  subgraphUrls: Record<string, string>;
}

export type PartData = SubgraphPartData | GatewayPartData;

interface Served {
  url: string;
  stop(): Promise<void>;
}

async function startSubgraphPart(data: SubgraphPartData): Promise<Served> {
  const [{ startSubgraph }, { SUBGRAPHS }] = await Promise.all([import('@hub/toolkit'), import('./subgraphs.js')]);
  const definition = SUBGRAPHS.find((subgraph) => subgraph.name === data.name);
  if (!definition) throw new Error(`no subgraph named ${data.name}`);
  return startSubgraph(definition, { databaseUrl: data.databaseUrl, port: data.port, seed: data.seed, subgraphUrls: data.subgraphUrls });
}

async function startGatewayPart(data: GatewayPartData): Promise<Served> {
  const { createGateway, serveGateway } = await import('@hub/gateway');
  // Limits, timeouts and the response cache come from the environment, as createGateway reads them.
  const gateway = createGateway({
    supergraph: { path: fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url)), pollIntervalMs: 250 },
    subgraphUrls: data.subgraphUrls,
  });
  const served = await serveGateway(gateway, { port: data.port });
  return { url: served.url, stop: () => served.close() };
}

if (!parentPort) throw new Error('part.js runs as a worker thread of the supervisor (scripts/src/supervisor.ts), not on its own.');
const supervisor = parentPort;
const data = workerData as PartData;
// Every thread has its own tracer provider; spans join up through the trace headers on each call.
const stopTracing = startTracing('anti-poverty-hub');
const served = data.kind === 'subgraph' ? await startSubgraphPart(data) : await startGatewayPart(data);
supervisor.on('message', async (message: ToPart) => {
  if (message.type !== 'stop') return;
  await served.stop();
  await stopTracing();
  // Nothing else is listening: the thread ends once what remains has drained.
  supervisor.close();
});
supervisor.postMessage({ type: 'ready', url: served.url } satisfies FromPart);
