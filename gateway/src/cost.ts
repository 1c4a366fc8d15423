import {
  GraphQLError,
  Kind,
  parse,
  valueFromASTUntyped,
  type DirectiveNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/**
 * Demand control: what an operation will cost, priced from the IBM GraphQL
 * Cost Directives (`@cost`, `@listSize`) that the subgraphs declare and the
 * supergraph carries, the way Apollo Router and Hive Gateway price it:
 *
 * - an object costs 1 and a scalar or enum 0, unless `@cost` gives the field
 *   (or its type) another weight;
 * - a list costs its size times one item: the largest slicing argument the
 *   operation gives (`first: 20`, `first: $n`, `limit: 1000`), else the
 *   field's `assumedSize` (the default page), else DEFAULT_LIST_SIZE;
 *   `sizedFields` hand that size to the connection's `edges` and `nodes`;
 * - a mutation field costs MUTATION_WEIGHT more than its selection;
 * - aliases count each time, fragments count where they are spread, and
 *   `@skip`/`@include` are honoured with the operation's variables.
 *
 * The same rules measure the actual cost afterwards, with the real lengths
 * of the lists in the answer instead of their sizes.
 */

/** A list whose field declares no `@listSize`. */
export const DEFAULT_LIST_SIZE = 50;
/** What a mutation field costs before its selection, as Apollo Router charges it. */
export const MUTATION_WEIGHT = 10;
/**
 * Fields an operation may expand to once its fragments are spread: a few
 * fragments that each spread the next twice make a short document that no
 * one could price, plan or answer in time.
 */
export const MAX_SELECTIONS = 100_000;

class TooManySelections extends Error {}

interface ListSize {
  assumedSize?: number;
  slicingArguments?: string[];
  sizedFields?: string[];
}

interface FieldPrice {
  weight?: number;
  listSize?: ListSize;
  /** The subgraph that resolves the field. */
  subgraph?: string;
  /** `@cost` on arguments: charged when the operation gives the argument. */
  argumentWeights?: Record<string, number>;
}

/** Whether a directive of the supergraph is the named cost directive, whatever prefix its import gave it. */
function isCostDirective(node: DirectiveNode, name: 'cost' | 'listSize'): boolean {
  const directive = node.name.value;
  return directive === name || directive.endsWith(`__${name}`);
}

function literal(value: ValueNode | undefined): unknown {
  if (!value) return undefined;
  switch (value.kind) {
    case Kind.INT:
      return Number(value.value);
    case Kind.STRING:
      return value.value;
    case Kind.BOOLEAN:
      return value.value;
    case Kind.LIST:
      return value.values.map(literal);
    case Kind.ENUM:
      return value.value;
    default:
      return undefined;
  }
}

function argumentsOf(node: DirectiveNode): Record<string, unknown> {
  return Object.fromEntries((node.arguments ?? []).map((arg) => [arg.name.value, literal(arg.value)]));
}

/**
 * The prices of one supergraph, read from its SDL: `@cost`, `@listSize` and
 * which subgraph resolves each field (`@join__field`, else `@join__type`).
 */
export class PriceList {
  private readonly fields = new Map<string, FieldPrice>();
  /** The same prices by type, then field: looked up for every field without building a key. */
  private readonly byType = new Map<string, Map<string, FieldPrice>>();
  private readonly typeWeights = new Map<string, number>();

  static fromSupergraph(sdl: string): PriceList {
    const prices = new PriceList();
    const document = parse(sdl);
    const graphNames = new Map<string, string>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph') {
        for (const value of definition.values ?? []) {
          const graph = value.directives?.find((d) => d.name.value === 'join__graph');
          const name = graph && argumentsOf(graph).name;
          if (typeof name === 'string') graphNames.set(value.name.value, name);
        }
      }
    }
    const ownersOf = (directives: readonly DirectiveNode[] | undefined, joinName: string) =>
      (directives ?? [])
        .filter((d) => d.name.value === joinName && argumentsOf(d).external !== true)
        .map((d) => graphNames.get(String(argumentsOf(d).graph)))
        .filter((name): name is string => name !== undefined);
    for (const definition of document.definitions) {
      if (
        definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
        definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
        definition.kind !== Kind.INTERFACE_TYPE_DEFINITION
      ) {
        continue;
      }
      const typeName = definition.name.value;
      const typeCost = definition.directives?.find((d) => isCostDirective(d, 'cost'));
      if (typeCost) prices.typeWeights.set(typeName, Number(argumentsOf(typeCost).weight));
      const typeOwners = ownersOf(definition.directives, 'join__type');
      for (const field of definition.fields ?? []) {
        const price: FieldPrice = {};
        for (const directive of field.directives ?? []) {
          if (isCostDirective(directive, 'cost')) price.weight = Number(argumentsOf(directive).weight);
          if (isCostDirective(directive, 'listSize')) price.listSize = argumentsOf(directive) as ListSize;
        }
        for (const arg of field.arguments ?? []) {
          const argCost = arg.directives?.find((d) => isCostDirective(d, 'cost'));
          if (argCost) (price.argumentWeights ??= {})[arg.name.value] = Number(argumentsOf(argCost).weight);
        }
        price.subgraph = ownersOf(field.directives, 'join__field')[0] ?? typeOwners[0];
        prices.fields.set(`${typeName}.${field.name.value}`, price);
        let ofType = prices.byType.get(typeName);
        if (!ofType) prices.byType.set(typeName, (ofType = new Map()));
        ofType.set(field.name.value, price);
      }
    }
    return prices;
  }

  field(typeName: string, fieldName: string): FieldPrice | undefined {
    return this.byType.get(typeName)?.get(fieldName);
  }

  typeWeight(typeName: string): number | undefined {
    return this.typeWeights.get(typeName);
  }

  /** Every field that declares a price, for documentation and tests. */
  entries(): IterableIterator<[string, FieldPrice]> {
    return this.fields.entries();
  }
}

