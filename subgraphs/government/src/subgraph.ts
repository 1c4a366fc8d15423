import 'reflect-metadata';
import { historyResolver, type SubgraphDefinition } from '@hub/toolkit';
import { AGENCIES, contactResolver } from '@hub/domain';
import { GovernmentCentre } from './entities/government-centre.js';
import { OfficialOrder } from './entities/official-order.js';
import { Province } from './entities/province.js';
import { createLoaders, type Loaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { referenceResolvers } from './references.js';
// type-graphql prints fields in the order they are declared, so these imports keep the published field order.
import { GovernmentCentreResolver, ProvinceGovernmentCentresResolver } from './resolvers/government-centre.js';
import { GovernmentCentreOrdersResolver, OfficialOrderResolver, ProvinceOrdersResolver } from './resolvers/official-order.js';
import { ProvinceResolver } from './resolvers/province.js';
import { governmentStats } from './resolvers/stats.js';
import { GovernmentCentreMutations } from './mutations/government-centre.js';
import { OfficialOrderMutations } from './mutations/official-order.js';
import { demoTables } from './seed/demo.js';
import { seedFacts } from './seed/facts.js';

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
  agencies: AGENCIES,
  entities: [Province, GovernmentCentre, OfficialOrder],
  migrations,
  resolvers: [
    ProvinceResolver,
    GovernmentCentreResolver,
    ProvinceGovernmentCentresResolver,
    OfficialOrderResolver,
    GovernmentCentreOrdersResolver,
    ProvinceOrdersResolver,
    ...governmentStats.resolvers,
    GovernmentCentreMutations,
    OfficialOrderMutations,
    contactResolver(GovernmentCentre),
    historyResolver(GovernmentCentre),
    historyResolver(OfficialOrder),
  ],
  referenceResolvers,
  createLoaders,
  seedFacts,
  demoTables,
};
