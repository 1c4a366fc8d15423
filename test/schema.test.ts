import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  buildASTSchema,
  getNamedType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  parse,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import { composeServices as composeWithHive } from '@theguild/federation-composition';
import { composeSupergraph, SCHEMA_DIR, staleSchemaFiles } from '@hub/scripts/compose';

const COST_SPEC = 'https://specs.apollo.dev/cost/v0.1';

/** A supergraph as graphql-js reads it: `@link` and `@join__*` are ordinary directives there. */
function readSupergraph(sdl: string): GraphQLSchema {
  return buildASTSchema(parse(sdl), { assumeValidSDL: true });
}

/**
 * The name a directive of the cost spec has in a supergraph: as imported by
 * its `@link` (under an alias, if one is given), else namespaced `cost__`.
 */
function costDirectiveName(schema: GraphQLSchema, directive: 'cost' | 'listSize'): string {
  const link = schema.astNode?.directives?.find(
    (applied) => applied.name.value === 'link' && valueFromASTUntyped(applied.arguments!.find((a) => a.name.value === 'url')!.value) === COST_SPEC,
  );
  if (!link) throw new Error(`the supergraph does not link ${COST_SPEC}`);
  const importArg = link.arguments?.find((a) => a.name.value === 'import');
  const imports = (importArg ? valueFromASTUntyped(importArg.value) : []) as (string | { name: string; as?: string })[];
  for (const entry of imports) {
    if (entry === `@${directive}`) return directive;
    if (typeof entry === 'object' && entry.name === `@${directive}`) return (entry.as ?? entry.name).slice(1);
  }
  // The directive named like its spec needs no import to go by that name.
  return directive === 'cost' ? 'cost' : `cost__${directive}`;
}

function fieldAt(schema: GraphQLSchema, coordinate: string): GraphQLField<unknown, unknown> {
  const [typeName, fieldName] = coordinate.split('.') as [string, string];
  const type = schema.getType(typeName);
  if (!isObjectType(type) && !isInterfaceType(type)) throw new Error(`${typeName} is not an object or interface type`);
  const field = type.getFields()[fieldName];
  if (!field) throw new Error(`${coordinate} is not in the supergraph`);
  return field;
}

/** The arguments of a directive applied to a field, or undefined when it is not applied. */
function applied(schema: GraphQLSchema, coordinate: string, directive: 'cost' | 'listSize'): Record<string, unknown> | undefined {
  const name = costDirectiveName(schema, directive);
  const node = fieldAt(schema, coordinate).astNode?.directives?.find((d: ConstDirectiveNode) => d.name.value === name);
  return node && Object.fromEntries((node.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]));
}

function isList(field: GraphQLField<unknown, unknown>): boolean {
  return isListType(isNonNullType(field.type) ? field.type.ofType : field.type);
}

describe('the committed schema', () => {
  it('composes without errors and matches what the code prints (run `npm run compose` if this fails)', async () => {
    const composed = await composeSupergraph();
    expect(composed.errors).toEqual([]);
    expect([...composed.files.keys()].sort()).toEqual([
      'government.graphql',
      'initiatives.graphql',
      'partners.graphql',
      'people.graphql',
      'search.graphql',
      'supergraph.graphql',
    ]);
    expect(await staleSchemaFiles(composed)).toEqual([]);
  });

  it('links federation v2.9, which both @apollo/composition 2.14 and the Hive composer accept', async () => {
    const composed = await composeSupergraph();
    for (const [name, sdl] of composed.files) {
      if (name === 'supergraph.graphql') continue;
      expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.9"');
    }
  });
});

describe('demand-control prices (@cost, @listSize) in the supergraph', () => {
  it('compose with the Hive schema registry too, prices included', async () => {
    // A team that registers the committed subgraphs with Hive gets the same prices the hub charges.
    const names = (await readdir(SCHEMA_DIR)).filter((file) => file.endsWith('.graphql') && file !== 'supergraph.graphql');
    expect(names).toHaveLength(5);
    const services = await Promise.all(
      names.map(async (file) => ({
        name: file.replace(/\.graphql$/, ''),
        url: `http://localhost/${file}`,
        typeDefs: parse(await readFile(SCHEMA_DIR + file, 'utf8')),
      })),
    );
    const result = composeWithHive(services);
    expect(result.errors?.map((error) => error.message) ?? []).toEqual([]);

    const supergraph = readSupergraph(result.supergraphSdl!);
    expect(applied(supergraph, 'Query.initiatives', 'listSize')).toEqual({
      assumedSize: 50,
      slicingArguments: ['first'],
      sizedFields: ['edges', 'nodes'],
      requireOneSlicingArgument: false,
    });
    expect(applied(supergraph, 'Query.neighbourhood', 'cost')).toEqual({ weight: 100 });
    expect(applied(supergraph, 'Query.neighbourhood', 'listSize')).toMatchObject({ slicingArguments: ['limit'], sizedFields: ['nodes'] });
    expect(applied(supergraph, 'Actor.links', 'listSize')).toMatchObject({ slicingArguments: ['first'] });
  });

  it('size every field that returns a list of objects or a connection, unless the field above sizes it', async () => {
    // Without a size, a gateway guesses one for every list alike, and a client could ask for far more than it is charged for.
    const supergraph = readSupergraph(await readFile(SCHEMA_DIR + 'supergraph.graphql', 'utf8'));
    const fields = Object.values(supergraph.getTypeMap())
      .filter((type) => !type.name.startsWith('__') && (isObjectType(type) || isInterfaceType(type)))
      .flatMap((type) => Object.values((type as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields()).map((field) => ({ type, field })));

    // `sizedFields` hands a list its size from the field that returns its type; that counts only if every such field does.
    const sizedBy = (typeName: string, fieldName: string) => {
      const parents = fields.filter(({ field }) => getNamedType(field.type).name === typeName);
      return parents.length > 0 && parents.every(({ type, field }) => {
        const listSize = applied(supergraph, `${type.name}.${field.name}`, 'listSize');
        return (listSize?.sizedFields as string[] | undefined)?.includes(fieldName) ?? false;
      });
    };

    const unpriced = fields
      .filter(({ field }) => {
        const named = getNamedType(field.type);
        return (isList(field) && isCompositeType(named)) || named.name.endsWith('Connection');
      })
      .filter(({ type, field }) => !applied(supergraph, `${type.name}.${field.name}`, 'listSize') && !sizedBy(type.name, field.name))
      .map(({ type, field }) => `${type.name}.${field.name}`);
    expect(unpriced).toEqual([]);
  });
});
