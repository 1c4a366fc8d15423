import type { EventEmitter } from 'node:events';

/**
 * The part of autocannon's API that the load generators use (bench:peers and
 * bench:load): it is CommonJS without bundled types. Types only, so that the
 * bench:load client, which Node runs straight from its TypeScript source,
 * can import it too.
 */

export interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Called (with the connection's context) before each request is built. */
  setupRequest(request: AutocannonRequest, context: Record<string, unknown>): AutocannonRequest;
  onResponse(status: number, body: string, context: Record<string, unknown>): void;
}

export interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  requests: { total: number; average: number };
  /** autocannon keeps these percentiles, and no p95. */
  latency: { p50: number; p90: number; p97_5: number; p99: number };
}

export type Autocannon = (
  options: { url: string; connections: number; duration: number; pipelining: number; timeout?: number; requests: AutocannonRequest[] },
  done: (error: Error | null, result: AutocannonResult) => void,
) => EventEmitter & { stop(): void };
