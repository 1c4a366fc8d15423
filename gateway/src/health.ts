import type { ApolloGateway } from '@apollo/gateway';
import { sendJson, type Route } from '@hub/server';
import type { ResponseCacheStatus } from './response-cache.js';

/** How long readiness waits for each subgraph's health check. */
const PROBE_TIMEOUT_MS = 2_000;

/** A subgraph's readiness check sits beside its GraphQL endpoint. */
function readyUrlOf(graphqlUrl: string): string {
  return new URL('/ready', graphqlUrl).href;
}

async function probe(url: string): Promise<'up' | 'down'> {
  try {
    const response = await fetch(readyUrlOf(url), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return response.ok ? 'up' : 'down';
  } catch {
    return 'down';
  }
}

/**
 * `/health`: the process answers (liveness). `/ready`: a supergraph is
 * loaded, so the gateway can answer; 503 only until then. It also says which
 * subgraphs are not ready themselves (their `/ready` tries their database),
 * as `degraded` with their names, and stays ready: the gateway answers the
 * rest of every operation without them, and a balancer or orchestrator that
 * took every gateway replica out for one agency's outage would turn it into
 * everyone's.
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
      const ready = loaded && subgraphs.size > 0;
      const cache = responseCache();
      sendJson(response, ready ? 200 : 503, {
        status: !ready ? 'not ready' : down.length ? 'degraded' : 'ready',
        supergraph: loaded ? 'loaded' : 'not loaded',
        subgraphs: states,
        ...(down.length ? { unavailable: down } : {}),
        ...(cache.mode === 'off' && !cache.shared ? {} : { responseCache: cache }),
      });
      return true;
    },
  ];
}
