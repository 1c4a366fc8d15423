import { Args, Ctx, FieldResolver, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Count, StatsScopeArgs, statsScope, totalOf, type Breakdown, type StatsScope } from '@hub/toolkit';
import type { Context } from '../context.js';
import { Province } from '../types/references.js';

const FROM = '"partners"."private_partner" t';
const TOTAL: Breakdown = { id: 'total', from: FROM, province: 't.province_code', dimension: `'all'` };
const BY_KIND: Breakdown = { id: 'kind', from: FROM, province: 't.province_code', dimension: 't.kind' };

@ObjectType({ description: 'Counts of private partners in a province, a region or the whole country, computed in SQL.' })
export class PartnerStats {
  scope!: StatsScope;
}

@Resolver(() => PartnerStats)
export class PartnerStatsResolver {
  @Query(() => PartnerStats, { description: 'Private partners counted nationwide, or in one region or province.' })
  partnerStats(@Args() args: StatsScopeArgs): PartnerStats {
    return { scope: statsScope(args) };
  }

  @FieldResolver(() => Int)
  async total(@Root() stats: PartnerStats, @Ctx() { loaders }: Context) {
    return totalOf(await loaders.stats(TOTAL, stats.scope));
  }

  @FieldResolver(() => [Count], { description: 'By PrivatePartnerKind.' })
  byKind(@Root() stats: PartnerStats, @Ctx() { loaders }: Context) {
    return loaders.stats(BY_KIND, stats.scope);
  }
}

@Resolver(() => Province)
export class ProvincePartnerStatsResolver {
  @FieldResolver(() => PartnerStats, {
    nullable: true,
    description: 'Counts of the private partners based in this province.',
  })
  partnerStats(@Root() province: Province): PartnerStats {
    return { scope: { provinceCode: province.code } };
  }
}
