import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/postgresql';
import { ConnectionType, Cost, PageArgs, Paged, paginate, searchPattern } from '@hub/toolkit';
import { checkProvinceCode, EstablishmentStatus } from '@hub/domain';
import type { Context } from '../context.js';
import { PeopleOrganization, PeopleOrganizationKind } from '../entities/people-organization.js';
import { Province } from '../external.js';

@ObjectType()
export class PeopleOrganizationConnection extends ConnectionType(PeopleOrganization, 'PeopleOrganization') {}

@ArgsType()
class PeopleOrganizationFilter {
  @Field(() => PeopleOrganizationKind, { nullable: true })
  kind?: PeopleOrganizationKind | null;

  @Field(() => ID, { nullable: true, description: 'ISO 3166-2:TH code of the province.' })
  provinceCode?: string | null;

  @Field(() => EstablishmentStatus, { nullable: true })
  status?: EstablishmentStatus | null;

  // Matching the text against every name (a trigram index scan), beyond reading the page.
  @Cost(10)
  @Field(() => String, {
    nullable: true,
    description: 'Only those whose Thai or English name contains this text, ignoring case, spaces, punctuation and Thai tone marks.',
  })
  search?: string | null;
}

@Resolver(() => PeopleOrganization)
export class PeopleOrganizationResolver {
  @Query(() => PeopleOrganization, { nullable: true, description: "A people's-sector actor by id." })
  peopleOrganization(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context) {
    return loaders.organization.load(id);
  }

  @Paged()
  @Query(() => PeopleOrganizationConnection, { nullable: true, description: "People's-sector actors, filtered, in id order." })
  peopleOrganizations(
    @Args() filter: PeopleOrganizationFilter,
    @Args() page: PageArgs,
    @Ctx() { em }: Context,
  ) {
    const where: FilterQuery<PeopleOrganization> = {};
    if (filter.kind) where.kind = filter.kind;
    if (filter.status) where.status = filter.status;
    if (filter.provinceCode) where.provinceCode = checkProvinceCode(filter.provinceCode);
    if (filter.search) where.searchText = { $like: searchPattern(filter.search) };
    return paginate(em, PeopleOrganization, where, page);
  }

  @FieldResolver(() => Province, { nullable: true, description: 'Its province; null for national bodies.' })
  province(@Root() organization: PeopleOrganization): Province | null {
    return organization.provinceCode ? { code: organization.provinceCode } : null;
  }

  @FieldResolver(() => PeopleOrganization, { nullable: true, description: 'The body it belongs under.' })
  parent(@Root() organization: PeopleOrganization, @Ctx() { loaders }: Context) {
    return organization.parentId ? loaders.organization.load(organization.parentId) : null;
  }

  @Paged()
  @FieldResolver(() => PeopleOrganizationConnection, { description: 'Bodies that belong under it.' })
  children(
    @Root() organization: PeopleOrganization,
    @Args() page: PageArgs,
    @Ctx() { loaders }: Context,
  ) {
    return loaders.organizationsByParent(organization.id, page);
  }
}

@Resolver(() => Province)
export class ProvincePeopleResolver {
  @Paged()
  @FieldResolver(() => PeopleOrganizationConnection, {
    nullable: true,
    description: "People's-sector centres, networks and organisations in this province.",
  })
  peopleOrganizations(
    @Root() province: Province,
    @Args() page: PageArgs,
    @Ctx() { loaders }: Context,
  ) {
    return loaders.organizationsByProvince(province.code, page);
  }
}
