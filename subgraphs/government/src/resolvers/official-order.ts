import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { findRows, FirstArg, ListSize, PagedList, pageSize } from '@hub/toolkit';
import { PROVINCES } from '@hub/domain';
import type { Context } from '../context.js';
import { GovernmentCentre } from '../entities/government-centre.js';
import { OfficialOrder } from '../entities/official-order.js';
import { Province } from '../entities/province.js';

@Resolver(() => OfficialOrder)
export class OfficialOrderResolver {
  @Query(() => OfficialOrder, { nullable: true, description: 'An official order by id.' })
  officialOrder(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context) {
    return loaders.officialOrder.load(id);
  }

  @PagedList()
  @Query(() => [OfficialOrder], { nullable: true, description: 'Official orders, oldest first.' })
  officialOrders(@FirstArg() first: number | null, @Ctx() { em }: Context) {
    return findRows(em, OfficialOrder, {}, { orderBy: { issuedOn: 'asc', id: 'asc' }, limit: pageSize(first) });
  }

  @FieldResolver(() => GovernmentCentre, { nullable: true, description: 'The body that issued the order.' })
  issuedBy(@Root() order: OfficialOrder, @Ctx() { loaders }: Context) {
    return loaders.governmentCentre.load(order.issuedById);
  }

  @ListSize(PROVINCES.length)
  @FieldResolver(() => [Province], { description: 'Pilot provinces that a source names; may be fewer than `pilotProvinceCount`.' })
  async pilotProvinces(@Root() order: OfficialOrder, @Ctx() { loaders }: Context) {
    const provinces = await loaders.province.loadMany(order.pilotProvinceCodes);
    return provinces.filter((p): p is Province => p instanceof Province);
  }
}

@Resolver(() => GovernmentCentre)
export class GovernmentCentreOrdersResolver {
  @PagedList()
  @FieldResolver(() => [OfficialOrder], { description: 'Orders it issued, oldest first.' })
  ordersIssued(@Root() centre: GovernmentCentre, @FirstArg() first: number | null, @Ctx() { loaders }: Context) {
    return loaders.ordersByIssuer(first).load(centre.id);
  }
}

@Resolver(() => Province)
export class ProvinceOrdersResolver {
  @PagedList()
  @FieldResolver(() => [OfficialOrder], {
    description: 'Orders whose pilot programme names this province, according to a source. Empty where no source names it.',
  })
  pilotIn(@Root() province: Province, @FirstArg() first: number | null, @Ctx() { loaders }: Context) {
    return loaders.ordersByPilotProvince(first).load(province.code);
  }
}
