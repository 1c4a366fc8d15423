import { Directive, Field, ID, ObjectType } from 'type-graphql';

/*
 * The other owners' types a search can find, as key-only stubs: this
 * subgraph gives each hit's key, and the gateway asks the owner for every
 * other field. `resolvable: false`: this subgraph resolves none of them by
 * key itself, so the gateway never asks it to. No descriptions: each
 * owner's own describes its type in the supergraph.
 */

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class PeopleOrganization {
  @Field(() => ID)
  id!: string;
}

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class GovernmentCentre {
  @Field(() => ID)
  id!: string;
}

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class PrivatePartner {
  @Field(() => ID)
  id!: string;
}

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class Initiative {
  @Field(() => ID)
  id!: string;
}

@Directive('@key(fields: "code", resolvable: false)')
@ObjectType()
export class Province {
  @Field(() => ID)
  code!: string;
}
