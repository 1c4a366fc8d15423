import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType, PageArgs, Paged, paginate, SearchArgument } from '@hub/toolkit';
import { actorListWhere } from '@hub/domain';
import type { Context } from '../context.js';
import { GovernmentCentre, GovernmentCentreKind } from '../entities/government-centre.js';
import { Province } from '../entities/province.js';

@ObjectType()
export class GovernmentCentreConnection extends ConnectionType(GovernmentCentre, 'GovernmentCentre') {}

@ArgsType()
class GovernmentCentreFilter {
  @Field(() => GovernmentCentreKind, { nullable: true })
  kind?: GovernmentCentreKind | null;

  @Field(() => ID, { nullable: true, description: 'ISO 3166-2:TH code of the province served.' })
  provinceCode?: string | null;

  @SearchArgument()
  search?: string | null;
}

@Resolver(() => GovernmentCentre)
export class GovernmentCentreResolver {
  @Query(() => GovernmentCentre, { nullable: true, description: 'A government actor by id.' })
  governmentCentre(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context) {
    return loaders.governmentCentre.load(id);
  }

  @Paged()
  @Query(() => GovernmentCentreConnection, { nullable: true, description: 'Government actors, filtered; in id order, or in order of relevance with `search`.' })
  governmentCentres(
    @Args() filter: GovernmentCentreFilter,
    @Args() page: PageArgs,
    @Ctx() { em }: Context,
  ) {
    return paginate(em, GovernmentCentre, actorListWhere<GovernmentCentre>(filter), page, filter.search);
  }

  @FieldResolver(() => Province, { nullable: true, description: 'The province it serves; null for national bodies.' })
  province(@Root() centre: GovernmentCentre, @Ctx() { loaders }: Context) {
    return centre.provinceCode ? loaders.province.load(centre.provinceCode) : null;
  }

  @FieldResolver(() => GovernmentCentre, { nullable: true, description: 'The body it reports to.' })
  parent(@Root() centre: GovernmentCentre, @Ctx() { loaders }: Context) {
    return centre.parentId ? loaders.governmentCentre.load(centre.parentId) : null;
  }

  @Paged()
  @FieldResolver(() => GovernmentCentreConnection, { description: 'Bodies that report to it.' })
  children(
    @Root() centre: GovernmentCentre,
    @Args() page: PageArgs,
    @Ctx() { loaders }: Context,
  ) {
    return loaders.centresByParent(centre.id, page);
  }
}

@Resolver(() => Province)
export class ProvinceGovernmentCentresResolver {
  @Paged()
  @FieldResolver(() => GovernmentCentreConnection, { description: 'Government centres and agencies that serve this province.' })
  governmentCentres(
    @Root() province: Province,
    @Args() page: PageArgs,
    @Ctx() { loaders }: Context,
  ) {
    return loaders.centresByProvince(province.code, page);
  }
}
