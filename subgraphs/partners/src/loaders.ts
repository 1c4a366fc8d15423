import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader, groupedListLoader, perPageSize } from '@hub/toolkit';
import { Contribution } from './entities/contribution.js';
import { PrivatePartner } from './entities/private-partner.js';

export function createLoaders(em: EntityManager) {
  return {
    partner: byIdLoader(em, PrivatePartner),
    partnersByProvince: perPageSize((limit) =>
      groupedListLoader(em, PrivatePartner, { keyColumn: 'province_code', orderBy: 't.id' }, limit),
    ),
    contributionsByPartner: perPageSize((limit) =>
      groupedListLoader(em, Contribution, { keyColumn: 'partner_id', orderBy: 't.id' }, limit),
    ),
    contributionsByInitiative: perPageSize((limit) =>
      groupedListLoader(em, Contribution, { keyColumn: 'initiative_id', orderBy: 't.id' }, limit),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
