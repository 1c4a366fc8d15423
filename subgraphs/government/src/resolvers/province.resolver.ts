import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { FirstArg, ListSize, PageArgs, Paged, PagedList } from '@hub/toolkit';
import { checkProvinceCode, PROVINCES, Region } from '@hub/domain';
import type { Context } from '../context.js';
import { OfficialOrder } from '../entities/official-order.js';
import { Province } from '../entities/province.js';
import { GovernmentCentreConnection } from './government-centre.resolver.js';

@Resolver(() => Province)
export class ProvinceResolver {
  @Query(() => Province, { nullable: true, description: 'A province by its ISO 3166-2:TH code, e.g. "TH-80".' })
  province(@Arg('code', () => ID) code: string, @Ctx() { loaders }: Context): Promise<Province | null> {
    return loaders.province.load(checkProvinceCode(code, 'code'));
  }

  @ListSize(PROVINCES.length)
  @Query(() => [Province], { nullable: true, description: 'All 77 provinces in code order, or those of one region.' })
  provinces(@Arg('region', () => Region, { nullable: true }) region: Region | null, @Ctx() { em }: Context): Promise<Province[]> {
    return em.find(Province, region ? { region } : {}, { orderBy: { code: 'asc' } });
  }

  @Paged()
  @FieldResolver(() => GovernmentCentreConnection, { description: 'Government centres and agencies that serve this province.' })
  governmentCentres(
    @Root() province: Province,
    @Args() page: PageArgs,
    @Ctx() { loaders }: Context,
  ) {
    return loaders.centresByProvince(province.code, page);
  }

  @PagedList()
  @FieldResolver(() => [OfficialOrder], {
    description: 'Orders whose pilot programme names this province, according to a source. Empty where no source names it.',
  })
  pilotIn(@Root() province: Province, @FirstArg() first: number | null, @Ctx() { loaders }: Context) {
    return loaders.ordersByPilotProvince(first).load(province.code);
  }
}
