import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader, byKeyLoader, groupedListLoader, perPageSize } from '@hub/toolkit';
import { GovernmentCentre } from './entities/government-centre.js';
import { OfficialOrder } from './entities/official-order.js';
import { Province } from './entities/province.js';

export function createLoaders(em: EntityManager) {
  return {
    province: byKeyLoader(em, Province, 'code'),
    governmentCentre: byIdLoader(em, GovernmentCentre),
    officialOrder: byIdLoader(em, OfficialOrder),
    centresByProvince: perPageSize((limit) =>
      groupedListLoader(em, GovernmentCentre, { keyColumn: 'province_code', orderBy: 't.id' }, limit),
    ),
    centresByParent: perPageSize((limit) =>
      groupedListLoader(em, GovernmentCentre, { keyColumn: 'parent_id', orderBy: 't.id' }, limit),
    ),
    ordersByIssuer: perPageSize((limit) =>
      groupedListLoader(em, OfficialOrder, { keyColumn: 'issued_by_id', orderBy: 't.issued_on, t.id' }, limit),
    ),
    ordersByPilotProvince: perPageSize((limit) =>
      groupedListLoader(em, OfficialOrder, { keyColumn: 'pilot_province_codes', keyShape: 'array', orderBy: 't.issued_on, t.id' }, limit),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
