import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { badUserInput } from '@hub/server';
import { PageArgs, Paged } from '@hub/toolkit';
import type { Context } from '../context.js';
import { LinkType } from '../entities/link.js';
import { Actor, actorReference, type ActorReference } from '../types/actor.js';
import { InitiativeConnection, LinkConnection, ParticipationConnection } from './connections.js';

/** What actors do together. Declared on the interface, so every owner's type has these fields. */
@Resolver(() => Actor)
export class ActorResolver {
  @Query(() => Actor, {
    nullable: true,
    description: 'Any actor by id, whichever subgraph owns it (ids start with peo_, gov_ or prt_).',
  })
  actor(@Arg('id', () => ID) id: string): ActorReference {
    const reference = actorReference(id);
    if (!reference) {
      throw badUserInput(`"${id}" is not an actor id; actor ids start with peo_, gov_ or prt_.`, { argument: 'id' });
    }
    return reference;
  }

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

  @Paged()
  @FieldResolver(() => ParticipationConnection, { description: 'Its parts in initiatives, each with its role.' })
  participations(
    @Root() actor: ActorReference,
    @Args() page: PageArgs,
    @Ctx() { loaders }: Context,
  ) {
    return loaders.participationsByActor(actor.id, page);
  }

  @Paged()
  @FieldResolver(() => LinkConnection, { description: 'Standing links to other actors, in either direction.' })
  links(
    @Root() actor: ActorReference,
    @Arg('type', () => LinkType, { nullable: true, description: 'Only links of this type.' }) type: LinkType | null,
    @Args() page: PageArgs,
    @Ctx() { loaders }: Context,
  ) {
    const filter = type ? { id: type, sql: 't.type = ?', params: [type] } : undefined;
    return loaders.linksByActor(actor.id, page, filter);
  }
}
