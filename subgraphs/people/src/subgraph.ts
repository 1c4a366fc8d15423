import 'reflect-metadata';
import { historyResolver, type SubgraphDefinition } from '@hub/toolkit';
import { AGENCIES, contactResolver } from '@hub/domain';
import { MandatedRole } from './entities/mandated-role.js';
import { Membership } from './entities/membership.js';
import { PeopleOrganization } from './entities/people-organization.js';
import { createLoaders, type Loaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { referenceResolvers } from './references.js';
// type-graphql prints fields in the order they are declared, so these imports keep the published field order.
import { PeopleOrganizationResolver, ProvincePeopleResolver } from './resolvers/people-organization.js';
import { MembershipResolver, PeopleOrganizationMembershipsResolver } from './resolvers/membership.js';
import { MandatedRoleResolver, PeopleOrganizationRolesResolver } from './resolvers/mandated-role.js';
import { peopleStats, PeopleStatusStatsResolver, ProvincePeopleCentreResolver } from './resolvers/stats.js';
import { PeopleOrganizationMutations } from './mutations/people-organization.js';
import { MembershipMutations } from './mutations/membership.js';
import { MandatedRoleMutations } from './mutations/mandated-role.js';
import { demoTables } from './seed/demo.js';
import { seedFacts } from './seed/facts.js';

export { MandatedRole } from './entities/mandated-role.js';
export { Membership } from './entities/membership.js';
export { PeopleOrganization, PeopleOrganizationKind } from './entities/people-organization.js';

/** The people subgraph: people's-sector centres, community networks and organisations, memberships and mandated roles. */
export const people: SubgraphDefinition<Loaders> = {
  name: 'people',
  contact: {
    name: "People's-sector networks team (ศตจ.ปชช. data stewards)",
    description: "Owns people's-sector centres, community networks and organisations, their memberships and mandated roles.",
  },
  defaultPort: 4001,
  agencies: AGENCIES,
  entities: [PeopleOrganization, Membership, MandatedRole],
  migrations,
  resolvers: [
    PeopleOrganizationResolver,
    ProvincePeopleResolver,
    MembershipResolver,
    PeopleOrganizationMembershipsResolver,
    MandatedRoleResolver,
    PeopleOrganizationRolesResolver,
    ...peopleStats.resolvers,
    PeopleStatusStatsResolver,
    ProvincePeopleCentreResolver,
    PeopleOrganizationMutations,
    MembershipMutations,
    MandatedRoleMutations,
    contactResolver(PeopleOrganization),
    historyResolver(PeopleOrganization),
    historyResolver(Membership),
    historyResolver(MandatedRole),
  ],
  referenceResolvers,
  createLoaders,
  seedFacts,
  demoTables,
};
