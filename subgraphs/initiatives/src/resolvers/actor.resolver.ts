import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { badUserInput, FirstArg, isActorId } from '@hub/toolkit';
import type { Context } from '../context.js';
import { Initiative } from '../entities/initiative.js';
import { Link } from '../entities/link.js';
import { Participation } from '../entities/participation.js';
import { Actor, actorReference, type ActorReference } from '../types/actor.js';

/** What actors do together. Declared on the interface, so every owner's type has these fields. */
@Resolver(() => Actor)
export class ActorResolver {
  @Query(() => Actor, {
    nullable: true,
    description: 'Any actor by id, whichever subgraph owns it (ids start with peo_, gov_ or prt_).',
  })
  actor(@Arg('id', () => ID) id: string): ActorReference {
    const reference = actorReference(id);
    if (!reference || !isActorId(id)) {
      throw badUserInput(`"${id}" is not an actor id; actor ids start with peo_, gov_ or prt_.`, { argument: 'id' });
    }
    return reference;
  }

  @FieldResolver(() => [Initiative], { description: 'Initiatives it takes part in, in any role.' })
  async initiatives(@Root() actor: ActorReference, @FirstArg() first: number | null, @Ctx() { loaders }: Context) {
    const participations = await loaders.participationsByActor(first).load(actor.id);
    const ids = [...new Set(participations.map((p) => p.initiativeId))];
    const initiatives = await loaders.initiative.loadMany(ids);
    return initiatives.filter((i): i is Initiative => i instanceof Initiative);
  }

  @FieldResolver(() => [Participation], { description: 'Its parts in initiatives, each with its role.' })
  participations(@Root() actor: ActorReference, @FirstArg() first: number | null, @Ctx() { loaders }: Context) {
    return loaders.participationsByActor(first).load(actor.id);
  }

  @FieldResolver(() => [Link], { description: 'Standing links to other actors, in either direction.' })
  links(@Root() actor: ActorReference, @FirstArg() first: number | null, @Ctx() { loaders }: Context) {
    return loaders.linksByActor(first).load(actor.id);
  }
}
