import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader, createBreakdowns, groupedConnection } from '@hub/toolkit';
import { Contribution } from './entities/contribution.js';
import { PrivatePartner } from './entities/private-partner.js';

export function createLoaders(em: EntityManager) {
  return {
    partner: byIdLoader(em, PrivatePartner),
    stats: createBreakdowns(em),
    partnersByProvince: groupedConnection(em, PrivatePartner, { keyColumn: 'province_code' }),
    contributionsByPartner: groupedConnection(em, Contribution, { keyColumn: 'partner_id' }),
    contributionsByInitiative: groupedConnection(em, Contribution, { keyColumn: 'initiative_id' }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
