import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { badUserInput } from '@hub/server';
import { ConnectionType, ListSize, LocalDateResolver, PageArgs, Paged, paginate, SearchArgument } from '@hub/toolkit';
import { actorTypeOf, checkProvinceCode, provinceCodesOf, PROVINCES, Region, Sector, Theme } from '@hub/domain';
import type { Context } from '../context.js';
import { Initiative, InitiativeStatus } from '../entities/initiative.js';
import { Participation } from '../entities/participation.js';
import { Actor, type ActorReference, Province } from '../external.js';

@ObjectType()
export class InitiativeConnection extends ConnectionType(Initiative, 'Initiative') {}

@ArgsType()
class InitiativeFilter {
  @Field(() => ID, { nullable: true, description: 'Only initiatives working in this province (ISO 3166-2:TH code).' })
  provinceCode?: string | null;

  @Field(() => Region, { nullable: true, description: 'Only initiatives working in a province of this region.' })
  region?: Region | null;

  @Field(() => Theme, { nullable: true, description: 'Only initiatives working on this theme.' })
  theme?: Theme | null;

  @Field(() => InitiativeStatus, { nullable: true })
  status?: InitiativeStatus | null;

  @Field(() => Sector, { nullable: true, description: 'Only initiatives with a participant of this sector.' })
  participantSector?: Sector | null;

  @Field(() => ID, { nullable: true, description: 'Only initiatives this actor takes part in.' })
  actorId?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Only initiatives still running on or after this date.' })
  activeFrom?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Only initiatives started on or before this date.' })
  activeTo?: string | null;

  @SearchArgument('title')
  search?: string | null;
}

function initiativeWhere(filter: InitiativeFilter, em: EntityManager): FilterQuery<Initiative> {
  const where: FilterQuery<Initiative>[] = [];
  if (filter.provinceCode) where.push({ provinceCodes: { $contains: [checkProvinceCode(filter.provinceCode)] } });
  if (filter.region) where.push({ provinceCodes: { $overlap: provinceCodesOf(filter.region) } });
  if (filter.theme) where.push({ themes: { $contains: [filter.theme] } });
  if (filter.status) where.push({ status: filter.status });
  if (filter.activeFrom && filter.activeTo && filter.activeFrom > filter.activeTo) {
    throw badUserInput('"activeFrom" must not be after "activeTo".', { argument: 'activeFrom' });
  }
  // An initiative with no end date is still running; one with no start date has always been.
  if (filter.activeFrom) where.push({ $or: [{ endDate: null }, { endDate: { $gte: filter.activeFrom } }] });
  if (filter.activeTo) where.push({ $or: [{ startDate: null }, { startDate: { $lte: filter.activeTo } }] });
  const participant: { sector?: Sector; actorId?: string } = {};
  if (filter.participantSector) participant.sector = filter.participantSector;
  if (filter.actorId) {
    if (!actorTypeOf(filter.actorId)) throw badUserInput(`"${filter.actorId}" is not an actor id.`, { argument: 'actorId' });
    participant.actorId = filter.actorId;
  }
  if (Object.keys(participant).length > 0) {
    const initiativeIds = em.createQueryBuilder(Participation, 'p').select('p.initiativeId').where(participant);
    where.push({ id: { $in: initiativeIds } } as FilterQuery<Initiative>);
  }
  return where.length > 0 ? { $and: where } : {};
}

@Resolver(() => Initiative)
export class InitiativeResolver {
  @Query(() => Initiative, { nullable: true, description: 'A joint initiative by id.' })
  initiative(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context) {
    return loaders.initiative.load(id);
  }

  @Paged()
  @Query(() => InitiativeConnection, {
    nullable: true,
    description: 'Joint initiatives, filtered (all filters must hold), a page at a time: in id order, or in order of relevance with `search`.',
  })
  initiatives(
    @Args() filter: InitiativeFilter,
    @Args() page: PageArgs,
    @Ctx() { em }: Context,
  ) {
    return paginate(em, Initiative, initiativeWhere(filter, em), page, filter.search);
  }

  // The government subgraph's records. The gateway nulls each province its owner cannot describe,
  // and a null climbs to the nearest nullable place: with nullable items, a missing province costs
  // only its own place in the list, never the list or the initiative.
  @ListSize(PROVINCES.length)
  @FieldResolver(() => [Province], { nullable: 'itemsAndList', description: 'Provinces it works in.' })
  provinces(@Root() initiative: Initiative): Province[] {
    return initiative.provinceCodes.map((code) => ({ code }));
  }
}

@Resolver(() => Province)
export class ProvinceInitiativesResolver {
  @Paged()
  @FieldResolver(() => InitiativeConnection, {
    nullable: true,
    description: 'Joint initiatives working in this province.',
  })
  initiatives(
    @Root() province: Province,
    @Args() page: PageArgs,
    @Ctx() { loaders }: Context,
  ) {
    return loaders.initiativesByProvince(province.code, page);
  }
}

@Resolver(() => Actor)
export class ActorInitiativesResolver {
  @Paged()
  @FieldResolver(() => InitiativeConnection, {
    nullable: true,
    description: 'Initiatives it takes part in, in any role, each once.',
  })
  initiatives(
    @Root() actor: ActorReference,
    @Args() page: PageArgs,
    @Ctx() { loaders }: Context,
  ) {
    return loaders.initiativesByActor(actor.id, page);
  }
}
