import { getOperationAST, parse, type DocumentNode, type ExecutionResult } from 'graphql';
import { createClient } from 'graphql-sse';

/** The gateway's GraphQL endpoint: the page is served by the same gateway. */
const endpoint = new URL('/graphql', window.location.href).href;

export type Headers = Record<string, string>;

export type GraphQLResult = ExecutionResult<any>;

export interface OperationParams {
  query: string;
  variables?: unknown;
  operationName?: string | null;
}

/** POSTs one operation as JSON, with the headers of the header editor (e.g. Authorization). */
export async function runGraphQL(params: OperationParams, headers: Headers = {}): Promise<GraphQLResult> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { accept: 'application/graphql-response+json, application/json', ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) throw new Error(`${response.status} ${response.statusText}: ${await response.text()}`);
  return (await response.json()) as GraphQLResult;
}

/** Whether the operation to run is a subscription (GraphiQL passes the parsed document when it has one). */
export function isSubscription(params: OperationParams, document?: DocumentNode): boolean {
  try {
    const operation = getOperationAST(document ?? parse(params.query), params.operationName ?? undefined);
    return operation?.operation === 'subscription';
  } catch {
    return false; // Not GraphQL: sent as a query, so the gateway's error says what is wrong.
  }
}

/**
 * Runs a subscription over GraphQL over SSE (the graphql-sse protocol, on the
 * same /graphql, so the page's CSP needs no other origin): each event as it
 * arrives. The gateway never resumes a stream, so neither does the client:
 * an error ends the iteration, and running again subscribes again.
 */
export function subscribeGraphQL(params: OperationParams, headers: Headers = {}): AsyncIterableIterator<GraphQLResult> {
  const client = createClient({ url: endpoint, headers, retryAttempts: 0 });
  return client.iterate({
    query: params.query,
    ...(params.variables ? { variables: params.variables as Record<string, unknown> } : {}),
    ...(params.operationName ? { operationName: params.operationName } : {}),
  });
}
