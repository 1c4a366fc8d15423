import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ErrorCode, sendJson, type Route } from '@hub/server';

const KNOWN_ROUTES = new Set(['/health', '/ready', '/metrics']);

/** Addresses of this machine as Node reports a caller: IPv4, IPv6, and IPv4 on a dual-stack socket. */
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Digests compare in constant time whatever the lengths of the tokens. */
const digestOf = (token: string) => createHash('sha256').update(token).digest();

const refusal = (message: string, code: string) => ({ errors: [{ message, extensions: { code } }] });

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Prometheus metrics of one gateway, at /metrics: its HTTP requests, its
 * calls to each subgraph with their latency and outcome, and its subscriptions.
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

  /** Estimated before execution, actual after it, in the same unit, so their ratio shows how well the prices fit. */
  private readonly operationCosts = new Histogram({
    name: 'hub_operation_cost',
    help: 'Cost of each operation, priced from the supergraph\'s @cost/@listSize: estimated before execution, actual from the answer.',
    labelNames: ['kind'] as const,
    buckets: [1, 10, 100, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 1_000_000],
    registers: [this.registry],
  });

  private readonly subscriptionsOpen = new Gauge({
    name: 'hub_gateway_subscriptions_open',
    help: 'Subscriptions open now, by transport (sse, multipart).',
    labelNames: ['transport'] as const,
    registers: [this.registry],
  });

  private readonly subscriptionsEnded = new Counter({
    name: 'hub_gateway_subscriptions_ended_total',
    help: 'Subscriptions ended, by why: complete, client (the client left), slow (cut for not reading), upstream (the subgraph\'s stream failed), backlog, expired (the token), shutdown.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  private readonly subscriptionEvents = new Counter({
    name: 'hub_gateway_subscription_events_total',
    help: 'Events sent to subscribers, each resolved through the graph.',
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

  operationCost(kind: 'estimated' | 'actual', cost: number): void {
    this.operationCosts.observe({ kind }, cost);
  }

  subgraphCall(subgraph: string, outcome: 'ok' | 'error' | 'timeout', seconds: number): void {
    this.subgraphCalls.observe({ subgraph, outcome }, seconds);
    if (outcome !== 'ok') this.subgraphErrors.inc({ subgraph, outcome });
  }

  subscriptionOpened(transport: 'sse' | 'multipart'): void {
    this.subscriptionsOpen.inc({ transport });
  }

  subscriptionEnded(transport: 'sse' | 'multipart', reason: string): void {
    this.subscriptionsOpen.dec({ transport });
    this.subscriptionsEnded.inc({ reason });
  }

  subscriptionEvent(): void {
    this.subscriptionEvents.inc();
  }

  /**
   * `/metrics`, for the scraper alone: with `HUB_METRICS_TOKEN` set, it asks
   * for that bearer token; without it, it answers only this machine, and
   * only directly (a proxy in front would make every caller look local).
   */
  route(env: NodeJS.ProcessEnv = process.env): Route {
    const token = env.HUB_METRICS_TOKEN ? digestOf(env.HUB_METRICS_TOKEN) : undefined;
    return async (request, response, url) => {
      if (url.pathname !== '/metrics') return false;
      if (token) {
        const presented = /^Bearer +(\S+)$/i.exec(request.headers.authorization?.trim() ?? '')?.[1];
        if (!presented || !timingSafeEqual(digestOf(presented), token)) {
          response.setHeader('www-authenticate', 'Bearer');
          sendJson(response, 401, refusal('The metrics need the bearer token set in HUB_METRICS_TOKEN.', ErrorCode.UNAUTHENTICATED));
          return true;
        }
      } else {
        const forwarded = request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined;
        if (forwarded || !LOOPBACK.has(request.socket.remoteAddress ?? '')) {
          const message = 'The metrics answer only direct requests from this machine; set HUB_METRICS_TOKEN to let a scraper in with that bearer token.';
          sendJson(response, 403, refusal(message, ErrorCode.FORBIDDEN));
          return true;
        }
      }
      response.writeHead(200, { 'content-type': this.registry.contentType });
      response.end(await this.registry.metrics());
      return true;
    };
  }
}
