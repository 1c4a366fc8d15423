import { Arg, Args, Ctx, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import { ConnectionType, PageArgs, Paged } from '@hub/toolkit';
import type { Context } from '../context.js';
import { Link, LinkType } from '../entities/link.js';
import { Actor, actorReference, type ActorReference } from '../external.js';

@ObjectType()
export class LinkConnection extends ConnectionType(Link, 'Link') {}

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

@Resolver(() => Actor)
export class ActorLinksResolver {
  @Paged()
  // Nullable: the actor's own fields come from its owner, and this one must not take them down with it.
  @FieldResolver(() => LinkConnection, { nullable: true, description: 'Standing links to other actors, in either direction.' })
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
