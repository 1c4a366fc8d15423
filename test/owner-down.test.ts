import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  OperationTypeNode,
  parse,
  print,
  visit,
  type DirectiveNode,
  type FieldNode,
  type GraphQLEnumType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, serveGateway } from '@hub/gateway';
import type { Served } from '@hub/server';
import { SCHEMA_DIR } from '@hub/scripts/compose';
import { graphql, type GraphQLResponse } from '@hub/toolkit/testing';
import { tokenHeaderOf } from './support/examples.js';
import { deadUrl } from './support/dead-url.js';
import { startTestHub, type TestHub } from './support/hub.js';

/*
 * What a part cannot give costs only its own fields. With any one subgraph
 * down, every example still answers: the stopped owner's fields are null (or
 * gone with a record of that owner), every other owner's field is as it is
 * with all four up, and an error names the owner that is missing. Which
 * fields an owner resolves is read from the composed supergraph, not listed
 * here. Likewise a field that needs a token costs an anonymous reader only
 * that field.
 */

const EXAMPLES_DIR = fileURLToPath(new URL('../examples/', import.meta.url));
// Subscriptions answer on a stream, not as a JSON POST: test/live-changes.test.ts runs them.
const examples = (await readdir(EXAMPLES_DIR))
  .filter((f) => f.endsWith('.graphql') && !/^\s*subscription\b/m.test(readFileSync(EXAMPLES_DIR + f, 'utf8')))
  .sort();
const supergraph = buildSchema(await readFile(SCHEMA_DIR + 'supergraph.graphql', 'utf8'));

// ---- Who resolves what, from the supergraph's join directives -------------------------------------

const argument = (directive: DirectiveNode, name: string) => directive.arguments?.find((a) => a.name.value === name)?.value;
const enumArgument = (directive: DirectiveNode, name: string) => {
  const value = argument(directive, name);
  return value?.kind === Kind.ENUM ? value.value : undefined;
};
const isExternal = (directive: DirectiveNode) => {
  const value = argument(directive, 'external');
  return value?.kind === Kind.BOOLEAN && value.value;
};
const directivesOf = (node: { directives?: readonly DirectiveNode[] } | null | undefined, name: string) =>
  (node?.directives ?? []).filter((d) => d.name.value === name);

/** join__Graph value → subgraph name, e.g. GOVERNMENT → government. */
const SUBGRAPH_OF_GRAPH = new Map(
  (supergraph.getType('join__Graph') as GraphQLEnumType).getValues().map((value) => {
    const name = argument(directivesOf(value.astNode, 'join__graph')[0]!, 'name');
    return [value.name, name?.kind === Kind.STRING ? name.value : value.name.toLowerCase()];
  }),
);
const OWNERS = [...SUBGRAPH_OF_GRAPH.values()].sort();

/**
 * The subgraphs that can resolve a field: those its @join__field names without
 * `external`, or, without any, every subgraph its type joins (@join__type).
 */
function resolversOf(type: GraphQLObjectType, fieldName: string): string[] {
  const joins = directivesOf(type.getFields()[fieldName]?.astNode, 'join__field');
  const graphs = joins.length
    ? joins.filter((d) => !isExternal(d)).map((d) => enumArgument(d, 'graph'))
    : directivesOf(type.astNode, 'join__type').map((d) => enumArgument(d, 'graph'));
  return graphs.filter((g): g is string => !!g).map((g) => SUBGRAPH_OF_GRAPH.get(g)!);
}

/** Whether only `owner` can resolve a field: with it down, the field cannot be answered. */
const onlyBy = (owner: string, type: GraphQLObjectType, fieldName: string) => {
  const by = resolversOf(type, fieldName);
  return by.length > 0 && by.every((s) => s === owner);
};

/**
 * Whose records a type holds: the one subgraph that resolves every non-null
 * field of it. None for types several share (Query, PageInfo, Change), and
 * none for a type with a non-null field from a second owner: a record that
 * such a field could null would take the other owner's fields with it.
 */
function ownerOf(type: GraphQLObjectType): string | undefined {
  const required = Object.values(type.getFields()).filter((f) => isNonNullType(f.type));
  const owners = OWNERS.filter((owner) => required.every((f) => resolversOf(type, f.name).includes(owner)));
  return owners.length === 1 ? owners[0] : undefined;
}

// ---- Walking an answer beside its operation ---------------------------------------------------------

/** The fields a selection asks of an object of a concrete type, by response name (inline fragments that apply merged in). */
function fieldsOf(type: GraphQLObjectType, selections: readonly SelectionNode[]): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const collect = (list: readonly SelectionNode[]) => {
    for (const selection of list) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.alias?.value ?? selection.name.value;
        fields.set(name, [...(fields.get(name) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition?.name.value;
        const applies = !condition || condition === type.name || type.getInterfaces().some((i) => i.name === condition);
        if (applies) collect(selection.selectionSet.selections);
      }
    }
  };
  collect(selections);
  return fields;
}

