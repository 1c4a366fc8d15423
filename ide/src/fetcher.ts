import type { ExecutionResult } from 'graphql';

/** The gateway's GraphQL endpoint: the page is served by the same gateway. */
const endpoint = new URL('/graphql', window.location.href).href;

export type Headers = Record<string, string>;

export type GraphQLResult = ExecutionResult<any>;

/** POSTs one operation as JSON, with the headers of the header editor (e.g. Authorization). */
export async function runGraphQL(
  params: { query: string; variables?: unknown; operationName?: string | null },
  headers: Headers = {},
): Promise<GraphQLResult> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { accept: 'application/graphql-response+json, application/json', ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) throw new Error(`${response.status} ${response.statusText}: ${await response.text()}`);
  return (await response.json()) as GraphQLResult;
}
