import 'reflect-metadata';
import { historyResolver, type SubgraphDefinition } from '@hub/toolkit';
import { AGENCIES, contactResolver } from '@hub/domain';
import { Contribution } from './entities/contribution.js';
import { PrivatePartner } from './entities/private-partner.js';
import { createLoaders, type Loaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { referenceResolvers } from './references.js';
// type-graphql lists a type's fields in the order their modules load, so these
// imports keep the order of the committed schema.
import { PrivatePartnerResolver, ProvincePartnersResolver } from './resolvers/private-partner.js';
import { ContributionResolver, InitiativeContributionsResolver, PrivatePartnerContributionsResolver } from './resolvers/contribution.js';
import { partnerStats } from './resolvers/stats.js';
import { PrivatePartnerMutations } from './mutations/private-partner.js';
import { ContributionMutations } from './mutations/contribution.js';
import { demoTables } from './seed/demo.js';
import { seedFacts } from './seed/facts.js';

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
  agencies: AGENCIES,
  entities: [PrivatePartner, Contribution],
  migrations,
  resolvers: [
    PrivatePartnerResolver,
    ProvincePartnersResolver,
    ContributionResolver,
    PrivatePartnerContributionsResolver,
    InitiativeContributionsResolver,
    ...partnerStats.resolvers,
    PrivatePartnerMutations,
    ContributionMutations,
    contactResolver(PrivatePartner),
    historyResolver(PrivatePartner),
    historyResolver(Contribution),
  ],
  referenceResolvers,
  createLoaders,
  seedFacts,
  demoTables,
};