const subSelections = (nodes: FieldNode[]) => nodes.flatMap((n) => n.selectionSet?.selections ?? []);

/** The concrete type of an object in an answer: every selection set asks for __typename (withTypenames). */
function concreteType(type: GraphQLOutputType, value: Record<string, unknown>): GraphQLObjectType {
  const named = getNamedType(type);
  const concrete = isAbstractType(named) ? supergraph.getType(String(value.__typename)) : named;
  if (!isObjectType(concrete)) throw new Error(`no object type for ${String(value.__typename)}`);
  return concrete;
}

interface Walk {
  /** What is wrong, one line each. */
  problems: string[];
  /** Places where the answer needed the stopped owner: its fields, and its records reached through others. */
  ownersPlaces: number;
}

/**
 * Walks the answer with `owner` down beside the answer with every part up.
 * Leaves are compared too when `sameValues` (queries; a mutation writes anew each time).
 */
function walk(
  owner: string,
  healthy: unknown,
  down: unknown,
  type: GraphQLOutputType,
  selections: readonly SelectionNode[],
  path: string,
  sameValues: boolean,
  result: Walk,
): void {
  if (healthy === null || healthy === undefined) {
    if (down !== null && down !== undefined) result.problems.push(`${path} is ${JSON.stringify(down)}, null with every part up`);
    return;
  }
  const nullable = getNullableType(type);
  if (down === null || down === undefined) {
    // Only a record of the stopped owner may be missing; the fields others add to it go with it.
    const record = isCompositeType(nullable) && !isListType(nullable) ? concreteType(nullable, healthy as Record<string, unknown>) : undefined;
    const recordOwner = record && ownerOf(record);
    if (recordOwner === owner) result.ownersPlaces++;
    else if (record && !recordOwner) result.problems.push(`${path} is null: no one subgraph answers every non-null field of ${record.name}`);
    else result.problems.push(`${path} is null, though it is not ${owner}'s`);
    return;
  }
  if (isListType(nullable)) {
    const [was, is] = [healthy as unknown[], down as unknown[]];
    // A mutation's answer may hold more each time (a record's history grows with every run).
    if (sameValues && was.length !== is.length) result.problems.push(`${path} has ${is.length} items, ${was.length} with every part up`);
    was.slice(0, is.length).forEach((item, i) => walk(owner, item, is[i], nullable.ofType as GraphQLOutputType, selections, `${path}[${i}]`, sameValues, result));
    return;
  }
  if (!isCompositeType(nullable)) {
    if (sameValues && !isDeepStrictEqual(healthy, down)) result.problems.push(`${path} is ${JSON.stringify(down)}, ${JSON.stringify(healthy)} with every part up`);
    return;
  }
  const [was, is] = [healthy as Record<string, unknown>, down as Record<string, unknown>];
  const concrete = concreteType(nullable, was);
  for (const [name, nodes] of fieldsOf(concrete, selections)) {
    const fieldName = nodes[0]!.name.value;
    if (fieldName === '__typename') continue;
    const here = `${path}.${name}`;
    if (onlyBy(owner, concrete, fieldName) && was[name] !== null) {
      result.ownersPlaces++;
      if (is[name] !== null) result.problems.push(`${here} is ${owner}'s, yet answered with ${owner} down`);
      continue;
    }
    walk(owner, was[name], is[name], concrete.getFields()[fieldName]!.type, subSelections(nodes), here, sameValues, result);
  }
}

/** The operation with __typename in every selection set, so the walk knows each object's concrete type. */
function withTypenames(source: string): OperationDefinitionNode {
  const document = visit(parse(source), {
    SelectionSet(node) {
      const asked = node.selections.some((s) => s.kind === Kind.FIELD && !s.alias && s.name.value === '__typename');
      if (asked) return undefined;
      return { ...node, selections: [...node.selections, { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }] };
    },
  });
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  expect(operations).toHaveLength(1);
  return operations[0]!;
}

// ---- Examples that write, run once per stopped owner ------------------------------------------------


/**
 * A mutation example runs once with every part up and once for each stopped
 * owner, so each run must be able to follow the last: an update sends the
 * version the last run gave back, and a join is left again.
 */
const UNDO: Record<string, (answer: { id: string; version: number }) => { query: string; variables: Record<string, unknown> }> = {
  joinInitiative: (answer) => ({
    query: 'mutation ($id: ID!, $version: Int!) { leaveInitiative(participationId: $id, expectedVersion: $version) { id } }',
    variables: { id: answer.id, version: answer.version },
  }),
};

