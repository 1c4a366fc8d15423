import { Directive, Field, ID, InterfaceType, ObjectType } from 'type-graphql';
import { ACTOR_ID_PREFIXES, ACTOR_KINDS_DESCRIBED, ACTOR_TYPES, actorTypeOf, Sector, type ActorType, type ActorTypename } from '@hub/domain';

/** The government subgraph's Province, extended here with the initiatives in it. */
@Directive('@key(fields: "code")')
@ObjectType()
export class Province {
  @Field(() => ID)
  code!: string;
}

/** A reference to an actor: enough for the gateway to fetch the rest from its owner. */
export interface ActorReference {
  __typename: ActorTypename;
  id: string;
}

/** The reference for an actor id, or null when the id names no actor type. */
export function actorReference(id: string): ActorReference | null {
  const type = actorTypeOf(id);
  return type ? { __typename: type.typename, id } : null;
}

/**
 * The entity interface that stitches the graph: every actor, whichever
 * subgraph owns it. Owners resolve the shared fields; this subgraph adds
 * what actors do together (initiatives, participations, links).
 */
@Directive('@key(fields: "id")')
@InterfaceType({
  description: `Anyone who works against poverty: ${ACTOR_KINDS_DESCRIBED}. Ids start with ${ACTOR_ID_PREFIXES} and tell the type.`,
  resolveType: (actor: ActorReference) => actor.__typename,
})
export abstract class Actor {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Name, in Thai.' })
  name!: string;

  @Field(() => Sector)
  sector!: Sector;

  @Field(() => Province, { nullable: true, description: 'Its province; null for national bodies.' })
  province?: Province | null;
}

// Key-only stubs of each owner's type. The shared fields are @external: their
// owner resolves them, and composition fails if an owner drops or changes one.
function ownedActor({ typename, owner }: ActorType) {
  @Directive('@key(fields: "id")')
  @ObjectType(typename, { implements: Actor, description: `An actor owned by the ${owner} subgraph.` })
  class OwnedActor extends Actor {
    @Field(() => ID)
    declare id: string;

    @Directive('@external')
    @Field()
    declare name: string;

    @Directive('@external')
    @Field(() => Sector)
    declare sector: Sector;

    @Directive('@external')
    @Field(() => Province, { nullable: true })
    declare province?: Province | null;
  }
  return OwnedActor;
}

const OWNED_ACTOR_OF_TYPE = new Map(ACTOR_TYPES.map((type) => [type.typename, ownedActor(type)]));

/** One stub per row of the actor registry, in its order: a new kind of actor appears here by itself. */
export const OWNED_ACTORS = [...OWNED_ACTOR_OF_TYPE.values()];

/** The people subgraph's type, which this subgraph extends (resolvers/coverage.ts). */
export const PeopleOrganization = OWNED_ACTOR_OF_TYPE.get('PeopleOrganization')!;
