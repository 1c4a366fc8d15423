import 'reflect-metadata';
import { historyResolver, type SubgraphDefinition } from '@hub/toolkit';
import { AGENCIES } from '@hub/domain';
import { Initiative } from './entities/initiative.js';
import { Link } from './entities/link.js';
import { Participation } from './entities/participation.js';
import { OWNED_ACTORS } from './external.js';
import { createLoaders, type Loaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { referenceResolvers } from './references.js';
// type-graphql lists a type's fields in the order their modules load, so these
// imports keep the order of the committed schema.
import { ActorResolver } from './resolvers/actor.js';
import { CoverageResolver } from './resolvers/coverage.js';
import {
  NetworkEdgeResolver,
  NetworkRecordsResolver,
  NetworkResolver,
  ProvinceNetworkRecordsResolver,
  SharedInitiativeResolver,
} from './resolvers/network.js';
import { ActorInitiativesResolver, InitiativeResolver, ProvinceInitiativesResolver } from './resolvers/initiative.js';
import { ActorParticipationsResolver, InitiativeParticipantsResolver, ParticipationResolver } from './resolvers/participation.js';
import { ActorLinksResolver, LinkResolver } from './resolvers/link.js';
import { InitiativeStatsResolver, ProvinceInitiativeStatsResolver } from './resolvers/stats.js';
import { InitiativeMutations } from './mutations/initiative.js';
import { ParticipationMutations } from './mutations/participation.js';
import { LinkMutations } from './mutations/link.js';
import { demoTables } from './seed/demo.js';
import { seedFacts } from './seed/facts.js';

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
  agencies: AGENCIES,
  entities: [Initiative, Participation, Link],
  migrations,
  resolvers: [
    ActorResolver,
    CoverageResolver,
    NetworkResolver,
    NetworkRecordsResolver,
    ProvinceNetworkRecordsResolver,
    NetworkEdgeResolver,
    SharedInitiativeResolver,
    InitiativeResolver,
    ProvinceInitiativesResolver,
    ActorInitiativesResolver,
    ParticipationResolver,
    InitiativeParticipantsResolver,
    ActorParticipationsResolver,
    LinkResolver,
    ActorLinksResolver,
    InitiativeStatsResolver,
    ProvinceInitiativeStatsResolver,
    InitiativeMutations,
    ParticipationMutations,
    LinkMutations,
    historyResolver(Initiative),
    historyResolver(Participation),
    historyResolver(Link),
  ],
  orphanedTypes: OWNED_ACTORS,
  referenceResolvers,
  createLoaders,
  seedFacts,
  demoTables,
};
