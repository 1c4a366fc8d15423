import { gatewaySecretHeaders, SERVICE_HEADER } from '@hub/server';

/** The port each owner listens on by default (its routing URL in the committed supergraph). */
const DEFAULT_PORTS: Record<string, number> = { people: 4001, government: 4002, partners: 4003, initiatives: 4004 };

/** How long one call to an owner may take: a page of 500 records at national scale takes well under this. */
export const CALL_TIMEOUT_MS = 30_000;

/** An owner that did not answer, or answered with errors: the index retries it later. */
export class OwnerUnavailable extends Error {
  constructor(
    readonly subgraph: string,
    reason: string,
  ) {
    super(`the ${subgraph} subgraph did not answer the search index: ${reason}`);
  }
}

/**
 * Where each owner listens: as whoever started the search subgraph knows it
 * (`npm start`, the test harness), else `SUBGRAPH_<NAME>_URL` (the variables
 * the gateway reads), else the owner's default port on this machine.
 */
export function ownerUrls(given: Record<string, string>, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(
    Object.entries(DEFAULT_PORTS).map(([subgraph, port]) => [
      subgraph,
      given[subgraph] ?? env[`SUBGRAPH_${subgraph.toUpperCase()}_URL`] ?? `http://localhost:${port}/graphql`,
    ]),
  );
}

/**
 * One owner's public API, as the search index calls it: anonymously, with
 * the gateway secret, as any caller the gateway serves anonymously, so it
 * reads exactly what anyone may read through the gateway and never another
 * owner's tables. The live `changes` follows the feeds naming itself as the
 * search subgraph (`asService`), a reader who may see who made each change,
 * as it hands that on to signed-in subscribers only.
 */
export class OwnerApi {
  /** The headers of every call to this owner. */
  readonly headers: Record<string, string>;

  constructor(
    readonly subgraph: string,
    readonly url: string,
    asService = false,
  ) {
    this.headers = { ...gatewaySecretHeaders(), ...(asService ? { [SERVICE_HEADER]: 'search' } : {}) };
  }

  /** The `data` of a query, or OwnerUnavailable when the owner cannot be reached or answers with errors. */
  async query<Data>(query: string, variables: Record<string, unknown> = {}): Promise<Data> {
    let body: { data?: Data | null; errors?: { message: string }[] };
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.headers },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
      body = (await response.json()) as typeof body;
      if (!response.ok && !body.errors?.length) throw new Error(`HTTP ${response.status}`);
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new OwnerUnavailable(this.subgraph, cause ?? (error as Error).message);
    }
    if (body.errors?.length || !body.data) throw new OwnerUnavailable(this.subgraph, body.errors?.map((e) => e.message).join('; ') ?? 'no data');
    return body.data;
  }
}
