import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Route } from '@hub/toolkit/serving';

const KNOWN_ROUTES = new Set(['/health', '/ready', '/metrics']);

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Prometheus metrics of one gateway, at /metrics: its HTTP requests, and its
 * calls to each subgraph with their latency and outcome.
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  private readonly requests = new Histogram({
    name: 'hub_gateway_request_duration_seconds',
    help: 'HTTP requests to the gateway, by route and status class.',
    labelNames: ['route', 'status'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  private readonly subgraphCalls = new Histogram({
    name: 'hub_subgraph_request_duration_seconds',
    help: 'Calls from the gateway to a subgraph, by subgraph and outcome (ok, error, timeout).',
    labelNames: ['subgraph', 'outcome'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  private readonly subgraphErrors = new Counter({
    name: 'hub_subgraph_errors_total',
    help: 'Calls from the gateway to a subgraph that failed or timed out.',
    labelNames: ['subgraph', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'hub_gateway_' });
  }

  request(path: string, status: number, seconds: number): void {
    // A fixed set of labels: a scan of random paths must not add a series per path.
    const route = path === '/graphql' || path === '/' ? '/graphql' : path.startsWith('/export/') ? '/export' : KNOWN_ROUTES.has(path) ? path : 'other';
    this.requests.observe({ route, status: `${Math.floor(status / 100)}xx` }, seconds);
  }

  subgraphCall(subgraph: string, outcome: 'ok' | 'error' | 'timeout', seconds: number): void {
    this.subgraphCalls.observe({ subgraph, outcome }, seconds);
    if (outcome !== 'ok') this.subgraphErrors.inc({ subgraph, outcome });
  }

  route(): Route {
    return async (_request, response, url) => {
      if (url.pathname !== '/metrics') return false;
      response.writeHead(200, { 'content-type': this.registry.contentType });
      response.end(await this.registry.metrics());
      return true;
    };
  }
}
