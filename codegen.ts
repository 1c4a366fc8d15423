import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { printSchema, Supergraph } from '@apollo/federation-internals';

/**
 * `npm run codegen`: TypeScript types and typed documents for every operation
 * in examples/, from the committed supergraph's API schema (what the gateway
 * serves, without the join__ and link machinery), into
 * examples/client/generated/. The typed client beside it (examples/client/)
 * shows them in use; docs/clients.md explains both.
 */

/** What each custom scalar is in TypeScript: the JSON the gateway sends and accepts. */
export const SCALARS = {
  DateTimeISO: 'string',
  LocalDate: 'string',
  JSONObject: 'Record<string, unknown>',
} as const;

const ROOT = fileURLToPath(new URL('./', import.meta.url));

/** The schema clients of the gateway see, as SDL. */
export function apiSchemaSdl(supergraphPath = `${ROOT}schema/supergraph.graphql`): string {
  return printSchema(Supergraph.build(readFileSync(supergraphPath, 'utf8')).apiSchema());
}

/** The configuration, writing into `output` (a directory, ending in /). */
export function codegenConfig(output = `${ROOT}examples/client/generated/`): CodegenConfig {
  return {
    schema: apiSchemaSdl(),
    documents: [`${ROOT}examples/*.graphql`],
    generates: {
      [output]: {
        preset: 'client',
        presetConfig: { fragmentMasking: false },
        config: {
          scalars: SCALARS,
          // A custom scalar added to the schema without a mapping fails here, rather than turning into `unknown`.
          strictScalars: true,
          // Documents as strings (TypedDocumentString): sent with plain fetch, no GraphQL library in the client.
          documentMode: 'string',
          useTypeImports: true,
          enumsAsTypes: true,
        },
      },
    },
    // Imports with their .js extension, as Node's ES modules and TypeScript's nodenext resolution need.
    emitLegacyCommonJSImports: false,
    silent: true,
  };
}

export default codegenConfig();
