import { Args, Ctx, FieldResolver, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Count, StatsScopeArgs, statsScope, totalOf, type Breakdown, type StatsScope } from '@hub/toolkit';
import type { Context } from '../context.js';
import { PeopleOrganization } from '../entities/people-organization.js';
import { Province } from '../types/province.js';

const FROM = '"people"."people_organization" t';
const TOTAL: Breakdown = { id: 'total', from: FROM, province: 't.province_code', dimension: `'all'` };
const BY_KIND: Breakdown = { id: 'kind', from: FROM, province: 't.province_code', dimension: 't.kind' };
const BY_STATUS: Breakdown = { id: 'status', from: FROM, province: 't.province_code', dimension: 't.status' };

@ObjectType({ description: "Counts of people's-sector actors in a province, a region or the whole country, computed in SQL." })
export class PeopleStats {
  scope!: StatsScope;
}

@Resolver(() => PeopleStats)
export class PeopleStatsResolver {
  @Query(() => PeopleStats, { description: "People's-sector actors counted nationwide, or in one region or province." })
  peopleStats(@Args() args: StatsScopeArgs): PeopleStats {
    return { scope: statsScope(args) };
  }

  @FieldResolver(() => Int)
  async total(@Root() stats: PeopleStats, @Ctx() { loaders }: Context) {
    return totalOf(await loaders.stats(TOTAL, stats.scope));
  }

  @FieldResolver(() => [Count], { description: 'By PeopleOrganizationKind.' })
  byKind(@Root() stats: PeopleStats, @Ctx() { loaders }: Context) {
    return loaders.stats(BY_KIND, stats.scope);
  }

  @FieldResolver(() => [Count], { description: 'By EstablishmentStatus.' })
  byStatus(@Root() stats: PeopleStats, @Ctx() { loaders }: Context) {
    return loaders.stats(BY_STATUS, stats.scope);
  }
}

@Resolver(() => Province)
export class ProvincePeopleStatsResolver {
  @FieldResolver(() => PeopleStats, {
    nullable: true,
    description: "Counts of the people's-sector actors in this province.",
  })
  peopleStats(@Root() province: Province): PeopleStats {
    return { scope: { provinceCode: province.code } };
  }

  @FieldResolver(() => PeopleOrganization, {
    nullable: true,
    description: "The province's people's centre (ศตจ.ปชช.จังหวัด), established or in coordination; null where there is none.",
  })
  peopleCentre(@Root() province: Province, @Ctx() { loaders }: Context) {
    return loaders.peopleCentreOfProvince.load(province.code).then((rows) => rows[0] ?? null);
  }
}