// The schema comes from Apollo's copy of graphql-js, which may not be this module's
// (tests load the ESM build, Apollo the CommonJS one): graphql-js's type predicates
// refuse objects of another copy, so types are read by their shape and their printed form.

/**
 * Each field type's printed name, worked out once: printing a type builds new
 * strings every time, for every field of every operation. Keyed by the type
 * object, which belongs to one schema and goes with it.
 */
const printedTypes = new WeakMap<GraphQLOutputType, { named: string; list: boolean }>();

function printed(type: GraphQLOutputType): { named: string; list: boolean } {
  let known = printedTypes.get(type);
  if (!known) {
    const text = String(type);
    printedTypes.set(type, (known = { named: text.replace(/[[\]!]/g, ''), list: text.startsWith('[') }));
  }
  return known;
}

/** The named type at the bottom of a field's type, if it has fields (an object or an interface) or members (a union). */
function compositeOf(schema: GraphQLSchema, type: GraphQLOutputType): GraphQLCompositeType | undefined {
  const named = schema.getType(printed(type).named);
  return named && ('getFields' in named || 'getTypes' in named) ? (named as GraphQLCompositeType) : undefined;
}

function namedTypeName(type: GraphQLOutputType): string {
  return printed(type).named;
}

function isList(type: GraphQLOutputType): boolean {
  return printed(type).list;
}

/** A field's arguments as the operation gives them (variables filled in), its declared defaults otherwise. */
function argumentValues(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const arg of field.args) if (arg.defaultValue !== undefined) values[arg.name] = arg.defaultValue;
  for (const arg of node.arguments ?? []) {
    const value = valueFromASTUntyped(arg.value, variables);
    if (value !== undefined) values[arg.name.value] = value;
  }
  return values;
}

export interface CostReport {
  /** The whole operation. */
  total: number;
  /** What each subgraph is asked to resolve. */
  bySubgraph: Record<string, number>;
  /** The costliest fields, by their path in the operation, most first: where to trim. */
  costliest: { path: string; cost: number }[];
}

interface Walk {
  schema: GraphQLSchema;
  prices: PriceList;
  variables: Record<string, unknown>;
  fragments: Record<string, FragmentDefinitionNode>;
  bySubgraph: Record<string, number>;
  /**
   * Subtree cost of each field path (aliases as the client wrote them); kept
   * only when a refusal must name where to trim, since most operations pass.
   */
  byPath?: Map<string, number>;
  /** Fields visited so far, fragments spread. */
  visited: number;
  /** What the fields visited so far cost on their own: a lower bound of the total while the walk runs. */
  spent: number;
}

