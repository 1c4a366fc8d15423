import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Count, enumSize, ListSize, type Breakdown, type StatsScope } from '@hub/toolkit';
import { actorStatsResolvers, EstablishmentStatus } from '@hub/domain';
import type { Context } from '../context.js';
import { PeopleOrganization, PeopleOrganizationKind } from '../entities/people-organization.js';
import { Province } from '../types/province.js';

/** peopleStats and Province.peopleStats: people's-sector actors by kind, and (below) by status. */
export const peopleStats = actorStatsResolvers({
  typeName: 'PeopleStats',
  what: "people's-sector actors",
  field: 'peopleStats',
  table: '"people"."people_organization"',
  kindEnum: 'PeopleOrganizationKind',
  kinds: PeopleOrganizationKind,
  Province,
});

const BY_STATUS: Breakdown = { id: 'status', from: '"people"."people_organization" t', province: 't.province_code', dimension: 't.status' };

@Resolver(() => peopleStats.Stats)
export class PeopleStatusStatsResolver {
  @ListSize(enumSize(EstablishmentStatus))
  @FieldResolver(() => [Count], { description: 'By EstablishmentStatus.' })
  byStatus(@Root() stats: { scope: StatsScope }, @Ctx() { loaders }: Context) {
    return loaders.stats(BY_STATUS, stats.scope);
  }
}

@Resolver(() => Province)
export class ProvincePeopleCentreResolver {
  @FieldResolver(() => PeopleOrganization, {
    nullable: true,
    description: "The province's people's centre (ศตจ.ปชช.จังหวัด), established or in coordination; null where there is none.",
  })
  peopleCentre(@Root() province: Province, @Ctx() { loaders }: Context) {
    return loaders.peopleCentreOfProvince.load(province.code).then((rows) => rows[0] ?? null);
  }
}
