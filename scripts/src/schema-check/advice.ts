/**
 * schema-check's advice: a composition error in plain words for the partner agency whose
 * change caused it: which subgraphs it involves, what the rule is and what to do.
 */
import { errorCauses, errorCodeDef } from '@apollo/federation-internals';
import type { GraphQLError } from 'graphql';

/** A composition error explained, as the report prints it. */
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
