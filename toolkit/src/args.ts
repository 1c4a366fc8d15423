import { Arg, Int } from 'type-graphql';
import { PAGE_SIZE } from './loaders.js';

/** The `first` argument of every list: how many items, with the hub's default and ceiling. */
export function FirstArg() {
  return Arg('first', () => Int, {
    nullable: true,
    description: `How many items to return: ${PAGE_SIZE.default} by default, at most ${PAGE_SIZE.max}.`,
  });
}

/** The `after` argument of every connection: the `endCursor` of the previous page. */
export function AfterArg() {
  return Arg('after', () => String, { nullable: true, description: 'Return items after this cursor (`pageInfo.endCursor`).' });
}
