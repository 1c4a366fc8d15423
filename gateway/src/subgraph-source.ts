import { AsyncLocalStorage } from 'node:async_hooks';
import { GraphQLError } from 'graphql';
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { INTERNAL_IDENTITY_HEADER, logger, REQUEST_ID_HEADER, traceHeaders, type Viewer } from '@hub/server';
import type { IdentitySigner } from './auth.js';
import type { GatewayMetrics } from './metrics.js';

/** What the gateway knows of a request when it calls a subgraph; operations run by the gateway itself (exports) may have none. */
interface CallContext {
  requestId?: string;
  viewer?: Viewer;
  /** The client request's wall-clock budget. */
  deadline?: AbortSignal;
}

/** How long the gateway waits for a subgraph by default. */
export const DEFAULT_SUBGRAPH_TIMEOUT_MS = 10_000;

export interface SubgraphCallLimits {
  /** How long to wait for one answer. */
  timeoutMs: number;
  /** Largest answer accepted, in bytes: a larger one is refused, not buffered. */
  maxResponseBytes: number;
}

/** The deadline of the client request a subgraph call belongs to, which the fetcher cannot be handed directly. */
const requestDeadline = new AsyncLocalStorage<AbortSignal | undefined>();

/** Each answer's body as the fetcher read it, already decoded from UTF-8. */
const decodedBodies = new WeakMap<Response, string>();

class ResponseTooLarge extends Error {
  override readonly name = 'ResponseTooLarge';
}

/** Reads an answer's body, giving up as soon as it passes `limit` bytes. */
async function boundedText(response: Response, limit: number, signal: AbortSignal): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > limit) {
    await response.body?.cancel();
    throw new ResponseTooLarge();
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit || signal.aborted) {
      await response.body.cancel().catch(() => {});
      if (signal.aborted) throw signal.reason;
      throw new ResponseTooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/**
 * A subgraph as the gateway calls it: with a deadline, and with failures told
 * as an error that names the subgraph, never its internal address, so the
 * rest of an answer can still arrive beside it.
 */
export class SubgraphSource extends RemoteGraphQLDataSource<CallContext> {
  private readonly timeoutMs: number;

  constructor(
    private readonly subgraph: string,
    url: string,
    limits: SubgraphCallLimits,
    private readonly signer: IdentitySigner,
    metrics?: GatewayMetrics,
  ) {
    type Answer = { status: number; headers: [string, string][]; body: string };
    const call = async (input: string, init: RequestInit, deadline: AbortSignal | undefined): Promise<Answer> => {
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      const timeout = AbortSignal.timeout(limits.timeoutMs);
      const signal = deadline ? AbortSignal.any([timeout, deadline]) : timeout;
      try {
        const response = await fetch(input, { ...init, signal });
        const body = await boundedText(response, limits.maxResponseBytes, signal);
        metrics?.subgraphCall(subgraph, response.status >= 500 ? 'error' : 'ok', seconds());
        return { status: response.status, headers: [...response.headers], body };
      } catch (error) {
        metrics?.subgraphCall(subgraph, (error as Error).name === 'TimeoutError' ? 'timeout' : 'error', seconds());
        throw error;
      }
    };
    // Identical queries in flight at the same time (many dashboards opening the
    // same card) share one subgraph call; each caller gets its own copy of the answer.
    const inFlight = new Map<string, Promise<Answer>>();
    super({
      url,
      // Node's own fetch keeps connections alive; each call gets a deadline, a size cap, and is timed.
      fetcher: (async (input: string, init: RequestInit) => {
        const deadline = requestDeadline.getStore();
        const key = sharedCallKey(input, init);
        let answer: Answer;
        if (!key) {
          answer = await call(input, init, deadline);
        } else {
          let shared = inFlight.get(key);
          if (!shared) {
            shared = call(input, init, deadline).finally(() => inFlight.delete(key));
            inFlight.set(key, shared);
          }
          answer = await shared;
        }
        const response = new Response(answer.body, { status: answer.status, headers: answer.headers });
        decodedBodies.set(response, answer.body);
        return response;
      }) as unknown as Fetcher,
    });
    this.timeoutMs = limits.timeoutMs;
  }

  /** Parses the text the fetcher already decoded, rather than encoding and decoding it again. */
  override parseBody(...args: Parameters<RemoteGraphQLDataSource<CallContext>['parseBody']>) {
    const [response] = args;
    const text = decodedBodies.get(response as unknown as Response);
    const type = response.headers.get('content-type') ?? '';
    if (text !== undefined && (type.startsWith('application/json') || type.startsWith('application/graphql-response+json'))) {
      return Promise.resolve(JSON.parse(text) as object);
    }
    return super.parseBody(...args);
  }

  /** Runs the call inside its client request's deadline, where the fetcher finds it. */
  override process(options: Parameters<RemoteGraphQLDataSource<CallContext>['process']>[0]) {
    return requestDeadline.run(options.context.deadline, () => super.process(options));
  }

  /**
   * Passes on the verified identity, signed (subgraphs answer nothing else),
   * and the client's request id and the trace, so the subgraph's logs and
   * spans join the same request.
   */
  override async willSendRequest({ request, context }: Parameters<RemoteGraphQLDataSource<CallContext>['willSendRequest'] & {}>[0]) {
    request.http?.headers.set(INTERNAL_IDENTITY_HEADER, await this.signer.header(context.viewer ?? null));
    if (context.requestId) request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
    for (const [name, value] of Object.entries(traceHeaders())) request.http?.headers.set(name, value);
  }

  override didEncounterError(error: Error): void {
    // A 4xx from a subgraph is about the request (a variable it cannot coerce): the client's to fix.
    type Refusal = { status?: number; body?: { errors?: { message?: string; extensions?: { code?: unknown } }[] } };
    const refused = (error as { extensions?: { response?: Refusal } }).extensions?.response;
    if (refused?.status === 401) {
      // The subgraph did not accept the gateway's signed identity: the two do not share HUB_INTERNAL_SECRET.
      logger.error({ subgraph: this.subgraph }, 'subgraph refused the gateway\'s identity header: check HUB_INTERNAL_SECRET');
      throw new GraphQLError(`The ${this.subgraph} subgraph is unavailable; the rest of the answer is complete.`, {
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: this.subgraph },
      });
    }
    if (refused?.status && refused.status >= 400 && refused.status < 500) {
      throw new GraphQLError(refused.body?.errors?.[0]?.message ?? `The ${this.subgraph} subgraph refused the request as invalid.`, {
        extensions: { code: 'BAD_USER_INPUT', serviceName: this.subgraph },
      });
    }
    if (error instanceof GraphQLError) throw error;
    if (error instanceof ResponseTooLarge) {
      throw new GraphQLError(`The ${this.subgraph} subgraph's answer is larger than the gateway accepts; ask for less (smaller pages, fewer fields).`, {
        extensions: { code: 'SUBGRAPH_RESPONSE_TOO_LARGE', serviceName: this.subgraph },
      });
    }
    if (requestDeadline.getStore()?.aborted) {
      throw new GraphQLError(`The request ran out of its time budget while waiting for the ${this.subgraph} subgraph; ask for less, or try again.`, {
        extensions: { code: 'REQUEST_TIMEOUT', serviceName: this.subgraph },
      });
    }
    if (error.name === 'TimeoutError' || error.name === 'AbortError') {
      throw new GraphQLError(`The ${this.subgraph} subgraph did not answer within ${this.timeoutMs} ms; the rest of the answer is complete.`, {
        extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: this.subgraph },
      });
    }
    // A response that is not GraphQL (a 5xx page, a proxy error) lands here too.
    throw new GraphQLError(`The ${this.subgraph} subgraph is unavailable; the rest of the answer is complete.`, {
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: this.subgraph },
      originalError: error,
    });
  }
}

