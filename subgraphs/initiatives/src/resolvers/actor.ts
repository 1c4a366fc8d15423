import { Arg, ID, Query, Resolver } from 'type-graphql';
import { badUserInput } from '@hub/server';
import { ACTOR_ID_PREFIXES } from '@hub/domain';
import { Actor, actorReference, type ActorReference } from '../external.js';

/**
 * Any actor, whichever subgraph owns it. What actors do together is declared
 * on the interface, so every owner's type has it; each of those fields lives
 * beside the type it lists (Actor.initiatives in initiative.ts, and so on).
 */
@Resolver(() => Actor)
export class ActorResolver {
  @Query(() => Actor, {
    nullable: true,
    description: `Any actor by id, whichever subgraph owns it (ids start with ${ACTOR_ID_PREFIXES}).`,
  })
  actor(@Arg('id', () => ID) id: string): ActorReference {
    const reference = actorReference(id);
    if (!reference) {
      throw badUserInput(`"${id}" is not an actor id; actor ids start with ${ACTOR_ID_PREFIXES}.`, { argument: 'id' });
    }
    return reference;
  }
}
