import 'reflect-metadata';
import { historyResolver, type SubgraphDefinition } from '@hub/toolkit';
import { Initiative } from './entities/initiative.js';
import { Link } from './entities/link.js';
import { Participation } from './entities/participation.js';
import { createLoaders, type Loaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { referenceResolvers } from './references.js';
import { ActorResolver } from './resolvers/actor.resolver.js';
import { CoverageResolver } from './resolvers/coverage.resolver.js';
import { NetworkResolver } from './resolvers/network.resolver.js';
import {
  InitiativeResolver,
  LinkResolver,
  ParticipationResolver,
  ProvinceInitiativesResolver,
} from './resolvers/initiative.resolver.js';
import { InitiativeStatsResolver, ProvinceInitiativeStatsResolver } from './resolvers/stats.resolver.js';
import { seedFacts } from './seed/facts.js';
import { InitiativeWritesResolver } from './resolvers/writes.resolver.js';
import { OWNED_ACTORS } from './types/actor.js';

export { Initiative, InitiativeStatus } from './entities/initiative.js';
export { Link, LinkType } from './entities/link.js';
export { Participation, ParticipationRole } from './entities/participation.js';

/** The initiatives subgraph: joint initiatives, participations, standing links, and the Actor interface. */
export const initiatives: SubgraphDefinition<Loaders> = {
  name: 'initiatives',
  contact: {
    name: 'Joint initiatives team (hub maintainers)',
    description: 'Owns joint initiatives, participations, standing links between actors and the Actor interface.',
  },
  defaultPort: 4004,
  entities: [Initiative, Participation, Link],
  migrations,
  resolvers: [
    ActorResolver,
    InitiativeResolver,
    ParticipationResolver,
    LinkResolver,
    ProvinceInitiativesResolver,
    InitiativeStatsResolver,
    ProvinceInitiativeStatsResolver,
    CoverageResolver,
    NetworkResolver,
    InitiativeWritesResolver,
    historyResolver(Initiative),
    historyResolver(Participation),
    historyResolver(Link),
  ],
  orphanedTypes: OWNED_ACTORS,
  referenceResolvers,
  createLoaders,
  seedFacts,
};
