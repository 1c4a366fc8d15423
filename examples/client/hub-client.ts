import type { TypedDocumentString } from './generated/graphql.js';

/**
 * A typed client of the hub in plain fetch. Every operation of examples/ is a
 * typed document in ./generated (`npm run codegen`), so TypeScript checks the
 * variables sent and knows the shape of the answer, custom scalars included
 * (dates are strings, JSON objects are records).
 */

/** A GraphQL error as the gateway sends it: `extensions.code` says what went wrong, `serviceName` which owner. */
export interface HubError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; serviceName?: string; [key: string]: unknown };
}

/**
 * An answer: the data, and the errors beside it. One owner's failure or a
 * field that needs a token costs only that part of the answer, so `data`
 * may be there with `errors`.
 */
export interface HubAnswer<Result> {
  data?: Result | null;
  errors?: HubError[];
}

/** The variables argument: optional when the operation has none or all of them have defaults. */
type VariablesArgument<Variables> = Partial<Variables> extends Variables ? [variables?: Variables] : [variables: Variables];

export interface HubClientOptions {
  /** The gateway's GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string;
  /** A bearer token, to sign in (`npm run -s token -- --agency <id> --role editor`); anonymous without one. */
  token?: string;
}

export interface HubClient {
  /**
   * A query, sent as a GET: anonymous answers carry `Cache-Control: public,
   * max-age=…`, so the browser and any CDN on the way can answer repeats.
   */
  query<Result, Variables>(document: TypedDocumentString<Result, Variables>, ...variables: VariablesArgument<Variables>): Promise<HubAnswer<Result>>;
  /** A mutation (or any operation), sent as a POST: never kept by a cache. */
  mutate<Result, Variables>(document: TypedDocumentString<Result, Variables>, ...variables: VariablesArgument<Variables>): Promise<HubAnswer<Result>>;
}

export function hubClient({ url, token }: HubClientOptions): HubClient {
  const signedIn: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  // A refused request (400, 413, ...) answers with errors and no data: read the same way as any answer.
  const answer = async <Result>(response: Response) => (await response.json()) as HubAnswer<Result>;
  return {
    async query(document, ...[variables]) {
      const search = new URLSearchParams({ query: document.toString() });
      if (variables) search.set('variables', JSON.stringify(variables));
      // The gateway refuses a GET without this header (or a non-simple content type): it proves to the
      // server that the request is not a cross-site form or link, which a browser sends without a preflight.
      const response = await fetch(`${url}?${search}`, { headers: { 'apollo-require-preflight': 'true', ...signedIn } });
      return answer(response);
    },
    async mutate(document, ...[variables]) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signedIn },
        body: JSON.stringify({ query: document.toString(), variables }),
      });
      return answer(response);
    },
  };
}
