import type { ApolloGateway } from '@apollo/gateway';
import { sendJson, type Route } from '@hub/server';
import type { ResponseCacheStatus } from './response-cache.js';

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
 *
 * `/ready` also says how the response cache keeps its answers fresh
 * (`responseCache`): by the change feeds, or, while one of them is not heard,
 * by a short TTL (`ttl-fallback`, naming those feeds). That alone leaves the
 * gateway ready: every answer is still right within the fallback TTL, as it
 * was before the feeds existed, and holding traffic would turn a cache that
 * forgets sooner into an outage.
 */
export function healthRoutes(gateway: ApolloGateway, subgraphs: ReadonlyMap<string, string>, responseCache: () => ResponseCacheStatus): Route[] {
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
      const cache = responseCache();
      sendJson(response, ready ? 200 : 503, {
        status: ready ? 'ready' : 'not ready',
        supergraph: loaded ? 'loaded' : 'not loaded',
        subgraphs: states,
        ...(down.length ? { unavailable: down } : {}),
        ...(cache.mode === 'off' ? {} : { responseCache: cache }),
      });
      return true;
    },
  ];
}
