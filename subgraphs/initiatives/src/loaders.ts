import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader, groupedListLoader, perPageSize } from '@hub/toolkit';
import { Initiative } from './entities/initiative.js';
import { Link } from './entities/link.js';
import { Participation } from './entities/participation.js';

export function createLoaders(em: EntityManager) {
  return {
    initiative: byIdLoader(em, Initiative),
    initiativesByProvince: perPageSize((limit) =>
      groupedListLoader(em, Initiative, { keyColumn: 'province_codes', keyShape: 'array', orderBy: 't.id' }, limit),
    ),
    participationsByInitiative: perPageSize((limit) =>
      groupedListLoader(em, Participation, { keyColumn: 'initiative_id', orderBy: 't.lead desc, t.id' }, limit),
    ),
    participationsByActor: perPageSize((limit) =>
      groupedListLoader(em, Participation, { keyColumn: 'actor_id', orderBy: 't.initiative_id, t.id' }, limit),
    ),
    linksByActor: perPageSize((limit) =>
      groupedListLoader(em, Link, { keyColumn: 'source_id', keyShape: { either: ['source_id', 'target_id'] }, orderBy: 't.id' }, limit),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
