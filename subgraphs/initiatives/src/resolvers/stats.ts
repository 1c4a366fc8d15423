import { Args, Ctx, FieldResolver, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Cost, Count, enumSize, ListSize, tableOf, totalOf, type Breakdown, type StatsScope } from '@hub/toolkit';
import { Sector, statsScope, StatsScopeArgs, Theme } from '@hub/domain';
import type { Context } from '../context.js';
import { Initiative, InitiativeStatus } from '../entities/initiative.js';
import { Participation, ParticipationRole } from '../entities/participation.js';
import { Province } from '../external.js';

// The GIN index on province_codes narrows the rows before they fan out.
const IN_PROVINCES = { province: 'pc.code', narrow: 't.province_codes && array[?]::text[]' };
const PARTICIPATIONS_IN_PROVINCES = { province: 'pc.code', narrow: 'i.province_codes && array[?]::text[]' };

/**
 * The breakdowns, over the tables the ORM maps. An initiative belongs to every
 * province it works in; counting distinct ids keeps one working in two
 * provinces of a region from counting twice.
 */
function breakdowns(em: EntityManager) {
  const initiative = tableOf(em, Initiative);
  const participation = tableOf(em, Participation);
  const initiatives = `${initiative} t cross join lateral unnest(t.province_codes) as pc(code)`;
  const participations = `${participation} t join ${initiative} i on i.id = t.initiative_id
  cross join lateral unnest(i.province_codes) as pc(code)`;
  return {
    total: { id: 'total', from: initiatives, nationalFrom: `${initiative} t`, ...IN_PROVINCES, dimension: `'all'` },
    byTheme: {
      id: 'theme',
      from: `${initiatives} cross join lateral unnest(t.themes) as th(theme)`,
      nationalFrom: `${initiative} t cross join lateral unnest(t.themes) as th(theme)`,
      ...IN_PROVINCES,
      dimension: 'th.theme',
    },
    byStatus: { id: 'status', from: initiatives, nationalFrom: `${initiative} t`, ...IN_PROVINCES, dimension: 't.status' },
    byRole: { id: 'role', from: participations, nationalFrom: `${participation} t`, ...PARTICIPATIONS_IN_PROVINCES, dimension: 't.role' },
    bySector: { id: 'sector', from: participations, nationalFrom: `${participation} t`, ...PARTICIPATIONS_IN_PROVINCES, dimension: 't.sector' },
  } satisfies Record<string, Breakdown>;
}

@ObjectType({
  description:
    'Counts of joint initiatives and participations in a province, a region or the whole country, computed in SQL. An initiative counts once in each area it works in.',
})
export class InitiativeStats {
  scope!: StatsScope;
}

@Resolver(() => InitiativeStats)
export class InitiativeStatsResolver {
  // An aggregate (GROUP BY) over the owner's whole table, not a read of a few rows.
  @Cost(10)
  // Nullable, as every root field: a non-null one that its owner cannot answer nulls the whole answer, other owners' fields too.
  @Query(() => InitiativeStats, { nullable: true, description: 'Joint initiatives counted nationwide, or in one region or province.' })
  initiativeStats(@Args() args: StatsScopeArgs): InitiativeStats {
    return { scope: statsScope(args) };
  }

  @FieldResolver(() => Int, { description: 'How many initiatives.' })
  async total(@Root() stats: InitiativeStats, @Ctx() { em, loaders }: Context) {
    return totalOf(await loaders.stats(breakdowns(em).total, stats.scope));
  }

  @ListSize(enumSize(Theme))
  @FieldResolver(() => [Count], { description: 'Initiatives by Theme (one initiative counts under each of its themes).' })
  byTheme(@Root() stats: InitiativeStats, @Ctx() { em, loaders }: Context) {
    return loaders.stats(breakdowns(em).byTheme, stats.scope);
  }

  @ListSize(enumSize(InitiativeStatus))
  @FieldResolver(() => [Count], { description: 'Initiatives by InitiativeStatus.' })
  byStatus(@Root() stats: InitiativeStats, @Ctx() { em, loaders }: Context) {
    return loaders.stats(breakdowns(em).byStatus, stats.scope);
  }

  @ListSize(enumSize(ParticipationRole))
  @FieldResolver(() => [Count], { description: 'Participations by ParticipationRole.' })
  participationsByRole(@Root() stats: InitiativeStats, @Ctx() { em, loaders }: Context) {
    return loaders.stats(breakdowns(em).byRole, stats.scope);
  }

  @ListSize(enumSize(Sector))
  @FieldResolver(() => [Count], { description: "Participations by the participant's Sector." })
  participationsBySector(@Root() stats: InitiativeStats, @Ctx() { em, loaders }: Context) {
    return loaders.stats(breakdowns(em).bySector, stats.scope);
  }
}

@Resolver(() => Province)
export class ProvinceInitiativeStatsResolver {
  // An aggregate (GROUP BY) over the initiatives of the province, not a read of a few rows.
  @Cost(10)
  @FieldResolver(() => InitiativeStats, {
    nullable: true,
    description: 'Counts of the joint initiatives working in this province.',
  })
  initiativeStats(@Root() province: Province): InitiativeStats {
    return { scope: { provinceCode: province.code } };
  }
}
