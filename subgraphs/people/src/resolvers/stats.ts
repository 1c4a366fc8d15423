import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Count, enumSize, ListSize, tableOf, type Breakdown, type StatsScope } from '@hub/toolkit';
import { actorStatsResolvers, EstablishmentStatus } from '@hub/domain';
import type { Context } from '../context.js';
import { PeopleOrganization, PeopleOrganizationKind } from '../entities/people-organization.js';
import { Province } from '../external.js';

/** peopleStats and Province.peopleStats: people's-sector actors by kind, and (below) by status. */
export const peopleStats = actorStatsResolvers({
  typeName: 'PeopleStats',
  what: "people's-sector actors",
  field: 'peopleStats',
  entity: PeopleOrganization,
  kindEnum: 'PeopleOrganizationKind',
  kinds: PeopleOrganizationKind,
  Province,
});

@Resolver(() => peopleStats.Stats)
export class PeopleStatusStatsResolver {
  @ListSize(enumSize(EstablishmentStatus))
  @FieldResolver(() => [Count], { description: 'By EstablishmentStatus.' })
  byStatus(@Root() stats: { scope: StatsScope }, @Ctx() { em, loaders }: Context) {
    const byStatus: Breakdown = { id: 'status', from: `${tableOf(em, PeopleOrganization)} t`, province: 't.province_code', dimension: 't.status' };
    return loaders.stats(byStatus, stats.scope);
  }
}

/**
 * Province.peopleCentre leads to a PeopleOrganization, yet is declared here:
 * type-graphql prints a type's fields in the order they are declared, and the
 * published schema has it after Province.peopleStats, which is declared above.
 */
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