/** Whether `@skip`/`@include` leave this selection in. */
function included(node: { directives?: readonly DirectiveNode[] }, variables: Record<string, unknown>): boolean {
  for (const directive of node.directives ?? []) {
    const condition = directive.arguments?.find((arg) => arg.name.value === 'if');
    if (!condition) continue;
    const value = valueFromASTUntyped(condition.value, variables);
    if (directive.name.value === 'skip' && value === true) return false;
    if (directive.name.value === 'include' && value === false) return false;
  }
  return true;
}

function weightOf(walk: Pick<Walk, 'schema' | 'prices'>, parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>): number {
  const price = walk.prices.field(parent.name, field.name);
  if (price?.weight !== undefined) return price.weight;
  return walk.prices.typeWeight(namedTypeName(field.type)) ?? (compositeOf(walk.schema, field.type) ? 1 : 0);
}

/** How many items a list field is priced at: its largest slicing argument given, else its assumed size. */
function sizeOf(listSize: ListSize | undefined, args: Record<string, unknown>): number {
  const sliced = (listSize?.slicingArguments ?? [])
    .map((name) => args[name])
    .filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
  if (sliced.length > 0) return Math.max(0, ...sliced);
  return listSize?.assumedSize ?? DEFAULT_LIST_SIZE;
}

/**
 * The estimated cost of a selection set, at `scale` copies of it (the product
 * of the list sizes above it). `sized` are the child lists that the parent's
 * `@listSize(sizedFields:)` gave a size.
 */
function estimateSelection(
  walk: Walk,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  scale: number,
  path: string,
  sized?: { fields: string[]; size: number },
): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (!included(selection, walk.variables)) continue;
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? (walk.schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType) : parent;
      total += estimateSelection(walk, selection.selectionSet, type ?? parent, scale, path, sized);
    } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = walk.fragments[selection.name.value];
      if (!fragment) continue;
      const type = walk.schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType | undefined;
      total += estimateSelection(walk, fragment.selectionSet, type ?? parent, scale, path, sized);
    } else {
      total += estimateField(walk, selection, parent, scale, path, sized);
    }
  }
  return total;
}

function estimateField(
  walk: Walk,
  node: FieldNode,
  parent: GraphQLCompositeType,
  scale: number,
  parentPath: string,
  sized?: { fields: string[]; size: number },
): number {
  if (++walk.visited > MAX_SELECTIONS) throw new TooManySelections();
  const name = node.name.value;
  if (name.startsWith('__') || !('getFields' in parent)) return 0;
  const field = parent.getFields()[name];
  if (!field) return 0;
  const path = !walk.byPath ? '' : parentPath ? `${parentPath}.${node.alias?.value ?? name}` : (node.alias?.value ?? name);
  const price = walk.prices.field(parent.name, name);
  const args = argumentValues(field, node, walk.variables);
  // A connection's page size is declared on the field that returns it and applies to its edges and nodes.
  const inherited = sized?.fields.includes(name) ? sized.size : undefined;
  const ownSize = price?.listSize?.sizedFields ? undefined : isList(field.type) || price?.listSize ? sizeOf(price?.listSize, args) : undefined;
  const count = inherited ?? ownSize ?? 1;
  const weight = weightOf(walk, parent, field) + argumentWeight(price, node);
  let own = count * weight;
  walk.spent += scale * own;
  const subgraph = price?.subgraph;
  if (subgraph) walk.bySubgraph[subgraph] = (walk.bySubgraph[subgraph] ?? 0) + scale * own;
  const named = compositeOf(walk.schema, field.type);
  if (node.selectionSet && named) {
    const childSized = price?.listSize?.sizedFields ? { fields: price.listSize.sizedFields, size: sizeOf(price.listSize, args) } : undefined;
    own += count * estimateSelection(walk, node.selectionSet, named, scale * count, path, childSized);
  }
  walk.byPath?.set(path, (walk.byPath.get(path) ?? 0) + scale * own);
  return own;
}

function argumentWeight(price: FieldPrice | undefined, node: FieldNode): number {
  if (!price?.argumentWeights) return 0;
  return (node.arguments ?? []).reduce((sum, arg) => sum + (price.argumentWeights![arg.name.value] ?? 0), 0);
}

