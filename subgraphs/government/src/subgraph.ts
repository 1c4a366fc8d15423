import 'reflect-metadata';
import { historyResolver, type SubgraphDefinition } from '@hub/toolkit';
import { contactResolver } from '@hub/domain';
import { GovernmentCentre } from './entities/government-centre.js';
import { OfficialOrder } from './entities/official-order.js';
import { Province } from './entities/province.js';
import { createLoaders, type Loaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { referenceResolvers } from './references.js';
import { GovernmentCentreResolver } from './resolvers/government-centre.resolver.js';
import { OfficialOrderResolver } from './resolvers/official-order.resolver.js';
import { ProvinceResolver } from './resolvers/province.resolver.js';
import { governmentStats } from './resolvers/stats.resolver.js';
import { seedFacts } from './seed/facts.js';
import { GovernmentWritesResolver } from './resolvers/writes.resolver.js';

export { GovernmentCentre, GovernmentCentreKind } from './entities/government-centre.js';
export { OfficialOrder } from './entities/official-order.js';
export { Province } from './entities/province.js';

/** The government subgraph: provinces, the national and provincial centres, agencies and official orders. */
export const government: SubgraphDefinition<Loaders> = {
  name: 'government',
  contact: {
    name: 'Government centres team (ศตจ.ชาติ / ศตจ.จังหวัด data stewards)',
    description: 'Owns provinces, government anti-poverty centres, agencies and official orders.',
  },
  defaultPort: 4002,
  entities: [Province, GovernmentCentre, OfficialOrder],
  migrations,
  resolvers: [
    ProvinceResolver,
    GovernmentCentreResolver,
    OfficialOrderResolver,
    ...governmentStats.resolvers,
    GovernmentWritesResolver,
    contactResolver(GovernmentCentre),
    historyResolver(GovernmentCentre),
    historyResolver(OfficialOrder),
  ],
  referenceResolvers,
  createLoaders,
  seedFacts,
};