/** Timeouts from `SUBGRAPH_TIMEOUT_MS` and, per subgraph, `SUBGRAPH_<NAME>_TIMEOUT_MS`. */
export function subgraphTimeoutsFromEnv(env: NodeJS.ProcessEnv = process.env): { default: number; bySubgraph: Record<string, number> } {
  const bySubgraph: Record<string, number> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^SUBGRAPH_([A-Z0-9_]+)_TIMEOUT_MS$/.exec(key);
    if (match?.[1] && value) bySubgraph[match[1].toLowerCase()] = positive(key, value);
  }
  const fallback = env.SUBGRAPH_TIMEOUT_MS ? positive('SUBGRAPH_TIMEOUT_MS', env.SUBGRAPH_TIMEOUT_MS) : DEFAULT_SUBGRAPH_TIMEOUT_MS;
  return { default: fallback, bySubgraph };
}

function positive(name: string, value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) throw new Error(`${name} must be a whole number of milliseconds; got "${value}".`);
  return ms;
}

/** Headers that differ per request without changing the answer. */
const PER_REQUEST_HEADERS = new Set([REQUEST_ID_HEADER, 'traceparent', 'tracestate', 'content-length']);

/**
 * The key under which identical calls share one answer: the address, the
 * headers that can change the answer, and the body. Only queries share;
 * anything else (a mutation) is always sent on its own.
 */
function sharedCallKey(input: string, init: RequestInit): string | undefined {
  const body = typeof init.body === 'string' ? init.body : undefined;
  if (!body || /^\s*\{\s*"query"\s*:\s*"\s*(mutation|subscription)\b/.test(body)) return undefined;
  const headers = [...new Headers(init.headers as ConstructorParameters<typeof Headers>[0])]
    .filter(([name]) => !PER_REQUEST_HEADERS.has(name))
    .map(([name, value]) => `${name}:${value}`)
    .sort()
    .join('\n');
  return `${input}\n${headers}\n${body}`;
}
