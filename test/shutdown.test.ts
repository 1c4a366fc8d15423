import { ApolloServer } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { serveApollo } from '@hub/server';

describe('graceful shutdown (what SIGTERM runs for every part)', () => {
  it('stops accepting, finishes the requests in flight, then stops', async () => {
    const apollo = new ApolloServer({
      typeDefs: 'type Query { slow: String }',
      resolvers: { Query: { slow: () => new Promise((resolve) => setTimeout(() => resolve('done'), 500)) } },
    });
    const served = await serveApollo(apollo, { port: 0, context: async () => ({}) });
    const inFlight = fetch(served.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ slow }' }),
    });
    await new Promise((r) => setTimeout(r, 100));

    const closing = served.close();
    await new Promise((r) => setTimeout(r, 50));
    await expect(fetch(served.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ slow }"}' })).rejects.toThrow();

    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ data: { slow: 'done' } });
    await closing;
  });
});
