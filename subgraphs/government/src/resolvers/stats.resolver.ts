import { Args, Ctx, FieldResolver, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Count, StatsScopeArgs, statsScope, totalOf, type Breakdown, type StatsScope } from '@hub/toolkit';
import type { Context } from '../context.js';
import { Province } from '../entities/province.js';

const FROM = '"government"."government_centre" t';
const TOTAL: Breakdown = { id: 'total', from: FROM, province: 't.province_code', dimension: `'all'` };
const BY_KIND: Breakdown = { id: 'kind', from: FROM, province: 't.province_code', dimension: 't.kind' };

@ObjectType({ description: 'Counts of government actors in a province, a region or the whole country, computed in SQL.' })
export class GovernmentStats {
  scope!: StatsScope;
}

@Resolver(() => GovernmentStats)
export class GovernmentStatsResolver {
  @Query(() => GovernmentStats, { description: 'Government actors counted nationwide, or in one region or province.' })
  governmentStats(@Args() args: StatsScopeArgs): GovernmentStats {
    return { scope: statsScope(args) };
  }

  @FieldResolver(() => Int)
  async total(@Root() stats: GovernmentStats, @Ctx() { loaders }: Context) {
    return totalOf(await loaders.stats(TOTAL, stats.scope));
  }

  @FieldResolver(() => [Count], { description: 'By GovernmentCentreKind.' })
  byKind(@Root() stats: GovernmentStats, @Ctx() { loaders }: Context) {
    return loaders.stats(BY_KIND, stats.scope);
  }
}

@Resolver(() => Province)
export class ProvinceGovernmentStatsResolver {
  @FieldResolver(() => GovernmentStats, { description: 'Counts of the government actors serving this province.' })
  governmentStats(@Root() province: Province): GovernmentStats {
    return { scope: { provinceCode: province.code } };
  }
}
