import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader, groupedConnection } from '@hub/toolkit';
import { Initiative } from './entities/initiative.js';
import { Link } from './entities/link.js';
import { Participation } from './entities/participation.js';

export function createLoaders(em: EntityManager) {
  return {
    initiative: byIdLoader(em, Initiative),
    initiativesByProvince: groupedConnection(em, Initiative, { keyColumn: 'province_codes', keyShape: 'array' }),
    initiativesByActor: groupedConnection(em, Initiative, {
      keyColumn: 'initiative_id',
      keyShape: { through: { table: 'participation', parentColumn: 'actor_id' } },
    }),
    participationsByInitiative: groupedConnection(em, Participation, { keyColumn: 'initiative_id' }),
    participationsByActor: groupedConnection(em, Participation, { keyColumn: 'actor_id' }),
    linksByActor: groupedConnection(em, Link, { keyColumn: 'source_id', keyShape: { either: ['source_id', 'target_id'] } }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