function rootOf(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLCompositeType | null | undefined {
  return { query: schema.getQueryType(), mutation: schema.getMutationType(), subscription: schema.getSubscriptionType() }[operation.operation];
}

function fragmentsOf(document: { definitions: readonly { kind: string }[] }): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      const fragment = definition as FragmentDefinitionNode;
      fragments[fragment.name.value] = fragment;
    }
  }
  return fragments;
}

export interface PricedOperation {
  schema: GraphQLSchema;
  document: { definitions: readonly { kind: string }[] };
  operation: OperationDefinitionNode;
  /** The operation's variables, coerced, defaults included. */
  variables: Record<string, unknown>;
}

const COSTLIEST_SHOWN = 3;

function finish(walk: Walk, total: number): CostReport {
  const bySubgraph = Object.fromEntries(Object.entries(walk.bySubgraph).map(([name, cost]) => [name, Math.round(cost)]));
  if (!walk.byPath) return { total: Math.round(total), bySubgraph, costliest: [] };
  // A field's subtree includes its children's; name the deepest expensive paths, not every
  // ancestor of them. One pass marks the parents a child carries (a path's parent is the
  // path up to its last dot), so this stays linear in the paths of a very wide operation.
  const carried = new Set<string>();
  for (const [path, cost] of walk.byPath) {
    const dot = path.lastIndexOf('.');
    if (dot < 0) continue;
    const parent = path.slice(0, dot);
    if (cost >= (walk.byPath.get(parent) ?? Infinity) * 0.5) carried.add(parent);
  }
  const costliest = [...walk.byPath.entries()]
    .filter(([path]) => !carried.has(path))
    .sort((a, b) => b[1] - a[1])
    .slice(0, COSTLIEST_SHOWN)
    .map(([path, cost]) => ({ path, cost: Math.round(cost) }));
  return { total: Math.round(total), bySubgraph, costliest };
}

/**
 * The cost of an operation before it runs, from its arguments and the declared
 * sizes; with `costliest`, also the paths that cost most (a second, slower walk
 * that only a refusal needs).
 */
export function estimateCost(prices: PriceList, priced: PricedOperation, options: { costliest?: boolean } = {}): CostReport {
  const root = rootOf(priced.schema, priced.operation);
  const walk: Walk = {
    schema: priced.schema,
    prices,
    variables: priced.variables,
    fragments: fragmentsOf(priced.document),
    bySubgraph: {},
    ...(options.costliest ? { byPath: new Map<string, number>() } : {}),
    visited: 0,
    spent: 0,
  };
  if (!root) return finish(walk, 0);
  let total: number;
  try {
    total = estimateSelection(walk, priced.operation.selectionSet, root, 1, '');
  } catch (error) {
    if (!(error instanceof TooManySelections)) throw error;
    const spent = Math.round(walk.spent);
    throw new GraphQLError(
      `This operation expands to more than ${MAX_SELECTIONS.toLocaleString('en')} fields once its fragments are spread (costing at least ${spent} by then); spread each fragment fewer times.`,
      { extensions: { code: 'COST_ESTIMATED_TOO_EXPENSIVE', cost: { estimated: spent, maxSelections: MAX_SELECTIONS }, http: { status: 400 } } },
    );
  }
  if (priced.operation.operation === 'mutation') {
    total += MUTATION_WEIGHT * priced.operation.selectionSet.selections.filter((s) => included(s, priced.variables)).length;
  }
  return finish(walk, total);
}

/**
 * The cost of an operation after it ran: the same weights, with each list
 * counted at its real length in the answer and each missing object at 0;
 * NaN for an answer too large to measure within MAX_MEASURED values.
 */
export function actualCost(prices: PriceList, priced: PricedOperation, data: unknown): number {
  const root = rootOf(priced.schema, priced.operation);
  if (!root || data === null || typeof data !== 'object') return 0;
  const walk: Measure = { schema: priced.schema, prices, variables: priced.variables, fragments: fragmentsOf(priced.document), visited: 0, facts: new Map() };
  let total: number;
  try {
    total = measureSelection(walk, priced.operation.selectionSet, root, data as Record<string, unknown>);
  } catch (error) {
    // An answer too large to measure within the bound is as costly as its estimate allowed.
    if (error instanceof TooManySelections) return Number.NaN;
    throw error;
  }
  if (priced.operation.operation === 'mutation') {
    total += MUTATION_WEIGHT * priced.operation.selectionSet.selections.filter((s) => included(s, priced.variables)).length;
  }
  return Math.round(total);
}

