import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { findRows, ListSize } from '@hub/toolkit';
import { checkProvinceCode, PROVINCES, Region } from '@hub/domain';
import type { Context } from '../context.js';
import { Province } from '../entities/province.js';

@Resolver(() => Province)
export class ProvinceResolver {
  @Query(() => Province, { nullable: true, description: 'A province by its ISO 3166-2:TH code, e.g. "TH-80".' })
  province(@Arg('code', () => ID) code: string, @Ctx() { loaders }: Context): Promise<Province | null> {
    return loaders.province.load(checkProvinceCode(code, 'code'));
  }

  @ListSize(PROVINCES.length)
  @Query(() => [Province], { nullable: true, description: 'All 77 provinces in code order, or those of one region.' })
  provinces(@Arg('region', () => Region, { nullable: true }) region: Region | null, @Ctx() { em }: Context): Promise<Province[]> {
    return findRows(em, Province, region ? { region } : {}, { orderBy: { code: 'asc' } });
  }
}
