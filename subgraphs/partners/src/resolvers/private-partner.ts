import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType, PageArgs, Paged, paginate, SearchArgument } from '@hub/toolkit';
import { actorListWhere } from '@hub/domain';
import type { Context } from '../context.js';
import { PrivatePartner, PrivatePartnerKind } from '../entities/private-partner.js';
import { Province } from '../external.js';

@ObjectType()
export class PrivatePartnerConnection extends ConnectionType(PrivatePartner, 'PrivatePartner') {}

@ArgsType()
class PrivatePartnerFilter {
  @Field(() => PrivatePartnerKind, { nullable: true })
  kind?: PrivatePartnerKind | null;

  @Field(() => ID, { nullable: true, description: 'ISO 3166-2:TH code of the province it is based in.' })
  provinceCode?: string | null;

  @SearchArgument()
  search?: string | null;
}

@Resolver(() => PrivatePartner)
export class PrivatePartnerResolver {
  @Query(() => PrivatePartner, { nullable: true, description: 'A private partner by id.' })
  privatePartner(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context) {
    return loaders.partner.load(id);
  }

  @Paged()
  @Query(() => PrivatePartnerConnection, { nullable: true, description: 'Private partners, filtered; in id order, or in order of relevance with `search`.' })
  privatePartners(
    @Args() filter: PrivatePartnerFilter,
    @Args() page: PageArgs,
    @Ctx() { em }: Context,
  ) {
    return paginate(em, PrivatePartner, actorListWhere<PrivatePartner>(filter), page, filter.search);
  }

  @FieldResolver(() => Province, { nullable: true, description: 'The province it is based in; null for national partners.' })
  province(@Root() partner: PrivatePartner): Province | null {
    return partner.provinceCode ? { code: partner.provinceCode } : null;
  }
}

@Resolver(() => Province)
export class ProvincePartnersResolver {
  @Paged()
  @FieldResolver(() => PrivatePartnerConnection, {
    nullable: true,
    description: 'Private partners based in this province.',
  })
  partners(
    @Root() province: Province,
    @Args() page: PageArgs,
    @Ctx() { loaders }: Context,
  ) {
    return loaders.partnersByProvince(province.code, page);
  }
}
