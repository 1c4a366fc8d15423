import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '@hub/gateway';
import { startTestHub, type TestHub } from './support/hub.js';

describe('operation limits at the gateway', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub?.stop());

  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(hub.gatewayUrl, { method: 'POST', headers, body });
  const codes = (result: any) => result.errors?.map((e: any) => e.extensions?.code);

  it('refuses a document nested deeper than the limit', async () => {
    let selection = 'code';
    for (let i = 0; i < DEFAULT_LIMITS.maxDepth; i++) selection = `initiatives(first: 1) { nodes { provinces { ${selection} } } }`;
    const result = await hub.query(`{ province(code: "TH-80") { ${selection} } }`);
    expect(result.data).toBeUndefined();
    expect(codes(result)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(result.errors!.some((e) => /depth/i.test(e.message))).toBe(true);
  });

  it('refuses too many aliases, tokens or directives', async () => {
    const aliases = Array.from({ length: DEFAULT_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: provinces { code }`).join(' ');
    expect(codes(await hub.query(`{ ${aliases} }`))).toContain('GRAPHQL_VALIDATION_FAILED');
    const directives = Array.from({ length: DEFAULT_LIMITS.maxDirectives + 1 }, () => '@include(if: true)').join(' ');
    expect(codes(await hub.query(`{ provinces ${directives} { code } }`))).toContain('GRAPHQL_VALIDATION_FAILED');
    const tokens = Array.from({ length: DEFAULT_LIMITS.maxTokens }, () => 'code').join(' ');
    const tooLong = await post(JSON.stringify({ query: `{ provinces { ${tokens} } }` }));
    expect(tooLong.status).toBe(400);
    expect(codes(await tooLong.json())).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('refuses an operation whose estimated cost is too high, such as a huge page (see demand-control.test.ts)', async () => {
    const result = await hub.query(`{ initiatives(first: 100000) { nodes { participants(first: 500) { nodes { actor { name } } } } } }`);
    expect(codes(result)).toEqual(['COST_ESTIMATED_TOO_EXPENSIVE']);
    expect(result.errors![0]!.message).toMatch(/cost/i);
  });

  it('refuses a page larger than the maximum with BAD_USER_INPUT, in the subgraph', async () => {
    const result = await hub.query(`{ initiatives(first: 501) { totalCount } }`);
    expect(result).toMatchObject({ data: { initiatives: null } });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses an oversized body with 413, and a batch of operations', async () => {
    const huge = await post(JSON.stringify({ query: `{ provinces { code } }`, variables: { pad: 'x'.repeat(DEFAULT_LIMITS.maxBodyBytes) } }));
    expect(huge.status).toBe(413);
    const batch = await post(JSON.stringify([{ query: '{ provinces { code } }' }, { query: '{ provinces { code } }' }]));
    expect(batch.status).toBe(400);
  });

  it('refuses requests a browser could send across sites without asking (CSRF)', async () => {
    const form = await post('query=%7B+provinces+%7B+code+%7D+%7D', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(400);
    const simpleGet = await fetch(`${hub.gatewayUrl}?query=${encodeURIComponent('{ provinces { code } }')}`);
    expect(simpleGet.status).toBe(400);
    const declaredGet = await fetch(`${hub.gatewayUrl}?query=${encodeURIComponent('{ provinces { code } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(declaredGet.status).toBe(200);
  });

  it('answers every example within the default limits (see examples.test.ts) and introspection in development', async () => {
    const result = await hub.query(`{ __schema { queryType { name } } }`);
    expect(result).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });
});
