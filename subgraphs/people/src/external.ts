import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The government subgraph's Province, extended here with the people's bodies in it. */
@Directive('@key(fields: "code")')
@ObjectType()
export class Province {
  @Field(() => ID)
  code!: string;
}
