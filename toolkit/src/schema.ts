import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { unusedPubSub } from './change-feed-schema.js';
import { COST_DIRECTIVES } from './cost.js';
import { validateArguments } from './validation.js';

/**
 * The federation spec version every subgraph links: v2.9, where the demand
 * control directives (`@cost`, `@listSize`) start. @apollo/composition 2.14
 * accepts it, and @theguild/federation-composition (the Hive schema
 * registry's composer) refuses anything above v2.9, so moving up would lock
 * Hive users out.
 */
export const FEDERATION_LINK = 'https://specs.apollo.dev/federation/v2.9';

/** What every subgraph imports from the federation spec. */
const FEDERATION_IMPORTS = ['@key', '@shareable', '@external', '@requires', ...COST_DIRECTIVES];

export interface Contact {
  /** The owning team or agency. */
  name: string;
  url?: string;
  description?: string;
}

export interface FederatedSchemaOptions {
  resolvers: NonEmptyArray<Function>;
  orphanedTypes?: Function[];
  /** `__resolveReference` (and other hand-written resolvers) per type name. */
  referenceResolvers?: GraphQLResolverMap<any>;
  contact: Contact;
}

export interface FederatedSchema {
  schema: GraphQLSchema;
  /** The subgraph's SDL, exactly as composition reads it. */
  sdl: string;
}

function quote(value: string): string {
  return JSON.stringify(value);
}

function header(contact: Contact): string {
  const contactArgs = [
    `name: ${quote(contact.name)}`,
    contact.url ? `url: ${quote(contact.url)}` : undefined,
    contact.description ? `description: ${quote(contact.description)}` : undefined,
  ].filter(Boolean);
  return [
    'extend schema',
    `  @link(url: "${FEDERATION_LINK}", import: [${FEDERATION_IMPORTS.map(quote).join(', ')}])`,
    `  @contact(${contactArgs.join(', ')})`,
    '',
    '"Who owns this subgraph and how to reach them."',
    'directive @contact(name: String!, url: String, description: String) on SCHEMA',
    '',
  ].join('\n');
}

function mergeResolvers(base: Record<string, any>, extra: Record<string, any> = {}): GraphQLResolverMap<any> {
  const merged: Record<string, any> = { ...base };
  for (const [type, fields] of Object.entries(extra)) merged[type] = { ...merged[type], ...fields };
  return merged;
}

/**
 * type-graphql builds the schema from the decorated classes; its printed SDL,
 * under the federation header, is what @apollo/subgraph turns into a subgraph.
 */
export async function buildFederatedSchema(options: FederatedSchemaOptions): Promise<FederatedSchema> {
  const typeGraphqlSchema = await buildSchema({
    resolvers: options.resolvers,
    orphanedTypes: options.orphanedTypes ?? [],
    // Entities referenced only through `_entities` have no query root of their own.
    skipCheck: true,
    validateFn: validateArguments,
    // A subgraph's subscriptions bring their own `subscribe` (the search subgraph's `changes`).
    pubSub: unusedPubSub,
  });
  const sdl = `${header(options.contact)}\n${printSchemaWithDirectives(typeGraphqlSchema)}\n`;
  const schema = buildSubgraphSchema([
    { typeDefs: parse(sdl), resolvers: mergeResolvers(createResolversMap(typeGraphqlSchema), options.referenceResolvers) },
  ]);
  return { schema, sdl };
}