describe('one refused or missing part costs only its own fields', () => {
  let hub: TestHub;
  /** A gateway over the same subgraphs but one, whose address answers nothing: the owner is down. */
  const without = new Map<string, Served>();
  /** The examples that needed each owner, so the last test can tell that none was stopped for nothing. */
  const neededBy = new Map<string, string[]>(OWNERS.map((owner) => [owner, []]));

  beforeAll(async () => {
    hub = await startTestHub();
    const urls = Object.fromEntries(hub.subgraphs.map((s) => [s.name, s.url]));
    for (const owner of OWNERS) {
      const gateway = createGateway({
        supergraph: { path: SCHEMA_DIR + 'supergraph.graphql', watch: false },
        subgraphUrls: { ...urls, [owner]: await deadUrl() },
        log: () => {},
      });
      without.set(owner, await serveGateway(gateway, { port: 0 }));
    }
  });
  afterAll(async () => {
    for (const gateway of without.values()) await gateway.close();
    await hub?.stop();
  });

  it('reads the owners from the supergraph', () => {
    expect(OWNERS).toEqual(hub.subgraphs.map((s) => s.name).sort());
  });

  it.each(examples)('%s answers with each owner stopped in turn, missing only what that owner holds', async (file) => {
    const source = await readFile(EXAMPLES_DIR + file, 'utf8');
    const operation = withTypenames(source);
    const query = print(operation);
    const headers = await tokenHeaderOf(source);
    const isQuery = operation.operation === OperationTypeNode.QUERY;
    const root = operation.operation === OperationTypeNode.MUTATION ? supergraph.getMutationType()! : supergraph.getQueryType()!;
    const rootField = (operation.selectionSet.selections[0] as FieldNode).name.value;
    const sendsVersion = operation.variableDefinitions?.some((v) => v.variable.name.value === 'expectedVersion');
    let variables: Record<string, unknown> = {};

    /** Runs the example; a write that went through is made ready for the next run. */
    const run = async (url: string): Promise<GraphQLResponse> => {
      const answer = await graphql(url, query, variables, headers);
      const written = isQuery ? null : (answer.data?.[rootField] as { id: string; version: number } | null | undefined);
      if (written) {
        if (sendsVersion) variables = { expectedVersion: written.version };
        const undo = UNDO[rootField]?.(written);
        if (undo) expect((await graphql(hub.gatewayUrl, undo.query, undo.variables, headers)).errors).toBeUndefined();
      }
      return answer;
    };

    const healthy = await run(hub.gatewayUrl);
    expect(healthy.errors, `${file} with every part up`).toBeUndefined();

    for (const owner of OWNERS) {
      const down = await run(without.get(owner)!.url);
      const walked: Walk = { problems: [], ownersPlaces: 0 };
      expect(down.data, `${file} with ${owner} down has data`).toBeTruthy();
      walk(owner, healthy.data, down.data, root, operation.selectionSet.selections, 'data', isQuery, walked);
      expect(walked.problems, `${file} with ${owner} down`).toEqual([]);

      const errors = down.errors ?? [];
      if (walked.ownersPlaces === 0) {
        // Nothing asked of this owner: the same answer, and no error.
        expect(errors, `${file} needs nothing of ${owner}`).toEqual([]);
      } else {
        neededBy.get(owner)!.push(file);
        expect(errors.length, `${file} with ${owner} down says so`).toBeGreaterThan(0);
        for (const error of errors) {
          expect(error, `${file} with ${owner} down`).toMatchObject({
            message: `The ${owner} subgraph is unavailable; the rest of the answer is complete.`,
            extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: owner },
          });
        }
      }
    }
  });

  it('stopped each owner where some example needs it', () => {
    for (const [owner, files] of neededBy) expect(files.length, `examples that need ${owner}`).toBeGreaterThan(0);
  });

  it('gives an anonymous reader a record whole, with only the fields that need a token null and UNAUTHENTICATED', async () => {
    // A dashboard without a token asks for a centre, its history and its contact details.
    const answer = await hub.query(/* GraphQL */ `{
      governmentCentre(id: "gov_th80_centre") { id province { code } history { totalCount } contact { email } initiatives { totalCount } }
    }`);
    const refused = (field: string, what: string) => ({
      message: `Sign in to ${what}: send a bearer token in the Authorization header.`,
      path: ['governmentCentre', field],
      extensions: { code: 'UNAUTHENTICATED', serviceName: 'government' },
    });
    expect(answer.data).toEqual({
      governmentCentre: { id: 'gov_th80_centre', province: { code: 'TH-80' }, history: null, contact: null, initiatives: { totalCount: expect.any(Number) } },
    });
    expect(answer.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining(refused('history', 'read the history of a record')),
        expect.objectContaining(refused('contact', 'read contact details')),
      ]),
    );
    expect(answer.errors).toHaveLength(2);
  });
});
