import { Directive } from 'type-graphql';
import { PAGE_SIZE } from './loaders.js';

/**
 * Prices, declared where the fields are: the IBM GraphQL Cost Directives as
 * federation v2.9 carries them (`@cost`, `@listSize`). They are printed into
 * each subgraph's SDL and composed into the supergraph, so every gateway that
 * reads it (this hub's, Apollo Router, Hive Gateway) charges an operation the
 * same before it calls any subgraph.
 *
 * The unit is one object: by default an object costs 1, a scalar or an enum 0,
 * and a list its size times the cost of one item.
 */

/** The directives a subgraph imports from the federation spec to declare its prices. */
export const COST_DIRECTIVES = ['@cost', '@listSize'] as const;

type FieldDecorator = MethodDecorator & PropertyDecorator;

/**
 * A Relay connection: its `edges` and `nodes` are as long as `first`, or the
 * default page when `first` is left out.
 */
export function Paged(): FieldDecorator {
  return Directive(
    `@listSize(assumedSize: ${PAGE_SIZE.default}, slicingArguments: ["first"], sizedFields: ["edges", "nodes"], requireOneSlicingArgument: false)`,
  );
}

/**
 * A plain list with a `first` argument (FirstArg) and no cursors: as long as
 * `first`, or the default page when `first` is left out.
 */
export function PagedList(): FieldDecorator {
  return ListSize(PAGE_SIZE.default, { slicingArguments: ['first'] });
}

export interface ListSizeOptions {
  /** Arguments that cut the list; the largest value given is its size. */
  slicingArguments?: string[];
  /** Lists of the returned object that those arguments size, instead of the field itself. */
  sizedFields?: string[];
}

/**
 * A list that is not a connection: how long it is at most where a small
 * bound exists, else how long it typically is; the default when
 * `slicingArguments` can set it.
 */
export function ListSize(assumedSize: number, options: ListSizeOptions = {}): FieldDecorator {
  const args = [`assumedSize: ${assumedSize}`];
  if (options.slicingArguments) args.push(`slicingArguments: ${JSON.stringify(options.slicingArguments)}`);
  if (options.sizedFields) args.push(`sizedFields: ${JSON.stringify(options.sizedFields)}`);
  if (options.slicingArguments) args.push('requireOneSlicingArgument: false');
  return Directive(`@listSize(${args.join(', ')})`);
}

/**
 * Work beyond the objects a field returns (a walk of the graph, an aggregate
 * over a whole table), in the same unit: roughly the rows the database reads
 * or the objects the subgraph builds to answer it.
 */
export function Cost(weight: number): FieldDecorator {
  return Directive(`@cost(weight: ${weight})`);
}

/**
 * How many values a string enum has: the longest a count broken down by it
 * (one entry per value) can be.
 */
export function enumSize(enumObject: Record<string, string>): number {
  return Object.keys(enumObject).length;
}
