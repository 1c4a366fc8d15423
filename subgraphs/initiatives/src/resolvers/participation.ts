import { Args, Ctx, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import { ConnectionType, PageArgs, Paged } from '@hub/toolkit';
import type { Context } from '../context.js';
import { Initiative } from '../entities/initiative.js';
import { Participation } from '../entities/participation.js';
import { Actor, actorReference, type ActorReference } from '../external.js';

@ObjectType()
export class ParticipationConnection extends ConnectionType(Participation, 'Participation') {}

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

@Resolver(() => Initiative)
export class InitiativeParticipantsResolver {
  @Paged()
  @FieldResolver(() => ParticipationConnection, { description: 'Who takes part, and in what role.' })
  participants(
    @Root() initiative: Initiative,
    @Args() page: PageArgs,
    @Ctx() { loaders }: Context,
  ) {
    return loaders.participationsByInitiative(initiative.id, page);
  }
}

@Resolver(() => Actor)
export class ActorParticipationsResolver {
  @Paged()
  // Nullable: the actor's own fields come from its owner, and this one must not take them down with it.
  @FieldResolver(() => ParticipationConnection, { nullable: true, description: 'Its parts in initiatives, each with its role.' })
  participations(
    @Root() actor: ActorReference,
    @Args() page: PageArgs,
    @Ctx() { loaders }: Context,
  ) {
    return loaders.participationsByActor(actor.id, page);
  }
}
