import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader, groupedListLoader, perPageSize } from '@hub/toolkit';
import { MandatedRole } from './entities/mandated-role.js';
import { Membership } from './entities/membership.js';
import { PeopleOrganization } from './entities/people-organization.js';

export function createLoaders(em: EntityManager) {
  return {
    organization: byIdLoader(em, PeopleOrganization),
    organizationsByProvince: perPageSize((limit) =>
      groupedListLoader(em, PeopleOrganization, { keyColumn: 'province_code', orderBy: 't.id' }, limit),
    ),
    organizationsByParent: perPageSize((limit) =>
      groupedListLoader(em, PeopleOrganization, { keyColumn: 'parent_id', orderBy: 't.id' }, limit),
    ),
    membershipsOfMember: perPageSize((limit) =>
      groupedListLoader(em, Membership, { keyColumn: 'member_id', orderBy: 't.id' }, limit),
    ),
    membershipsOfOrganization: perPageSize((limit) =>
      groupedListLoader(em, Membership, { keyColumn: 'organization_id', orderBy: 't.id' }, limit),
    ),
    rolesByKind: perPageSize((limit) =>
      groupedListLoader(em, MandatedRole, { keyColumn: 'applies_to', orderBy: 't.ordinal, t.id' }, limit),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
