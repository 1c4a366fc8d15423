/**
 * schema-check's check: compares every subgraph's SDL and the supergraph's client-facing
 * API schema with the committed files in schema/, and classes each change as BREAKING,
 * DANGEROUS or SAFE with @graphql-inspector/core's rules. Breaking changes fail the check
 * unless they are accepted on purpose: `--accept-breaking`, or an entry in
 * schema/accepted-changes.json.
 *
 * Pure functions that take SDL strings, so tests run them on in-memory variants; the
 * command (../schema-check.ts) reads the real files.
 */
import { createRequire } from 'node:module';
import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import type { GraphQLError, GraphQLSchema } from 'graphql';
import { routingUrl } from '../compose.js';
import { SUBGRAPHS } from '../subgraphs.js';
import { explainCompositionError, type CompositionProblem } from './advice.js';

// graphql's CommonJS build, the one @graphql-inspector/core and @apollo/federation-internals
// load: graphql refuses schemas made by another copy of itself, and a bundler (vitest)
// may resolve `import 'graphql'` here to its ESM build.
const { buildASTSchema, parse, Source } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

export const SUPERGRAPH_FILE = 'supergraph.graphql';
export const ACCEPTED_CHANGES_FILE = 'accepted-changes.json';
/** The name a supergraph change is reported (and accepted) under. */
export const SUPERGRAPH = 'supergraph';

export type Level = 'BREAKING' | 'DANGEROUS' | 'SAFE';

/** One entry of schema/accepted-changes.json: a breaking change accepted on purpose. */
export interface AcceptedChange {
  /** The subgraph whose change is accepted (it then also covers the same change in the supergraph), or "supergraph". */
  subgraph: string;
  /** The change's type as @graphql-inspector/core names it, e.g. FIELD_REMOVED. */
  type: string;
  /** The change's path, e.g. PrivatePartner.website ("" for a change without a path). */
  path: string;
  /** Why breaking clients is acceptable (who was told, what replaces it). */
  reason: string;
  /** Who accepted it. */
  acceptedBy: string;
  /** Optional, for people: the message the check printed. Not used for matching. */
  message?: string;
  /** Optional, for people: when it was accepted. */
  date?: string;
}

export interface Acceptance {
  /** "flag": --accept-breaking; "file": an entry in schema/accepted-changes.json. */
  via: 'flag' | 'file';
  reason: string;
  acceptedBy: string | null;
}

export interface ReportedChange {
  level: Level;
  type: string;
  path: string | null;
  message: string;
  /** The library's explanation of the criticality, for breaking and dangerous changes. */
  reason: string | null;
  /** Set when a breaking change is accepted. */
  accepted: Acceptance | null;
}

export interface SchemaReport {
  /** A subgraph's name, or "supergraph". */
  name: string;
  /** Its file under schema/. */
  file: string;
  /**
   * unchanged / changed; new: no committed file yet; removed: committed but no longer in the code;
   * not-composed: the supergraph, when composition failed.
   */
  status: 'unchanged' | 'changed' | 'new' | 'removed' | 'not-composed';
  changes: ReportedChange[];
}


export interface CheckReport {
  /**
   * clean: nothing changed; passed: changes, none of them unaccepted breaking;
   * breaking: unaccepted breaking changes; composition-failed: the subgraphs do not compose.
   */
  outcome: 'clean' | 'passed' | 'breaking' | 'composition-failed';
  exitCode: 0 | 1;
  compositionErrors: CompositionProblem[];
  /** Every subgraph, then the supergraph. */
  schemas: SchemaReport[];
  /** Entries of schema/accepted-changes.json that match no breaking change of this run. */
  unusedAcceptances: AcceptedChange[];
  /** Files whose schema is unchanged but whose text differs (order, routing URL, ...): `npm run compose` would rewrite them. */
  textOnlyChanges: string[];
}

export interface CheckOptions {
  /** --accept-breaking: every breaking change is accepted. */
  acceptBreaking?: boolean;
}

/** The current schemas: subgraph files and, when composition succeeded, supergraph.graphql. */
export interface CurrentSchemas {
  /** File name under schema/ → SDL. */
  files: Map<string, string>;
  /** Composition errors: GraphQLErrors carry codes and subgraph names; strings (ComposedFiles) only messages. */
  errors: readonly (GraphQLError | string)[];
}

