import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader, byKeyLoader, createBreakdowns, groupedConnection, groupedListLoader, perPageSize } from '@hub/toolkit';
import { GovernmentCentre } from './entities/government-centre.js';
import { OfficialOrder } from './entities/official-order.js';
import { Province } from './entities/province.js';

export function createLoaders(em: EntityManager) {
  return {
    province: byKeyLoader(em, Province, 'code'),
    governmentCentre: byIdLoader(em, GovernmentCentre),
    officialOrder: byIdLoader(em, OfficialOrder),
    stats: createBreakdowns(em),
    centresByProvince: groupedConnection(em, GovernmentCentre, { keyColumn: 'province_code' }),
    centresByParent: groupedConnection(em, GovernmentCentre, { keyColumn: 'parent_id' }),
    ordersByIssuer: perPageSize((limit) =>
      groupedListLoader(em, OfficialOrder, { keyColumn: 'issued_by_id', orderBy: 't.issued_on, t.id' }, limit),
    ),
    ordersByPilotProvince: perPageSize((limit) =>
      groupedListLoader(em, OfficialOrder, { keyColumn: 'pilot_province_codes', keyShape: 'array', orderBy: 't.issued_on, t.id' }, limit),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