type Measure = Pick<Walk, 'schema' | 'prices' | 'variables' | 'fragments' | 'visited'> & {
  /** What each field of the operation weighs and returns, worked out once, however many items of a list ask it again. */
  facts: Map<FieldNode, FieldFacts | null>;
};

interface FieldFacts {
  weight: number;
  /** The type of its items, when they have fields of their own and the operation selects them. */
  named: GraphQLCompositeType | undefined;
}

/** Values an answer's measure may visit: far above any answer the budget lets through. */
const MAX_MEASURED = 10 * MAX_SELECTIONS;

/** A field's weight and item type, or null for a field that costs nothing (`__typename`, unknown). */
function factsOf(walk: Measure, node: FieldNode, parent: GraphQLCompositeType): FieldFacts | null {
  let facts = walk.facts.get(node);
  if (facts === undefined) {
    const name = node.name.value;
    const field = name.startsWith('__') || !('getFields' in parent) ? undefined : parent.getFields()[name];
    facts = field
      ? {
          weight: weightOf(walk, parent, field) + argumentWeight(walk.prices.field(parent.name, field.name), node),
          named: node.selectionSet ? compositeOf(walk.schema, field.type) : undefined,
        }
      : null;
    walk.facts.set(node, facts);
  }
  return facts;
}

function measureSelection(walk: Measure, selectionSet: SelectionSetNode, parent: GraphQLCompositeType, data: Record<string, unknown>): number {
  let total = 0;
  // The answer names its concrete type when asked; fragments on other types then count nothing.
  const concrete = typeof data.__typename === 'string' ? walk.schema.getType(data.__typename) : undefined;
  for (const selection of selectionSet.selections) {
    if (!included(selection, walk.variables)) continue;
    if (selection.kind === Kind.FIELD) {
      const facts = factsOf(walk, selection, parent);
      const value = facts && data[selection.alias?.value ?? selection.name.value];
      if (value !== undefined && value !== null) total += measureValue(walk, selection, facts!, value);
      continue;
    }
    const condition = selection.kind === Kind.INLINE_FRAGMENT ? selection.typeCondition?.name.value : walk.fragments[selection.name.value]?.typeCondition.name.value;
    const selectionSetOf = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : walk.fragments[selection.name.value]?.selectionSet;
    if (!selectionSetOf) continue;
    const type = condition ? (walk.schema.getType(condition) as GraphQLCompositeType | undefined) : parent;
    if (concrete && 'getInterfaces' in concrete && type && type !== concrete && !walk.schema.isSubType(type as never, concrete)) continue;
    total += measureSelection(walk, selectionSetOf, type ?? parent, data);
  }
  return total;
}

function measureValue(walk: Measure, node: FieldNode, facts: FieldFacts, value: unknown): number {
  if (++walk.visited > MAX_MEASURED) throw new TooManySelections();
  if (Array.isArray(value)) {
    let sum = 0;
    for (const item of value) if (item !== null) sum += measureValue(walk, node, facts, item);
    return sum;
  }
  if (!facts.named || typeof value !== 'object') return facts.weight;
  return facts.weight + measureSelection(walk, node.selectionSet!, facts.named, value as Record<string, unknown>);
}

/** The refusal of an operation over the budget, before any subgraph is called. */
export function tooExpensive(report: CostReport, max: number, subgraph?: { name: string; max: number }): GraphQLError {
  const where = report.costliest.map((c) => `${c.path} (${c.cost})`).join(', ');
  const over = subgraph
    ? `asks the ${subgraph.name} subgraph for an estimated cost of ${report.bySubgraph[subgraph.name]}, over its limit of ${subgraph.max}`
    : `has an estimated cost of ${report.total}, over the limit of ${max}`;
  return new GraphQLError(
    `This operation ${over}. Ask for smaller pages (\`first\`), fewer nested lists, or a smaller \`limit\` on graph queries; the costliest parts: ${where}.`,
    {
      extensions: {
        code: 'COST_ESTIMATED_TOO_EXPENSIVE',
        cost: {
          estimated: report.total,
          max,
          bySubgraph: report.bySubgraph,
          costliest: report.costliest,
          ...(subgraph ? { subgraph: subgraph.name, subgraphMax: subgraph.max } : {}),
        },
        http: { status: 400 },
      },
    },
  );
}
