import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType, PageArgs, Paged, paginate, SearchArgument } from '@hub/toolkit';
import { actorListWhere, EstablishmentStatus } from '@hub/domain';
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

  @SearchArgument()
  search?: string | null;
}

@Resolver(() => PeopleOrganization)
export class PeopleOrganizationResolver {
  @Query(() => PeopleOrganization, { nullable: true, description: "A people's-sector actor by id." })
  peopleOrganization(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context) {
    return loaders.organization.load(id);
  }

  @Paged()
  @Query(() => PeopleOrganizationConnection, { nullable: true, description: "People's-sector actors, filtered; in id order, or in order of relevance with `search`." })
  peopleOrganizations(
    @Args() filter: PeopleOrganizationFilter,
    @Args() page: PageArgs,
    @Ctx() { em }: Context,
  ) {
    return paginate(em, PeopleOrganization, actorListWhere<PeopleOrganization>(filter), page, filter.search);
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
