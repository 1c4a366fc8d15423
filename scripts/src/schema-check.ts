/**
 * `npm run schema:check`: the local equivalent of a hosted schema registry check.
 *
 * Composes the subgraphs' current code in memory, then compares every subgraph's
 * SDL and the supergraph's client-facing API schema with the committed files in
 * schema/, and classes each change as BREAKING, DANGEROUS or SAFE with
 * @graphql-inspector/core's rules. Breaking changes fail the check unless they are
 * accepted on purpose: `--accept-breaking`, or an entry in schema/accepted-changes.json.
 *
 * The checking is done by pure functions (checkSchemas, formatReport, ...) that take
 * SDL strings, so tests run them on in-memory variants; main() reads the real files.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { errorCauses, errorCodeDef, Supergraph } from '@apollo/federation-internals';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import type { GraphQLError, GraphQLSchema } from 'graphql';
import { composeSupergraph, routingUrl, SCHEMA_DIR, type ComposedFiles } from './compose.js';
import { SUBGRAPHS } from './subgraphs.js';

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

export interface CompositionProblem {
  /** The composition error code, e.g. ENUM_VALUE_MISMATCH. */
  code: string | null;
  /** A short plain-words title. */
  title: string;
  /** The composition error's own message (it names the types, fields and subgraphs). */
  message: string;
  /** Every subgraph the error involves. */
  subgraphs: string[];
  /** Those of them whose SDL differs from the committed one: the likely cause. */
  changedSubgraphs: string[];
  /** What the rule is, in general. */
  meaning: string;
  /** What to do about it. */
  whatToDo: string;
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
const LEVEL_ORDER: Level[] = ['BREAKING', 'DANGEROUS', 'SAFE'];

