import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The government subgraph's Province, extended here with the partners based in it. */
@Directive('@key(fields: "code")')
@ObjectType()
export class Province {
  @Field(() => ID)
  code!: string;
}

/** The initiatives subgraph's Initiative, extended here with what partners contribute to it. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Initiative {
  @Field(() => ID)
  id!: string;
}
