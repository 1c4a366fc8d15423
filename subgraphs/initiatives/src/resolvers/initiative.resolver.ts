import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/postgresql';
import { AfterArg, checkProvinceCode, ConnectionType, FirstArg, paginate, Theme } from '@hub/toolkit';
import type { Context } from '../context.js';
import { Initiative, InitiativeStatus } from '../entities/initiative.js';
import { Link } from '../entities/link.js';
import { Participation } from '../entities/participation.js';
import { Actor, actorReference, Province } from '../types/actor.js';

@ObjectType()
export class InitiativeConnection extends ConnectionType(Initiative, 'Initiative') {}

@ArgsType()
class InitiativeFilter {
  @Field(() => ID, { nullable: true, description: 'Only initiatives working in this province (ISO 3166-2:TH code).' })
  provinceCode?: string | null;

  @Field(() => Theme, { nullable: true, description: 'Only initiatives working on this theme.' })
  theme?: Theme | null;

  @Field(() => InitiativeStatus, { nullable: true })
  status?: InitiativeStatus | null;
}

@Resolver(() => Initiative)
export class InitiativeResolver {
  @Query(() => Initiative, { nullable: true, description: 'A joint initiative by id.' })
  initiative(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context) {
    return loaders.initiative.load(id);
  }

  @Query(() => InitiativeConnection, { nullable: true, description: 'Joint initiatives, filtered, in id order, a page at a time.' })
  initiatives(
    @Args() filter: InitiativeFilter,
    @FirstArg() first: number | null,
    @AfterArg() after: string | null,
    @Ctx() { em }: Context,
  ) {
    const where: FilterQuery<Initiative> = {};
    if (filter.provinceCode) where.provinceCodes = { $contains: [checkProvinceCode(filter.provinceCode)] };
    if (filter.theme) where.themes = { $contains: [filter.theme] };
    if (filter.status) where.status = filter.status;
    return paginate(em, Initiative, where, { first, after });
  }

  @FieldResolver(() => [Province], { description: 'Provinces it works in.' })
  provinces(@Root() initiative: Initiative): Province[] {
    return initiative.provinceCodes.map((code) => ({ code }));
  }

  @FieldResolver(() => [Participation], { description: 'Who takes part, and in what role; main hosts first.' })
  participants(@Root() initiative: Initiative, @FirstArg() first: number | null, @Ctx() { loaders }: Context) {
    return loaders.participationsByInitiative(first).load(initiative.id);
  }
}

@Resolver(() => Participation)
export class ParticipationResolver {
  @FieldResolver(() => Actor, { nullable: true, description: 'The participant; null, with an error, when its owner cannot answer.' })
  actor(@Root() participation: Participation) {
    return actorReference(participation.actorId);
  }

  @FieldResolver(() => Initiative, { nullable: true })
  initiative(@Root() participation: Participation, @Ctx() { loaders }: Context) {
    return loaders.initiative.load(participation.initiativeId);
  }
}

@Resolver(() => Link)
export class LinkResolver {
  @FieldResolver(() => Actor, { nullable: true, description: 'Where the link starts.' })
  source(@Root() link: Link) {
    return actorReference(link.sourceId);
  }

  @FieldResolver(() => Actor, { nullable: true, description: 'Where the link ends.' })
  target(@Root() link: Link) {
    return actorReference(link.targetId);
  }
}

@Resolver(() => Province)
export class ProvinceInitiativesResolver {
  @FieldResolver(() => [Initiative], { description: 'Joint initiatives working in this province.' })
  initiatives(@Root() province: Province, @FirstArg() first: number | null, @Ctx() { loaders }: Context) {
    return loaders.initiativesByProvince(first).load(province.code);
  }
}
