import 'reflect-metadata';
import { historyResolver, type SubgraphDefinition } from '@hub/toolkit';
import { contactResolver } from '@hub/domain';
import { Contribution } from './entities/contribution.js';
import { PrivatePartner } from './entities/private-partner.js';
import { createLoaders, type Loaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { referenceResolvers } from './references.js';
import {
  ContributionResolver,
  InitiativeContributionsResolver,
  PrivatePartnerResolver,
  ProvincePartnersResolver,
} from './resolvers/private-partner.resolver.js';
import { partnerStats } from './resolvers/stats.resolver.js';
import { seedFacts } from './seed/facts.js';
import { PartnersWritesResolver } from './resolvers/writes.resolver.js';

export { Contribution, ContributionKind } from './entities/contribution.js';
export { PrivatePartner, PrivatePartnerKind } from './entities/private-partner.js';

/** The partners subgraph: private partners and what they contribute. */
export const partners: SubgraphDefinition<Loaders> = {
  name: 'partners',
  contact: {
    name: 'Private partners team',
    description: 'Owns private partners (companies, foundations, financial institutions, social enterprises) and their contributions.',
  },
  defaultPort: 4003,
  entities: [PrivatePartner, Contribution],
  migrations,
  resolvers: [
    PrivatePartnerResolver,
    ContributionResolver,
    ProvincePartnersResolver,
    InitiativeContributionsResolver,
    ...partnerStats.resolvers,
    PartnersWritesResolver,
    contactResolver(PrivatePartner),
    historyResolver(PrivatePartner),
    historyResolver(Contribution),
  ],
  referenceResolvers,
  createLoaders,
  seedFacts,
};
