import type { ApolloGateway } from '@apollo/gateway';
import { sendJson, type Route } from '@hub/server';

/** How long readiness waits for each subgraph's health check. */
const PROBE_TIMEOUT_MS = 2_000;

/** A subgraph's health check sits beside its GraphQL endpoint. */
function healthUrlOf(graphqlUrl: string): string {
  return new URL('/health', graphqlUrl).href;
}

async function probe(url: string): Promise<'up' | 'down'> {
  try {
    const response = await fetch(healthUrlOf(url), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return response.ok ? 'up' : 'down';
  } catch {
    return 'down';
  }
}

/**
 * `/health`: the process answers (liveness). `/ready`: a supergraph is loaded
 * and every subgraph's own health check, which tries its database, passes;
 * 503 with the subgraphs that are not, so an orchestrator holds traffic.
 */
export function healthRoutes(gateway: ApolloGateway, subgraphs: ReadonlyMap<string, string>): Route[] {
  return [
    async (_request, response, url) => {
      if (url.pathname !== '/health') return false;
      sendJson(response, 200, { status: 'ok' });
      return true;
    },
    async (_request, response, url) => {
      if (url.pathname !== '/ready') return false;
      const loaded = Boolean(gateway.schema);
      const states = Object.fromEntries(
        await Promise.all([...subgraphs].map(async ([name, address]) => [name, await probe(address)] as const)),
      );
      const down = Object.entries(states).filter(([, state]) => state === 'down').map(([name]) => name);
      const ready = loaded && subgraphs.size > 0 && down.length === 0;
      sendJson(response, ready ? 200 : 503, {
        status: ready ? 'ready' : 'not ready',
        supergraph: loaded ? 'loaded' : 'not loaded',
        subgraphs: states,
        ...(down.length ? { unavailable: down } : {}),
      });
      return true;
    },
  ];
}
