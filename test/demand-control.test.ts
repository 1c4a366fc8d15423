import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COST_HEADER, createGateway, DEFAULT_LIMITS, serveGateway, type CostExtension, type OperationLimits } from '@hub/gateway';
import { SCHEMA_DIR } from '@hub/scripts/compose';
import { startTestHub, type TestHub } from './support/hub.js';

interface Answer {
  status: number;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, any> }[]; extensions?: { cost?: CostExtension } };
}

async function send(url: string, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [COST_HEADER]: 'true' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const HOSTILE = /* GraphQL */ `{ provinces { initiatives { nodes { participants { nodes { actor { initiatives { nodes { participants { nodes { actor { id } } } } } } } } } } } }`;

describe('demand control: every operation is priced from the supergraph before any subgraph is called', () => {
  let hub: TestHub;
  let statements = 0;
  beforeAll(async () => {
    hub = await startTestHub({ onQuery: () => statements++ });
  });
  afterAll(() => hub?.stop());

  const estimate = async (query: string, variables?: Record<string, unknown>) => {
    const answer = await send(hub.gatewayUrl, query, variables);
    expect(answer.body.errors).toBeUndefined();
    return answer.body.extensions!.cost!.estimated;
  };

  it('counts a literal `first` as the page it asks for: one connection plus one object per node', async () => {
    expect(await estimate(`{ initiatives(first: 10) { nodes { id } } }`)).toBe(1 + 10);
    expect(await estimate(`{ initiatives(first: 10) { edges { node { id } } } }`)).toBe(1 + 10 * 2);
  });

  it('counts a variable as its value, and a missing `first` as the default page', async () => {
    const literal = await estimate(`{ initiatives(first: 37) { nodes { id title } } }`);
    expect(await estimate(`query Page($n: Int) { initiatives(first: $n) { nodes { id title } } }`, { n: 37 })).toBe(literal);
    const defaultPage = await estimate(`{ initiatives(first: 50) { nodes { id } } }`);
    expect(await estimate(`{ initiatives { nodes { id } } }`)).toBe(defaultPage);
    expect(await estimate(`query Page($n: Int) { initiatives(first: $n) { nodes { id } } }`)).toBe(defaultPage);
    expect(await estimate(`query Page($n: Int = 50) { initiatives(first: $n) { nodes { id } } }`)).toBe(defaultPage);
  });

  it('multiplies nested pages: 50 initiatives of 50 participants cost 50 times one initiative', async () => {
    const one = await estimate(`{ initiatives(first: 1) { nodes { participants(first: 50) { nodes { role actor { name } } } } } }`);
    const fifty = await estimate(`{ initiatives(first: 50) { nodes { participants(first: 50) { nodes { role actor { name } } } } } }`);
    expect(fifty - 1).toBe(50 * (one - 1));
  });

  it('counts each alias, and a fragment wherever it is spread', async () => {
    const inline = await estimate(`{ initiatives(first: 10) { nodes { id provinces { code } } } }`);
    expect(await estimate(`{ a: initiatives(first: 10) { nodes { id provinces { code } } } b: initiatives(first: 10) { nodes { id provinces { code } } } }`)).toBe(
      2 * inline,
    );
    const spread = /* GraphQL */ `
      query { a: initiatives(first: 10) { ...Page } b: initiatives(first: 10) { ...Page } }
      fragment Page on InitiativeConnection { nodes { id ... on Initiative { provinces { code } } } }`;
    expect(await estimate(spread)).toBe(2 * inline);
    expect(await estimate(`query($skip: Boolean!) { a: initiatives(first: 10) { nodes { id provinces { code } } } b: initiatives(first: 10) @skip(if: $skip) { nodes { id } } }`, { skip: true })).toBe(inline);
  });

  it('prices the graph queries by their limits and the work of the walk, not as scalars', async () => {
    const small = await estimate(`{ neighbourhood(actorId: "gov_th80_centre", limit: 10) { nodes { depth } } }`);
    const eleven = await estimate(`{ neighbourhood(actorId: "gov_th80_centre", limit: 11) { nodes { depth } } }`);
    const large = await estimate(`{ neighbourhood(actorId: "gov_th80_centre", limit: 1000) { nodes { depth } } }`);
    // Each actor the walk may reach costs the same, and more than the object it returns.
    expect(eleven - small).toBeGreaterThan(1);
    expect(large - small).toBe(990 * (eleven - small));
    const collaborators = (first: number) => estimate(`{ collaborators(actorId: "gov_th80_centre", first: ${first}) { actor { id } } }`);
    const [five, ten, many] = [await collaborators(5), await collaborators(10), await collaborators(500)];
    expect(ten).toBeGreaterThan(five);
    expect(many - five).toBe(99 * (ten - five));
    const network = await estimate(`{ provinceNetwork(provinceCode: "TH-80", top: 10) { nodeCount } }`);
    expect(network).toBeGreaterThan(1);
  });

  it('refuses an operation over the budget before any subgraph is called, saying what to trim', async () => {
    statements = 0;
    const answer = await send(hub.gatewayUrl, HOSTILE);
    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors).toHaveLength(1);
    const [error] = answer.body.errors!;
    expect(error!.extensions!.code).toBe('COST_ESTIMATED_TOO_EXPENSIVE');
    expect(error!.extensions!.cost.max).toBe(DEFAULT_LIMITS.maxCost);
    expect(error!.extensions!.cost.estimated).toBeGreaterThan(DEFAULT_LIMITS.maxCost);
    expect(error!.extensions!.cost.costliest[0].path).toMatch(/^provinces\.initiatives/);
    expect(error!.message).toMatch(/first/);
    expect(error!.message).not.toMatch(/syntax/i);
    expect(statements).toBe(0);
  });

  it('refuses the same shape with `first: $n`, counting the variable', async () => {
    const query = `query Deep($n: Int) { provinces { initiatives(first: $n) { nodes { participants(first: $n) { nodes { actor { initiatives(first: $n) { nodes { id } } } } } } } } }`;
    const answer = await send(hub.gatewayUrl, query, { n: 500 });
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('COST_ESTIMATED_TOO_EXPENSIVE');
  });

  it('answers the questions dashboards really ask', async () => {
    const card = await send(
      hub.gatewayUrl,
      `{ province(code: "TH-80") { initiatives(first: 50) { nodes { title participants(first: 50) { nodes { role actor { name } } } } } } }`,
    );
    expect(card.body.errors).toBeUndefined();
    expect(card.body.data.province.initiatives.nodes.length).toBeGreaterThan(0);
    const cards = await send(
      hub.gatewayUrl,
      `{ provinces { code nameEn peopleOrganizations { totalCount } governmentCentres { totalCount } partners { totalCount } initiatives { totalCount } } }`,
    );
    expect(cards.body.errors).toBeUndefined();
    expect(cards.body.data.provinces).toHaveLength(77);
    const network = await send(
      hub.gatewayUrl,
      `{ neighbourhood(actorId: "gov_th80_centre", depth: 2) { nodes { depth actor { id name } } edges { kind source { id } target { id } } } }`,
    );
    expect(network.body.errors).toBeUndefined();
  });

  it('measures the actual cost from the answer, beside the estimate', async () => {
    const provinces = await send(hub.gatewayUrl, `{ provinces { code } }`);
    expect(provinces.body.extensions!.cost).toMatchObject({ estimated: 77, actual: 77, max: DEFAULT_LIMITS.maxCost });
    const page = await send(hub.gatewayUrl, `{ initiatives(first: 50) { nodes { id } } }`);
    const { estimated, actual } = page.body.extensions!.cost!;
    expect(actual).toBe(1 + page.body.data.initiatives.nodes.length);
    expect(actual).toBeLessThan(estimated);
    const metrics = await (await fetch(hub.gatewayUrl.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/hub_operation_cost_count\{kind="estimated"\} [1-9]/);
    expect(metrics).toMatch(/hub_operation_cost_count\{kind="actual"\} [1-9]/);
  });

  it('leaves the cost out unless the client asks for it', async () => {
    const response = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ provinces { code } }' }),
    });
    expect(((await response.json()) as Answer['body']).extensions?.cost).toBeUndefined();
  });

  describe('with budgets of its own', () => {
    const served: { close(): Promise<void> | void }[] = [];
    afterAll(async () => {
      for (const part of served) await part.close();
    });

    async function gatewayWith(limits: Partial<OperationLimits>, replace: Record<string, string> = {}): Promise<string> {
      const gateway = createGateway({
        supergraph: { path: SCHEMA_DIR + 'supergraph.graphql', watch: false },
        subgraphUrls: { ...Object.fromEntries(hub.subgraphs.map((s) => [s.name, s.url])), ...replace },
        limits: { ...DEFAULT_LIMITS, ...limits },
        log: () => {},
      });
      const server = await serveGateway(gateway, { port: 0 });
      served.push(server);
      return server.url;
    }

    it('refuses an operation over one subgraph\'s budget, naming that subgraph, and serves the others', async () => {
      const url = await gatewayWith({ subgraphMaxCost: { bySubgraph: { initiatives: 100 } } });
      const refused = await send(url, `{ initiatives(first: 200) { nodes { id } } }`);
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'COST_ESTIMATED_TOO_EXPENSIVE', cost: { subgraph: 'initiatives', subgraphMax: 100 } });
      const allowed = await send(url, `{ provinces { code nameEn } }`);
      expect(allowed.body.errors).toBeUndefined();
    });

    it('refuses a subgraph answer over the size cap with a clear error, and keeps serving', async () => {
      const url = await gatewayWith({ maxSubgraphResponseBytes: 2_000 });
      const answer = await send(url, `{ provinces { code nameTh nameEn region } }`);
      expect(answer.status).toBe(200);
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_RESPONSE_TOO_LARGE', serviceName: 'government' });
      const small = await send(url, `{ province(code: "TH-80") { nameEn } }`);
      expect(small.body).toMatchObject({ data: { province: { nameEn: 'Nakhon Si Thammarat' } } });
    });

    it('ends a request that runs past its wall-clock budget, with the rest of the answer', async () => {
      const stalled = await stalledSubgraph();
      served.push(stalled);
      const url = await gatewayWith({ requestTimeoutMs: 300 }, { partners: stalled.url });
      const answer = await send(url, `{ province(code: "TH-80") { nameEn partners { totalCount } } }`);
      expect(answer.body.data.province).toEqual({ nameEn: 'Nakhon Si Thammarat', partners: null });
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'REQUEST_TIMEOUT', serviceName: 'partners' });
    });
  });
});

describe('the subgraphs\' row budget, behind the estimate', () => {
  let hub: TestHub;
  beforeAll(async () => {
    // Read when each subgraph starts: a budget far below one page of the 79 government centres.
    process.env.SUBGRAPH_MAX_ROWS = '10';
    try {
      hub = await startTestHub();
    } finally {
      delete process.env.SUBGRAPH_MAX_ROWS;
    }
  });
  afterAll(() => hub?.stop());

  it('stops a request that would read more rows than its budget with a clear error, and keeps serving', async () => {
    // The budget is per request and subgraph: the initiatives subgraph still answers its part.
    const answer = await send(hub.gatewayUrl, `{ governmentCentres(first: 100) { nodes { id } } initiative(id: "ini_km_nakhon") { id } }`);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ governmentCentres: null, initiative: { id: 'ini_km_nakhon' } });
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['RESPONSE_TOO_LARGE']);
    const small = await send(hub.gatewayUrl, `{ governmentCentres(first: 5) { nodes { id } } }`);
    expect(small.body.errors).toBeUndefined();
  });
});

/** A stand-in for a subgraph that reads each call and never answers it. */
async function stalledSubgraph(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request) => request.resume());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
