import 'reflect-metadata';
import type { SubgraphDefinition } from '@hub/toolkit';
import { AGENCIES } from '@hub/domain';
import type { Loaders } from './context.js';
import { FeedPosition } from './entities/feed-position.js';
import { SearchEntry } from './entities/search-entry.js';
import { Indexer } from './indexer.js';
import { migrations } from './migrations/index.js';
import { ChangesResolver, serveLiveChanges } from './resolvers/changes.js';
import { SearchResolver } from './resolvers/search.js';
import { LiveChanges } from './live/fan-in.js';
import { SearchIndex } from './search-index.js';

export { SearchEntry } from './entities/search-entry.js';
export { FeedPosition } from './entities/feed-position.js';
export { Indexer, type IndexerOptions } from './indexer.js';
export { LiveChanges, ChangesEnded, type OwnedChange } from './live/fan-in.js';
export { SearchIndex, INDEXED_OWNERS, type Applied, type ChangeNotice } from './search-index.js';
export { scoreOf } from './resolvers/search.js';
export type { Loaders } from './context.js';

/** The search subgraph: one search across all owners, from an index of their records' names. */
export const search: SubgraphDefinition<Loaders> = {
  name: 'search',
  contact: {
    name: 'Hub maintainers',
    description:
      "Owns the search across all owners (an index of every owner's actors, initiatives and provinces, filled through their public APIs and kept current from their change feeds) and the live `changes` of every owner, merged from the same feeds. It owns no records.",
  },
  defaultPort: 4005,
  agencies: AGENCIES,
  entities: [SearchEntry, FeedPosition],
  migrations,
  resolvers: [SearchResolver, ChangesResolver],
  createLoaders: () => ({}),
  // It holds no facts of its own: everything in it is read from the owners.
  seedFacts: async () => 0,
  async background({ orm, subgraphUrls }) {
    const indexer = new Indexer(orm, new SearchIndex(orm, subgraphUrls));
    await indexer.start();
    // The public `Subscription.changes`: the same four feeds, merged for subscribers (live/fan-in.ts).
    const live = new LiveChanges(subgraphUrls);
    serveLiveChanges(orm, live);
    return {
      async stop() {
        await live.close();
        await indexer.stop();
      },
    };
  },
};
