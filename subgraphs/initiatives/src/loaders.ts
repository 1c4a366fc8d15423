import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader, createBreakdowns, groupedConnection, tableOf } from '@hub/toolkit';
import { Initiative } from './entities/initiative.js';
import { Link, LinkType } from './entities/link.js';
import { Participation } from './entities/participation.js';

export function createLoaders(em: EntityManager) {
  return {
    initiative: byIdLoader(em, Initiative),
    link: byIdLoader(em, Link),
    stats: createBreakdowns(em),
    coordinationLinked: coordinationLoader(em),
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

/** Whether a COORDINATION link joins each "actorA|actorB" pair, in either direction: one SELECT per batch. */
function coordinationLoader(em: EntityManager) {
  return new DataLoader<string, boolean>(async (pairs) => {
    const ends = [...new Set(pairs.flatMap((pair) => pair.split('|')))];
    const links = await em
      .getConnection()
      .execute<{ source_id: string; target_id: string }[]>(
        `select source_id, target_id from ${tableOf(em, Link)} where type = ? and source_id in (?) and target_id in (?)`,
        [LinkType.COORDINATION, ends, ends],
      );
    const linked = new Set(links.flatMap((l) => [`${l.source_id}|${l.target_id}`, `${l.target_id}|${l.source_id}`]));
    return pairs.map((pair) => linked.has(pair));
  });
}

export type Loaders = ReturnType<typeof createLoaders>;
