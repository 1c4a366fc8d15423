import { Agent as HttpAgent, request as httpRequest, type OutgoingHttpHeaders, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { urlToHttpOptions } from 'node:url';
import { GraphQLError, type FormattedExecutionResult } from 'graphql';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { createClient, NetworkError, type RequestParams, type Sink } from 'graphql-sse';
import { gatewaySecretHeaders, logger, REQUEST_ID_HEADER, traceHeaders, type Viewer } from '@hub/server';
import type { GatewayMetrics } from './metrics.js';

/** What the gateway knows of a request when it calls a subgraph; operations run by the gateway itself (exports) may have none. */
interface CallContext {
  requestId?: string;
  viewer?: Viewer;
  /** The client's Authorization header, which the gateway verified: each subgraph verifies the user's token again. */
  authorization?: string | undefined;
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

type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/** A subgraph's answer as it came over the wire, decoded from UTF-8 once. */
interface Answer {
  status: number;
  contentType: string;
  text: string;
}

class ResponseTooLarge extends Error {
  override readonly name = 'ResponseTooLarge';
}

class SubgraphTimedOut extends Error {
  override readonly name = 'SubgraphTimedOut';
}

/** Connections to the subgraphs stay open between calls, one pool per protocol for every subgraph of the process. */
const agents = { 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) };

/** Where a subgraph's calls go, as Node's client takes it: worked out once, not from a URL on every call. */
interface Target {
  options: RequestOptions;
  send: typeof httpRequest;
}

function targetOf(address: string): Target {
  const url = new URL(address);
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:') throw new Error(`A subgraph's address must be http or https; got ${url.protocol}`);
  return {
    options: { ...urlToHttpOptions(url), method: 'POST', agent: secure ? agents['https:'] : agents['http:'] },
    send: secure ? httpsRequest : httpRequest,
  };
}

/**
 * One POST to a subgraph on Node's own HTTP client, which costs a fraction of
 * the CPU that fetch does: fetch builds web streams and Request, Response and
 * Headers objects for every call, a few per operation. The answer is read no
 * further than `limits.maxResponseBytes`, and given up at `limits.timeoutMs`.
 *
 * A connection kept open may be closed by the subgraph just as a call is sent
 * on it (its idle timeout): `retryReset` sends such a call again, once, on a
 * fresh connection. Only queries are retried; a mutation may have been read.
 */
function post(target: Target, headers: OutgoingHttpHeaders, body: string, limits: SubgraphCallLimits, retryReset: boolean): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    let settled = false;
    let answered = false;
    const timer = setTimeout(() => fail(new SubgraphTimedOut()), limits.timeoutMs);
    const settle = () => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      return true;
    };
    const fail = (error: Error) => {
      if (!settle()) return;
      request.destroy();
      reject(error);
    };
    const request = target.send({ ...target.options, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (response) => {
      answered = true;
      const limit = limits.maxResponseBytes;
      if (Number(response.headers['content-length']) > limit) return fail(new ResponseTooLarge());
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) fail(new ResponseTooLarge());
        else chunks.push(chunk);
      });
      response.on('error', fail);
      response.on('end', () => {
        if (!settle()) return;
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers['content-type'] ?? '',
          text: chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8'),
        });
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (retryReset && !answered && request.reusedSocket && error.code === 'ECONNRESET' && settle()) {
        post(target, headers, body, limits, false).then(resolve, reject);
      } else {
        fail(error);
      }
    });
    request.end(body);
  });
}

/** A call's answer, or the caller's deadline passing first, whichever comes first: a shared call goes on for the others. */
function withinDeadline<T>(call: Promise<T>, deadline: AbortSignal | undefined): Promise<T> {
  if (!deadline) return call;
  if (deadline.aborted) return Promise.reject(deadline.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const passed = () => reject(deadline.reason as Error);
    deadline.addEventListener('abort', passed, { once: true });
    call.then(resolve, reject).finally(() => deadline.removeEventListener('abort', passed));
  });
}

const JSON_TYPES = ['application/json', 'application/graphql-response+json'];
const isJson = (contentType: string) => JSON_TYPES.some((type) => contentType.startsWith(type));
const isQuery = (query: string) => !/^\s*(mutation|subscription)\b/.test(query);

/**
 * A subgraph as the gateway calls it: with a deadline, a size cap, the
 * gateway secret and the caller's own token, and failures told as an error
 * that names the subgraph, never its internal address, so the rest of an
 * answer can still arrive beside it.
 */
export class SubgraphSource implements GraphQLDataSource<CallContext> {
  private readonly target: Target;
  /**
   * Identical queries in flight at the same time (many dashboards opening the
   * same card) share one call; each caller parses its own copy of the answer.
   */
  private readonly inFlight = new Map<string, Promise<Answer>>();

  constructor(
    private readonly subgraph: string,
    private readonly url: string,
    private readonly limits: SubgraphCallLimits,
    private readonly metrics?: GatewayMetrics,
  ) {
    this.target = targetOf(url);
  }

  /** Read once: the deployment's gateway secret does not change while the gateway runs. */
  private readonly secret = gatewaySecretHeaders();

  /** What tells the subgraph the call comes from one of the hub's gateways, and for whom: the gateway secret and the user's own token. */
  private trust(context: CallContext): Record<string, string> {
    return context.authorization ? { ...this.secret, authorization: context.authorization } : this.secret;
  }

  async process({ request, context }: GraphQLDataSourceProcessOptions<CallContext>): Promise<SubgraphResponse> {
    const query = request.query ?? '';
    const body = JSON.stringify({ query, variables: request.variables, operationName: request.operationName, extensions: request.extensions });
    // The headers that can change the answer: calls that share them and the body share one answer.
    const headers: OutgoingHttpHeaders = {
      'content-type': 'application/json',
      accept: 'application/json',
      ...this.trust(context),
    };
    for (const [name, value] of request.http?.headers ?? []) headers[name] = value;
    const key = isQuery(query) ? `${Object.values(headers).join('\n')}\n${body}` : undefined;
    // The client's request id and the trace, so the subgraph's logs and spans join the same request.
    if (context.requestId) headers[REQUEST_ID_HEADER] = context.requestId;
    Object.assign(headers, traceHeaders());

    let answer: Answer;
    try {
      answer = await withinDeadline(key ? this.shared(key, () => this.call(headers, body, true)) : this.call(headers, body, false), context.deadline);
    } catch (error) {
      throw this.failure(error as Error, context.deadline);
    }
    return this.response(answer);
  }

  /**
   * Opens a subscription on the subgraph over GraphQL over SSE (graphql-sse's
   * distinct connections, as Hive Gateway and Apollo Router reach subgraphs),
   * with the gateway secret and the caller's token as for a query. Resolves
   * once the subgraph has accepted the stream, with what closes it; its events go to
   * `sink` in order. A stream that cannot open, or breaks, ends in an error
   * that names the subgraph and is never retried here: the client resumes it.
   */
  async subscribe(request: RequestParams, context: CallContext, sink: Sink<FormattedExecutionResult>): Promise<() => void> {
    const headers: Record<string, string> = { ...this.trust(context), ...traceHeaders() };
    if (context.requestId) headers[REQUEST_ID_HEADER] = context.requestId;
    const client = createClient({ url: this.url, headers, retryAttempts: 0, fetchFn: fetch });
    return new Promise((resolve, reject) => {
      let open = false;
      let closed = false;
      const close = () => {
        closed = true;
        clearTimeout(timer);
        dispose();
        client.dispose();
      };
      const fail = (error: GraphQLError) => {
        if (closed) return;
        close();
        if (open) sink.error(error);
        else reject(error);
      };
      const timer = setTimeout(() => {
        const message = `The ${this.subgraph} subgraph did not accept the subscription within ${this.limits.timeoutMs} ms.`;
        fail(new GraphQLError(message, { extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: this.subgraph } }));
      }, this.limits.timeoutMs);
      const dispose = client.subscribe(
        request,
        {
          // Events arrive as JSON: formatted results, whatever graphql-sse's types say.
          next: (result) => !closed && sink.next(result as FormattedExecutionResult),
          error: (error) => void this.streamFailure(error).then(fail),
          complete: () => {
            if (closed) return;
            close();
            sink.complete();
          },
        },
        {
          connected: () => {
            open = true;
            clearTimeout(timer);
            resolve(close);
          },
        },
      );
    });
  }

  /** The error a subscription stream that would not open, or broke, ends with: what the subgraph said, if it said why. */
  private async streamFailure(error: unknown): Promise<GraphQLError> {
    const response = error instanceof NetworkError ? (error.response as Response | undefined) : undefined;
    if (response?.status === 401) logger.error({ subgraph: this.subgraph }, 'subgraph refused the gateway: check that both have the same HUB_GATEWAY_SECRET, and the same token settings (HUB_JWT_*)');
    const said = response ? ((await response.json().catch(() => undefined)) as { errors?: { message?: unknown }[] } | undefined)?.errors?.[0]?.message : undefined;
    const why = response ? `it answered HTTP ${response.status}${typeof said === 'string' ? ` (${said})` : ''}` : 'its stream broke off';
    return new GraphQLError(`The ${this.subgraph} subgraph's subscription stream ended: ${why}. Subscribe again to go on.`, {
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: this.subgraph },
      ...(error instanceof Error ? { originalError: error } : {}),
    });
  }

  private shared(key: string, call: () => Promise<Answer>): Promise<Answer> {
    let answer = this.inFlight.get(key);
    if (!answer) {
      answer = call().finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, answer);
    }
    return answer;
  }

  /** One call over the wire, timed in the metrics. */
  private async call(headers: OutgoingHttpHeaders, body: string, retryReset: boolean): Promise<Answer> {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const answer = await post(this.target, headers, body, this.limits, retryReset);
      this.metrics?.subgraphCall(this.subgraph, answer.status >= 500 ? 'error' : 'ok', seconds());
      return answer;
    } catch (error) {
      this.metrics?.subgraphCall(this.subgraph, error instanceof SubgraphTimedOut ? 'timeout' : 'error', seconds());
      throw error;
    }
  }

  /** The GraphQL response in an answer, or the error that stands for the subgraph's fields instead. */
  private response(answer: Answer): SubgraphResponse {
    const parsed = isJson(answer.contentType) ? parseOrUndefined(answer.text) : undefined;
    if (answer.status >= 200 && answer.status < 300 && parsed && typeof parsed === 'object') return parsed as SubgraphResponse;
    if (answer.status === 401) {
      // The subgraph refused the call whole: the two do not share HUB_GATEWAY_SECRET, or it reads tokens with other settings.
      logger.error({ subgraph: this.subgraph }, 'subgraph refused the gateway: check that both have the same HUB_GATEWAY_SECRET, and the same token settings (HUB_JWT_*)');
      throw this.unavailable();
    }
    // A 4xx from a subgraph is about the request (a variable it cannot coerce): the client's to fix.
    if (answer.status >= 400 && answer.status < 500) {
      const message = (parsed as { errors?: { message?: unknown }[] } | undefined)?.errors?.[0]?.message;
      throw new GraphQLError(typeof message === 'string' ? message : `The ${this.subgraph} subgraph refused the request as invalid.`, {
        extensions: { code: 'BAD_USER_INPUT', serviceName: this.subgraph },
      });
    }
    // An answer that is not GraphQL (a 5xx page, a proxy error).
    throw this.unavailable();
  }

  private unavailable(originalError?: Error): GraphQLError {
    return new GraphQLError(`The ${this.subgraph} subgraph is unavailable; the rest of the answer is complete.`, {
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: this.subgraph },
      ...(originalError ? { originalError } : {}),
    });
  }

  /** The error a failed call stands as, in the answer. */
  private failure(error: Error, deadline: AbortSignal | undefined): GraphQLError {
    if (error instanceof ResponseTooLarge) {
      return new GraphQLError(`The ${this.subgraph} subgraph's answer is larger than the gateway accepts; ask for less (smaller pages, fewer fields).`, {
        extensions: { code: 'SUBGRAPH_RESPONSE_TOO_LARGE', serviceName: this.subgraph },
      });
    }
    if (deadline?.aborted) {
      return new GraphQLError(`The request ran out of its time budget while waiting for the ${this.subgraph} subgraph; ask for less, or try again.`, {
        extensions: { code: 'REQUEST_TIMEOUT', serviceName: this.subgraph },
      });
    }
    if (error instanceof SubgraphTimedOut) {
      return new GraphQLError(`The ${this.subgraph} subgraph did not answer within ${this.limits.timeoutMs} ms; the rest of the answer is complete.`, {
        extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: this.subgraph },
      });
    }
    // Refused or broken connections, and anything else on the way.
    return this.unavailable(error);
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
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
