import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startStandaloneServer } from '@apollo/server/standalone';
import { stopOnSignals } from '@hub/toolkit';
import { createGateway, subgraphUrlsFromEnv } from './gateway.js';

// The gateway deployed alone: any supergraph file (SUPERGRAPH_PATH), subgraph
// addresses from SUBGRAPH_<NAME>_URL, and PORT.
const supergraphPath = process.env.SUPERGRAPH_PATH ?? fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));
const server = createGateway({
  supergraphSdl: await readFile(supergraphPath, 'utf8'),
  subgraphUrls: subgraphUrlsFromEnv(),
});
const { url } = await startStandaloneServer(server, { listen: { port: Number(process.env.PORT ?? 4000) } });
console.log(`gateway ready at ${url} (supergraph: ${supergraphPath})`);
stopOnSignals([{ stop: () => server.stop() }]);
