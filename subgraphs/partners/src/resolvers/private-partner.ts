import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/postgresql';
import { ConnectionType, Cost, PageArgs, Paged, paginate, searchPattern } from '@hub/toolkit';
import { checkProvinceCode } from '@hub/domain';
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

  // Matching the text against every name (a trigram index scan), beyond reading the page.
  @Cost(10)
  @Field(() => String, {
    nullable: true,
    description: 'Only those whose Thai or English name contains this text, ignoring case, spaces, punctuation and Thai tone marks.',
  })
  search?: string | null;
}

@Resolver(() => PrivatePartner)
export class PrivatePartnerResolver {
  @Query(() => PrivatePartner, { nullable: true, description: 'A private partner by id.' })
  privatePartner(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context) {
    return loaders.partner.load(id);
  }

  @Paged()
  @Query(() => PrivatePartnerConnection, { nullable: true, description: 'Private partners, filtered, in id order.' })
  privatePartners(
    @Args() filter: PrivatePartnerFilter,
    @Args() page: PageArgs,
    @Ctx() { em }: Context,
  ) {
    const where: FilterQuery<PrivatePartner> = {};
    if (filter.kind) where.kind = filter.kind;
    if (filter.provinceCode) where.provinceCode = checkProvinceCode(filter.provinceCode);
    if (filter.search) where.searchText = { $like: searchPattern(filter.search) };
    return paginate(em, PrivatePartner, where, page);
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
