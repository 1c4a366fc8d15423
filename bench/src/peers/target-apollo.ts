import { readFile } from 'node:fs/promises';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { GATEWAY_SECRET_HEADER, gatewaySecrets } from '@hub/server';
import { runTarget } from './child.js';

// (c) A stock @apollo/gateway inside a stock @apollo/server, every setting left
// at its default (fetcher, cache, CSRF prevention, landing page): what a team
// gets from Apollo's documentation, over the same committed supergraph. The
// one addition: the subgraphs answer only a gateway, so it sends the gateway
// secret, as the hub's gateway does.
await runTarget(async ({ supergraphPath, subgraphUrls }) => {
  const [header, identity] = [GATEWAY_SECRET_HEADER, gatewaySecrets().current];
  const gateway = new ApolloGateway({
    supergraphSdl: await readFile(supergraphPath, 'utf8'),
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource({
        url: subgraphUrls[name] ?? url!,
        willSendRequest: ({ request }) => void request.http?.headers.set(header, identity),
      }),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, stop: () => server.stop() };
});
