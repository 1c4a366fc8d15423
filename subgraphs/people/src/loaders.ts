import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader, createBreakdowns, groupedConnection, groupedListLoader, perPageSize } from '@hub/toolkit';
import { MandatedRole } from './entities/mandated-role.js';
import { Membership } from './entities/membership.js';
import { PeopleOrganization, PeopleOrganizationKind } from './entities/people-organization.js';

export function createLoaders(em: EntityManager) {
  return {
    organization: byIdLoader(em, PeopleOrganization),
    organizationsByProvince: groupedConnection(em, PeopleOrganization, { keyColumn: 'province_code' }),
    organizationsByParent: groupedConnection(em, PeopleOrganization, { keyColumn: 'parent_id' }),
    membershipsOfMember: groupedConnection(em, Membership, { keyColumn: 'member_id' }),
    membershipsOfOrganization: groupedConnection(em, Membership, { keyColumn: 'organization_id' }),
    peopleCentreOfProvince: groupedListLoader(em, PeopleOrganization, { keyColumn: 'province_code', orderBy: 't.id' }, 1, {
      id: 'provincial-centre',
      sql: 't.kind = ?',
      params: [PeopleOrganizationKind.PROVINCIAL_CENTRE],
    }),
    stats: createBreakdowns(em),
    rolesByKind: perPageSize((limit) =>
      groupedListLoader(em, MandatedRole, { keyColumn: 'applies_to', orderBy: 't.ordinal, t.id' }, limit),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
