import { Arg, ArgsType, Field, Int } from 'type-graphql';
import { PAGE_SIZE } from './loaders.js';

/** The `first` argument of every list: how many items, with the hub's default and ceiling. */
export function FirstArg() {
  return Arg('first', () => Int, {
    nullable: true,
    description: `How many items to return: ${PAGE_SIZE.default} by default, at most ${PAGE_SIZE.max}.`,
  });
}

/** `first` and `after`: the page a connection returns. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `How many items to return: ${PAGE_SIZE.default} by default, at most ${PAGE_SIZE.max}.`,
  })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return items after this cursor (`pageInfo.endCursor`).' })
  after?: string | null;
}
