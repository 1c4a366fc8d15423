import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { ErrorCode } from './errors.js';
import { logger, REQUEST_ID_HEADER, requestIdOf } from './log.js';
import { traceRequest, tracingEnabled } from './tracing.js';

/** Handles a request if it is for this route, and says whether it did. */
export type Route = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean>;

export interface ServeOptions<Context extends BaseContext> {
  port: number;
  host?: string;
  /** The GraphQL context of a request; `requestId` is its id in logs and in calls it makes. */
  context: (request: IncomingMessage, requestId: string) => Promise<Context>;
  /** Sees every finished request, e.g. for metrics. */
  onResponse?: (done: { method: string; path: string; status: number; seconds: number }) => void;
  /** Names this server in the logs. */
  name?: string;
  /** Routes tried before GraphQL, e.g. health checks and exports. */
  routes?: Route[];
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
  /** Wraps every GraphQL request once its body is read and checked, e.g. to answer some without Apollo. */
  intercept?: Interceptor<Context>;
}

/** A GraphQL request as the server read it, and the response it will be answered on. */
export interface GraphQLExchange {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  /** The raw request body; empty for a GET. */
  body: string;
}

/** What Apollo answered a request, once written to the client. */
export interface Answered<Context> {
  status: number;
  headers: Record<string, string>;
  /** The whole answer; undefined when it was streamed in parts. */
  body?: string;
  /** The request's context; undefined when Apollo refused the request before making one. */
  context?: Context;
}

/**
 * Runs around a GraphQL request: it may answer on `exchange.response` itself,
 * or call `execute` to have Apollo answer and learn what it answered. What
 * it throws (a refused body from `execute` included) is answered as any other
 * error of the request.
 */
export type Interceptor<Context> = (exchange: GraphQLExchange, execute: () => Promise<Answered<Context>>) => Promise<void>;

export interface Served {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 1_000_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** Whether a Content-Type names JSON: media types are case-insensitive, and parameters (charset) do not matter. */
export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType?.split(';', 1)[0]!.trim().toLowerCase() === 'application/json';
}

/**
 * Node keeps the first of two Authorization headers and drops the other, so
 * an empty one followed by a token would be served as anonymous, and a proxy
 * might check one token while the hub uses the other: refuse the request.
 */
function refuseRepeatedAuthorization(request: IncomingMessage): void {
  const count = request.headersDistinct.authorization?.length ?? 0;
  if (count > 1) throw new HttpError(400, `Send one Authorization header; this request has ${count}.`, ErrorCode.BAD_REQUEST);
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `The request body is larger than ${limit} bytes.`, 'PAYLOAD_TOO_LARGE');
    chunks.push(chunk as Buffer);
  }
  // Most bodies arrive in one chunk: decode it as it is, without copying it first.
  return chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
}

/**
 * Serves an Apollo server at /graphql on Node's own HTTP server, with room for
 * other routes beside it (Apollo's standalone server has none).
 */
export async function serveApollo<Context extends BaseContext>(
  apollo: ApolloServer<Context>,
  options: ServeOptions<Context>,
): Promise<Served> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  await apollo.start();

  const log = logger.child({ part: options.name ?? 'http' });
  let closing = false;
  const server = createServer((request, response) => {
    // Without tracing, no span name is built and no listener added for each request.
    if (!tracingEnabled()) return void handle(request, response);
    traceRequest(`${options.name ?? 'http'} ${request.method} ${(request.url ?? '/').split('?')[0]}`, request.headers, (endSpan) => {
      response.once('finish', () => endSpan(response.statusCode));
      return handle(request, response);
    });
  });
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const started = performance.now();
    const requestId = requestIdOf(request.headers);
    response.setHeader(REQUEST_ID_HEADER, requestId);
    // A request target that is not a URL (`//%zz`) is the client's error, answered below.
    const url = URL.parse(request.url ?? '/', 'http://localhost');
    // While closing, answers end their connection, so shutdown need not wait for idle keep-alives.
    if (closing) response.setHeader('connection', 'close');
    response.once('finish', () => {
      if (closing) setImmediate(() => server.closeIdleConnections());
      const seconds = (performance.now() - started) / 1000;
      const path = url?.pathname ?? '(invalid)';
      options.onResponse?.({ method: request.method ?? 'GET', path, status: response.statusCode, seconds });
      log.info({ requestId, method: request.method, path, status: response.statusCode, ms: Math.round(seconds * 1000) }, 'request');
    });
    try {
      if (!url) throw new HttpError(400, 'The request target is not a valid URL.', 'BAD_REQUEST');
      refuseRepeatedAuthorization(request);
      for (const route of options.routes ?? []) {
        if (await route(request, response, url)) return;
      }
      if (url.pathname !== '/graphql' && url.pathname !== '/') {
        throw new HttpError(404, `Nothing at ${url.pathname}; the GraphQL endpoint is /graphql.`, ErrorCode.NOT_FOUND);
      }
      const headers = new HeaderMap();
      for (const name in request.headers) {
        const value = request.headers[name];
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const raw = request.method === 'POST' ? await readBody(request, maxBodyBytes) : '';
      // No text in this graph holds a NUL, and PostgreSQL cannot take one: refuse it at the door.
      if (/\\u0000|\0/.test(raw) || /%00|\\u0000/i.test(url.search)) {
        throw new HttpError(400, 'The request contains a NUL character, which no value in this graph may hold.', 'BAD_REQUEST');
      }
      const execute = () => executeGraphQL(request, response, url, headers, raw, requestId);
      if (options.intercept) await options.intercept({ request, response, url, body: raw }, execute);
      else await execute();
    } catch (error) {
      if (response.headersSent) return void response.end();
      if (error instanceof HttpError) {
        // The rest of a refused body is never read: end the connection rather than leave it stuck.
        if (error.status === 413) response.setHeader('connection', 'close');
        sendJson(response, error.status, { errors: [{ message: error.message, extensions: { code: error.code } }] });
        if (error.status === 413) response.once('finish', () => request.destroy());
      } else {
        log.error({ err: error, requestId }, 'request failed');
        sendJson(response, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      }
    }
  };

  /** Runs one GraphQL request through Apollo and writes its answer. */
  const executeGraphQL = async (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    headers: HeaderMap,
    raw: string,
    requestId: string,
  ): Promise<Answered<Context>> => {
    let body: unknown = raw;
    if (raw && isJsonContentType(headers.get('content-type'))) {
      try {
        body = JSON.parse(raw);
      } catch {
        throw new HttpError(400, 'The request body is not valid JSON.', 'BAD_REQUEST');
      }
    }
    let context: Context | undefined;
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: request.method?.toUpperCase() ?? 'GET', headers, search: url.search, body },
      context: async () => (context = await options.context(request, requestId)),
    });
    const status = result.status ?? 200;
    const responseHeaders: Record<string, string> = {};
    for (const [name, value] of result.headers) responseHeaders[name] = value;
    response.writeHead(status, responseHeaders);
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
      return { status, headers: responseHeaders, body: result.body.string, context };
    }
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
    return { status, headers: responseHeaders, context };
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/graphql`,
    async close() {
      // Stop accepting, let requests in flight finish, then stop Apollo.
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await apollo.stop();
    },
  };
}
