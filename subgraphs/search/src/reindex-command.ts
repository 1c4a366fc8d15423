import 'reflect-metadata';
import { createSubgraphOrm, databaseUrlFor, migrate } from '@hub/toolkit';
import { Indexer } from './indexer.js';
import { INDEXED_OWNERS, SearchIndex } from './search-index.js';
import { search } from './subgraph.js';

/**
 * `npm run search:reindex`: reads every owner in full through its public API
 * into the search index, while the hub runs. The owners are where
 * SUBGRAPH_<NAME>_URL says, else on their default ports; the index is in
 * SEARCH_DATABASE_URL, else DATABASE_URL (with `npm start` on the embedded
 * database, the URL it printed). A running search subgraph goes on following
 * the owners' feeds from where it was: a change during the reindex is
 * applied by both, which is harmless.
 */
async function main(): Promise<number> {
  const databaseUrl = databaseUrlFor(search.name);
  if (!databaseUrl) {
    console.error('Set SEARCH_DATABASE_URL or DATABASE_URL to the database of the search index (with `npm start` on the embedded database: the URL it printed).');
    return 2;
  }
  const orm = await createSubgraphOrm(search, { databaseUrl, poolSize: 2 });
  try {
    await migrate(orm);
    const indexer = new Indexer(orm, new SearchIndex(orm));
    let failed = 0;
    for (const subgraph of INDEXED_OWNERS) {
      try {
        const read = await indexer.readOwner(subgraph);
        console.log(`${subgraph}: ${read.toLocaleString('en')} ${read === 1 ? 'record' : 'records'}`);
      } catch (error) {
        console.error(`${subgraph}: ${(error as Error).message}`);
        failed++;
      }
    }
    return failed === 0 ? 0 : 1;
  } finally {
    await orm.close();
  }
}

process.exitCode = await main();