/** The SDL without its leading `#` banner lines. */
const withoutBanner = (sdl: string) => sdl.replace(/^(#[^\n]*\n)+/, '');
const subgraphNameOf = (file: string) => file.replace(/\.graphql$/, '');
const isSubgraphFile = (file: string) => file.endsWith('.graphql') && file !== SUPERGRAPH_FILE;

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

const sameChange = (entry: { type: string; path: string | null }, change: ReportedChange) =>
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

// ---------------------------------------------------------------------------------------
// Composition errors in plain words

interface Advice {
  title: string;
  whatToDo: string;
}

const COORDINATE = 'or make the change in every subgraph involved at once (with the other owners\' agreement)';

/** Plain words for the composition errors a subgraph change most often causes. */
const ADVICE: Record<string, Advice> = {
  ENUM_VALUE_MISMATCH: {
    title: 'the subgraphs disagree on the values of a shared enum',
    whatToDo: `An enum that clients both send (as an argument) and receive must have exactly the same values in every subgraph that defines it. Put the value back where it was added or removed, ${COORDINATE}. Removing a value is also a breaking change for clients.`,
  },
  EMPTY_MERGED_ENUM_TYPE: {
    title: 'a shared enum has no value common to all subgraphs',
    whatToDo: `Give the enum the same values in every subgraph that defines it, ${COORDINATE}.`,
  },
  FIELD_TYPE_MISMATCH: {
    title: 'a field defined by several subgraphs has incompatible types',
    whatToDo: `A shared field must have the same type in every subgraph that defines it. Change it back, ${COORDINATE}.`,
  },
  EXTERNAL_TYPE_MISMATCH: {
    title: 'a field another subgraph relies on (@external) changed type',
    whatToDo: `Another subgraph declares this field @external: it relies on the owner's field (to implement an interface such as Actor, or for a @key or @requires). Keep the owner's type as it was, ${COORDINATE}.`,
  },
  EXTERNAL_MISSING_ON_BASE: {
    title: 'a field another subgraph relies on (@external) is no longer resolved by its owner',
    whatToDo: 'Another subgraph marks this field @external and expects its owner to resolve it. Keep the field in the owning subgraph (deprecate it rather than remove it), or first remove it from the subgraph that relies on it.',
  },
  EXTERNAL_ARGUMENT_MISSING: {
    title: 'a field another subgraph relies on (@external) lost an argument',
    whatToDo: `Keep the arguments of the owner's field as the @external declarations expect them, ${COORDINATE}.`,
  },
  EXTERNAL_ARGUMENT_TYPE_MISMATCH: {
    title: 'a field another subgraph relies on (@external) changed an argument type',
    whatToDo: `Keep the argument types of the owner's field as the @external declarations expect them, ${COORDINATE}.`,
  },
  ARGUMENT_TYPE_MISMATCH: {
    title: 'an argument defined by several subgraphs has incompatible types',
    whatToDo: `A shared field's arguments must have compatible types in every subgraph. Change it back, ${COORDINATE}.`,
  },
  TYPE_KIND_MISMATCH: {
    title: 'one type name is a different kind of type in different subgraphs',
    whatToDo: 'A type name means one type in the whole graph. Rename the new type, or make it the same kind (object, interface, enum, ...) as in the other subgraphs.',
  },
  INVALID_FIELD_SHARING: {
    title: 'several subgraphs resolve the same field without @shareable',
    whatToDo: 'If the subgraphs really resolve the field the same way, mark it @shareable in every subgraph that defines it; otherwise rename it in the new subgraph, or mark it @external there.',
  },
  INTERFACE_FIELD_NO_IMPLEM: {
    title: 'a type no longer has a field its interface requires',
    whatToDo: 'Each implementation of an interface (Actor: PeopleOrganization, GovernmentCentre, PrivatePartner) must get every interface field from some subgraph. Put the field back on the type, or remove it from the interface in the subgraph that owns the interface first.',
  },
  INTERFACE_KEY_NOT_ON_IMPLEMENTATION: {
    title: 'an implementation of an entity interface lost the interface\'s @key',
    whatToDo: 'Every implementation of an interface with @key (Actor) must keep a resolvable @key(fields: "id"). Restore the @key (and the reference resolver) on the type.',
  },
  SATISFIABILITY_ERROR: {
    title: 'some client queries could no longer be answered by the subgraphs',
    whatToDo: 'Usually a field, @key or reference resolver that the gateway needs to reach a type was removed or changed. The message shows an example query that fails and where the path breaks: restore what that path needs.',
  },
  KEY_INVALID_FIELDS: {
    title: 'a @key selects a field that is missing or invalid',
    whatToDo: 'Fix the @key\'s fields, or restore the field it selects (entity keys are the ids other subgraphs use to reach the type).',
  },
  KEY_FIELDS_SELECT_INVALID_TYPE: {
    title: 'a @key selects a list, interface or union field',
    whatToDo: 'Key a type on scalar or enum fields (here: id).',
  },
  REQUIRES_INVALID_FIELDS: {
    title: 'a @requires selects a field that is missing or invalid',
    whatToDo: 'Fix the @requires fields, or restore the field it needs in the subgraph that owns it.',
  },
  PROVIDES_INVALID_FIELDS: {
    title: 'a @provides selects a field that is missing or invalid',
    whatToDo: 'Fix the @provides fields, or restore the field it names.',
  },
  REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH: {
    title: 'a required argument is missing from some subgraphs that define the field',
    whatToDo: `Make the argument optional (nullable, or with a default), ${COORDINATE}.`,
  },
  REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH: {
    title: 'a required input field is missing from some subgraphs that define the input type',
    whatToDo: `Make the input field optional, ${COORDINATE}.`,
  },
  EXTENSION_WITH_NO_BASE: {
    title: 'a subgraph extends a type no subgraph defines',
    whatToDo: 'Define the type in the subgraph that owns it, or stop extending it.',
  },
  EXTERNAL_UNUSED: {
    title: 'an @external field is not used by anything',
    whatToDo: 'Remove the @external field, or use it (in a @key, @requires, @provides or for an interface).',
  },
  INVALID_GRAPHQL: {
    title: 'a subgraph\'s schema is not valid GraphQL',
    whatToDo: 'Fix the subgraph\'s types (its type-graphql classes and resolvers); the message says which rule it breaks.',
  },
  NO_QUERIES: {
    title: 'no subgraph has a query field',
    whatToDo: 'Keep at least one field on Query.',
  },
};

const GENERIC_ADVICE = `Read the message: it names the types and fields. Undo the change in the subgraph that changed, ${COORDINATE}.`;

/** Which of `known` subgraph names an error names, in its AST nodes' sources or its message. */
export function subgraphsOfError(error: GraphQLError | string, known: readonly string[]): string[] {
  const names = new Set<string>();
  const knownSet = new Set(known);
  const consider = (name: string | undefined) => {
    if (name && knownSet.has(name)) names.add(name);
  };
  const errors = typeof error === 'string' ? [] : [error, ...(errorCauses(error) ?? [])];
  for (const e of errors) for (const node of e.nodes ?? []) consider(node.loc?.source.name);
  const message = typeof error === 'string' ? error : error.message;
  for (const match of message.matchAll(/"([^"]+)"/g)) consider(match[1]);
  for (const match of message.matchAll(/\[([^\]\s]+)\]/g)) consider(match[1]);
  return known.filter((name) => names.has(name));
}

/** A composition error in plain words: which subgraphs, what the rule is, what to do. */
export function explainCompositionError(
  error: GraphQLError | string,
  knownSubgraphs: readonly string[],
  changedSubgraphs: readonly string[] = [],
): CompositionProblem {
  const message = typeof error === 'string' ? error : error.message;
  const definition = typeof error === 'string' ? undefined : errorCodeDef(error);
  const code = definition?.code ?? (typeof error === 'string' ? null : ((error.extensions?.code as string | undefined) ?? null));
  const advice = code ? ADVICE[code] : undefined;
  const subgraphs = subgraphsOfError(error, knownSubgraphs);
  return {
    code,
    title: advice?.title ?? (definition ? definition.description.replace(/\.$/, '') : 'the subgraphs do not compose'),
    message,
    subgraphs,
    changedSubgraphs: subgraphs.filter((name) => changedSubgraphs.includes(name)),
    meaning: definition?.description ?? 'Composition rejected the subgraphs: they do not fit together into one graph.',
    whatToDo: advice?.whatToDo ?? GENERIC_ADVICE,
  };
}

// ---------------------------------------------------------------------------------------
// The report, for a terminal

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

function summary(schema: SchemaReport): string {
  switch (schema.status) {
    case 'unchanged':
      return 'no changes';
    case 'new':
      return `new: no committed schema/${schema.file} yet`;
    case 'removed':
      return `removed: schema/${schema.file} is committed but no longer in the code`;
    case 'not-composed':
      return 'not composed (see the composition errors above)';
    case 'changed': {
      const counts = LEVEL_ORDER.filter((level) => level !== 'SAFE')
        .map((level) => [level, schema.changes.filter((c) => c.level === level).length] as const)
        .filter(([, n]) => n > 0)
        .map(([level, n]) => `${n} ${level.toLowerCase()}`);
      return [plural(schema.changes.length, 'change'), ...counts].join(', ');
    }
  }
}

/** The report as terminal text. */
export function formatReport(report: CheckReport): string {
  const out: string[] = [];
  if (report.compositionErrors.length > 0) {
    out.push(
      `Composition failed: the subgraphs no longer fit together into one supergraph (${plural(report.compositionErrors.length, 'error')}).`,
      '',
    );
    report.compositionErrors.forEach((problem, index) => {
      const involved = problem.subgraphs.length > 0 ? problem.subgraphs.join(', ') : 'not named in the error';
      const cause =
        problem.changedSubgraphs.length > 0
          ? `${problem.changedSubgraphs.join(', ')} (changed since the committed schema/, so most likely the cause)`
          : 'none of them changed since the committed schema/';
      out.push(
        `${index + 1}. ${problem.code ? `${problem.code}: ` : ''}${problem.title}`,
        `   Subgraphs involved: ${involved}`,
        `   Caused by: ${cause}`,
        indent(`What happened: ${problem.message}`, '   '),
        `   What the rule is: ${problem.meaning}`,
        `   What to do: ${problem.whatToDo}`,
        '',
      );
    });
  }

  const width = Math.max(...report.schemas.map((s) => s.name.length)) + 2;
  for (const schema of report.schemas) {
    const note = schema.name === SUPERGRAPH && schema.status !== 'not-composed' ? ' (the API schema clients query)' : '';
    out.push(`${`${schema.name}:`.padEnd(width)}${summary(schema)}${note}`);
    for (const change of schema.changes) {
      const tag = change.level === 'BREAKING' && change.accepted ? 'ACCEPTED' : change.level;
      out.push(`  ${tag.padEnd(9)} ${change.message}`);
      if (change.level === 'BREAKING') {
        out.push(`            ${change.type} ${change.path ?? ''}`.trimEnd());
        if (change.reason && !change.accepted) out.push(`            ${change.reason}`);
      }
    }
  }
  out.push('');

  const accepted = report.schemas.flatMap((schema) =>
    schema.changes.filter((c) => c.accepted).map((change) => ({ schema: schema.name, change, acceptance: change.accepted! })),
  );
  if (accepted.length > 0) {
    out.push('Accepted breaking changes:');
    for (const { schema, change, acceptance } of accepted) {
      const by =
        acceptance.via === 'file'
          ? `accepted by ${acceptance.acceptedBy} in schema/${ACCEPTED_CHANGES_FILE}: ${acceptance.reason}`
          : acceptance.reason;
      out.push(`  ${schema}: ${change.message}`, `    ${by}`);
    }
    out.push('');
  }
  if (report.unusedAcceptances.length > 0 && report.outcome !== 'clean') {
    out.push(`Entries of schema/${ACCEPTED_CHANGES_FILE} that match no breaking change now:`);
    for (const entry of report.unusedAcceptances) out.push(`  ${entry.subgraph}: ${entry.type} ${entry.path}`);
    out.push('');
  }

  const unaccepted = report.schemas.flatMap((schema) =>
    schema.changes.filter((c) => c.level === 'BREAKING' && !c.accepted).map((change) => ({ schema: schema.name, change })),
  );
  const dangerous = report.schemas.reduce((n, s) => n + s.changes.filter((c) => c.level === 'DANGEROUS').length, 0);
  switch (report.outcome) {
    case 'composition-failed':
      out.push('Schema check FAILED: composition failed. Fix the errors above; `npm run compose` and the gateway cannot load these subgraphs either.');
      break;
    case 'breaking': {
      // Entries for the subgraphs' changes; a supergraph change needs its own entry only when no subgraph explains it.
      const entries = unaccepted
        .filter(({ schema, change }) => schema !== SUPERGRAPH || !unaccepted.some((u) => u.schema !== SUPERGRAPH && sameChange(u.change, change)))
        .map(({ schema, change }) => acceptedChangeEntry(schema, change));
      out.push(
        `Schema check FAILED: ${plural(unaccepted.length, 'breaking change')} not accepted. Clients using them would break.`,
        'Either avoid the break (keep the field or value and mark it @deprecated, make new arguments and input fields optional),',
        `or accept it on purpose: add these entries to schema/${ACCEPTED_CHANGES_FILE} with a reason (an entry for a subgraph also covers the same change in the supergraph),`,
        'or run again with --accept-breaking.',
        '',
        indent(JSON.stringify(entries, null, 2), '  '),
      );
      break;
    }
    case 'passed': {
      const changed = report.schemas.filter((s) => s.status !== 'unchanged').map((s) => s.name);
      const details = [
        accepted.length > 0 ? `${plural(accepted.length, 'breaking change')} accepted` : 'nothing breaking',
        dangerous > 0 ? `${dangerous} dangerous: clients may behave differently, e.g. on an enum value they do not expect` : null,
      ].filter((d) => d !== null);
      out.push(
        `Schema check passed: ${changed.join(', ')} changed (${details.join('; ')}).`,
        'Run `npm run compose` to commit the new SDL to schema/: the schema freshness test (test/schema.test.ts) fails until then.',
      );
      break;
    }
    case 'clean':
      out.push('No changes: every subgraph and the supergraph match the committed schema/ files.');
      if (report.textOnlyChanges.length > 0) {
        out.push(
          `The text of ${report.textOnlyChanges.map((file) => `schema/${file}`).join(', ')} differs without a schema change (order, routing URL, ...):`,
          'run `npm run compose` to rewrite it, or the schema freshness test (test/schema.test.ts) fails.',
        );
      }
      break;
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------
// The command

const USAGE = 'Usage: npm run schema:check [-- --accept-breaking]';

export interface MainOptions {
  /** Where the committed files are: schema/ by default. */
  schemaDir?: string;
  /** What composes the current code: composeSupergraph by default. */
  compose?: () => Promise<ComposedFiles>;
  log?: (text: string) => void;
  error?: (text: string) => void;
}

/** Reads the committed *.graphql files of a schema directory. */
export async function readCommittedSchemas(schemaDir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const names = await readdir(schemaDir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith('.graphql')).sort()) {
    files.set(name, await readFile(schemaDir + name, 'utf8'));
  }
  return files;
}

/** The CLI: returns the exit code. */
export async function main(argv: readonly string[] = process.argv.slice(2), options: MainOptions = {}): Promise<number> {
  const log = options.log ?? ((text) => console.log(text));
  const error = options.error ?? ((text) => console.error(text));
  const schemaDir = options.schemaDir ?? SCHEMA_DIR;
  if (argv.includes('--help') || argv.includes('-h')) {
    log(USAGE);
    return 0;
  }
  const unknown = argv.filter((arg) => arg !== '--accept-breaking');
  if (unknown.length > 0) {
    error(`Unknown argument ${unknown.join(' ')}\n${USAGE}`);
    return 2;
  }
  try {
    const composed = await (options.compose ?? composeSupergraph)();
    let current: CurrentSchemas = composed;
    if (composed.errors.length > 0) {
      // Compose the printed SDL again to get the errors with their codes and subgraph names.
      const again = composeSubgraphSdls(new Map([...composed.files].filter(([file]) => isSubgraphFile(file))));
      if (again.errors.length > 0) current = again;
    }
    const acceptedJson = await readFile(schemaDir + ACCEPTED_CHANGES_FILE, 'utf8').catch(() => null);
    const accepted = acceptedJson === null ? [] : parseAcceptedChanges(acceptedJson);
    const report = await checkSchemas(await readCommittedSchemas(schemaDir), current, accepted, {
      acceptBreaking: argv.includes('--accept-breaking'),
    });
    log(formatReport(report));
    return report.exitCode;
  } catch (e) {
    error(`Schema check failed: ${(e as Error).message}`);
    return 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main();