const LEVELS: Record<CriticalityLevel, Level> = {
  [CriticalityLevel.Breaking]: 'BREAKING',
  [CriticalityLevel.Dangerous]: 'DANGEROUS',
  [CriticalityLevel.NonBreaking]: 'SAFE',
};
/** Most severe first: the order changes are listed and counted in. */
export const LEVEL_ORDER: Level[] = ['BREAKING', 'DANGEROUS', 'SAFE'];

/** The SDL without its leading `#` banner lines. */
const withoutBanner = (sdl: string) => sdl.replace(/^(#[^\n]*\n)+/, '');
const subgraphNameOf = (file: string) => file.replace(/\.graphql$/, '');
export const isSubgraphFile = (file: string) => file.endsWith('.graphql') && file !== SUPERGRAPH_FILE;

/**
 * Composes subgraph SDLs in memory, as `npm run compose` does, but keeps the composition
 * errors as GraphQLErrors (codes, and AST nodes whose source is named after the subgraph).
 */
export function composeSubgraphSdls(subgraphs: Map<string, string>): { files: Map<string, string>; errors: GraphQLError[] } {
  const urls = new Map<string, string>(SUBGRAPHS.map((definition) => [definition.name, routingUrl(definition)]));
  const files = new Map<string, string>();
  const services = [];
  for (const [key, sdl] of subgraphs) {
    const name = subgraphNameOf(key);
    files.set(`${name}.graphql`, sdl);
    services.push({ name, url: urls.get(name) ?? `http://localhost/${name}/graphql`, typeDefs: parse(new Source(sdl, name)) });
  }
  const result = composeServices(services);
  if (result.errors) return { files, errors: result.errors };
  files.set(SUPERGRAPH_FILE, result.supergraphSdl);
  return { files, errors: [] };
}

/** A subgraph's SDL as a graphql-js schema, federation directives and all. */
export function subgraphSchema(sdl: string): GraphQLSchema {
  return buildASTSchema(parse(sdl), { assumeValidSDL: true });
}

/** What clients of the gateway see: the supergraph's API schema, without join__/link machinery. */
export function apiSchema(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

/** Changes from one schema to the other, as @graphql-inspector/core classes them. */
export async function diffSchemas(before: GraphQLSchema, after: GraphQLSchema): Promise<ReportedChange[]> {
  const changes: Change[] = await diff(before, after);
  return changes
    .map((change) => {
      const level = LEVELS[change.criticality.level] ?? 'SAFE';
      return {
        level,
        type: String(change.type),
        path: change.path ?? null,
        message: change.message,
        reason: level === 'SAFE' ? null : (change.criticality.reason ?? null),
        accepted: null,
      };
    })
    .sort((a, b) => LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level));
}

/** Reads schema/accepted-changes.json's text; throws a message naming the bad entry. */
export function parseAcceptedChanges(json: string): AcceptedChange[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new Error(`schema/${ACCEPTED_CHANGES_FILE} is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(value)) throw new Error(`schema/${ACCEPTED_CHANGES_FILE} must be a JSON array of accepted changes`);
  return value.map((entry: unknown, index) => {
    const where = `schema/${ACCEPTED_CHANGES_FILE}, entry ${index + 1}`;
    if (typeof entry !== 'object' || entry === null) throw new Error(`${where}: must be an object`);
    const record = entry as Record<string, unknown>;
    for (const key of ['subgraph', 'type', 'path', 'reason', 'acceptedBy'] as const) {
      if (typeof record[key] !== 'string') throw new Error(`${where}: "${key}" must be a string`);
      if (key !== 'path' && (record[key] as string).trim() === '') throw new Error(`${where}: "${key}" must not be empty`);
    }
    return record as unknown as AcceptedChange;
  });
}

/** A ready-to-paste schema/accepted-changes.json entry for a change. */
export function acceptedChangeEntry(schema: string, change: ReportedChange): AcceptedChange {
  return {
    subgraph: schema,
    type: change.type,
    path: change.path ?? '',
    message: change.message,
    reason: 'TODO: why clients may break, and what they use instead',
    acceptedBy: 'TODO: your name or team',
    date: new Date().toISOString().slice(0, 10),
  };
}

/** Whether an accepted entry, or another change, is the same change: same type at the same path. */
export const sameChange = (entry: { type: string; path: string | null }, change: ReportedChange) =>
  entry.type === change.type && (entry.path ?? '') === (change.path ?? '');

/**
 * Compares the committed schema/ files with the current ones and decides the outcome.
 * `committed` and `current.files` map file names under schema/ (people.graphql, ...,
 * supergraph.graphql) to SDL; `accepted` is schema/accepted-changes.json's entries.
 */
export async function checkSchemas(
  committed: Map<string, string>,
  current: CurrentSchemas,
  accepted: readonly AcceptedChange[] = [],
  options: CheckOptions = {},
): Promise<CheckReport> {
  const schemas: SchemaReport[] = [];
  const subgraphFiles = [...current.files.keys(), ...committed.keys()].filter(isSubgraphFile);
  for (const file of new Set(subgraphFiles)) {
    const before = committed.get(file);
    const after = current.files.get(file);
    const name = subgraphNameOf(file);
    if (before === undefined) schemas.push({ name, file, status: 'new', changes: [] });
    else if (after === undefined) schemas.push({ name, file, status: 'removed', changes: [] });
    else schemas.push(await compare(name, file, () => subgraphSchema(before), () => subgraphSchema(after)));
  }

  const committedSupergraph = committed.get(SUPERGRAPH_FILE);
  const currentSupergraph = current.files.get(SUPERGRAPH_FILE);
  if (current.errors.length > 0 || currentSupergraph === undefined) {
    schemas.push({ name: SUPERGRAPH, file: SUPERGRAPH_FILE, status: 'not-composed', changes: [] });
  } else if (committedSupergraph === undefined) {
    schemas.push({ name: SUPERGRAPH, file: SUPERGRAPH_FILE, status: 'new', changes: [] });
  } else {
    schemas.push(await compare(SUPERGRAPH, SUPERGRAPH_FILE, () => apiSchema(committedSupergraph), () => apiSchema(currentSupergraph)));
  }

  const used = new Set<AcceptedChange>();
  const bySchema = new Map(schemas.map((schema) => [schema.name, schema]));
  for (const schema of schemas) {
    for (const change of schema.changes) {
      if (change.level !== 'BREAKING') continue;
      const entry = accepted.find(
        (candidate) =>
          sameChange(candidate, change) &&
          (candidate.subgraph === schema.name ||
            // A subgraph's accepted change also covers its effect on the supergraph.
            (schema.name === SUPERGRAPH && (bySchema.get(candidate.subgraph)?.changes ?? []).some((c) => sameChange(candidate, c)))),
      );
      if (entry) {
        used.add(entry);
        change.accepted = { via: 'file', reason: entry.reason, acceptedBy: entry.acceptedBy };
      } else if (options.acceptBreaking) {
        change.accepted = { via: 'flag', reason: 'accepted with --accept-breaking', acceptedBy: null };
      }
    }
  }

  const changedSubgraphs = schemas.filter((s) => s.name !== SUPERGRAPH && s.status !== 'unchanged').map((s) => s.name);
  const knownSubgraphs = [...new Set(subgraphFiles)].map(subgraphNameOf);
  const compositionErrors = current.errors.map((error) => explainCompositionError(error, knownSubgraphs, changedSubgraphs));
  const unacceptedBreaking = schemas.some((s) => s.changes.some((c) => c.level === 'BREAKING' && !c.accepted));
  const anyChange = schemas.some((s) => s.status !== 'unchanged');
  const outcome =
    compositionErrors.length > 0 ? 'composition-failed' : unacceptedBreaking ? 'breaking' : anyChange ? 'passed' : 'clean';
  return {
    outcome,
    exitCode: outcome === 'composition-failed' || outcome === 'breaking' ? 1 : 0,
    compositionErrors,
    schemas,
    unusedAcceptances: accepted.filter((entry) => !used.has(entry)),
    textOnlyChanges: schemas
      .filter((schema) => schema.status === 'unchanged')
      .map((schema) => schema.file)
      .filter((file) => withoutBanner(committed.get(file) ?? '') !== withoutBanner(current.files.get(file) ?? '')),
  };
}

async function compare(name: string, file: string, before: () => GraphQLSchema, after: () => GraphQLSchema): Promise<SchemaReport> {
  let oldSchema: GraphQLSchema;
  let newSchema: GraphQLSchema;
  try {
    oldSchema = before();
  } catch (error) {
    throw new Error(`The committed schema/${file} does not load: ${(error as Error).message}`);
  }
  try {
    newSchema = after();
  } catch (error) {
    throw new Error(`The current ${name} schema does not load: ${(error as Error).message}`);
  }
  const changes = await diffSchemas(oldSchema, newSchema);
  return { name, file, status: changes.length > 0 ? 'changed' : 'unchanged', changes };
}
