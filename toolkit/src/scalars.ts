import type { GraphQLScalarType } from 'graphql';
import {
  DateTimeISOResolver as DateTimeISOScalar,
  JSONObjectResolver as JSONObjectScalar,
  LocalDateResolver as LocalDateScalar,
} from 'graphql-scalars';

/**
 * The custom scalars of the graph, each with the specification of its format
 * (`@specifiedBy(url:)` in the SDL, `specifiedByURL` in introspection), so a
 * client's code generator or reader knows what the string holds. Every
 * subgraph takes its scalars from here, never from graphql-scalars directly:
 * a schema holds one scalar of each name, and the four subgraphs must print
 * them alike for composition to keep the directive.
 *
 * The names are graphql-scalars' own, so switching an import is all it takes.
 */
function specifiedBy(scalar: GraphQLScalarType, specifiedByURL: string): GraphQLScalarType {
  // Made by the class of the graphql copy that graphql-scalars (and type-graphql) load, which a bundler
  // (the test runner) may not resolve `graphql` to here: type-graphql takes only scalars of its own copy.
  const Scalar = scalar.constructor as typeof GraphQLScalarType;
  return new Scalar({ ...scalar.toConfig(), specifiedByURL });
}

/**
 * The GraphQL Foundation's scalar specifications (scalars.graphql.org) for
 * dates and date-times: RFC 3339's `date-time` and `full-date` with GraphQL's
 * input and result coercion spelled out. JSON objects: RFC 8259, section 4.
 */
export const SCALAR_SPECIFICATIONS = {
  DateTimeISO: 'https://scalars.graphql.org/andimarek/date-time.html',
  LocalDate: 'https://scalars.graphql.org/andimarek/local-date.html',
  JSONObject: 'https://www.rfc-editor.org/rfc/rfc8259#section-4',
} as const;

/** An instant, e.g. "2006-02-28T03:00:00.000Z": always UTC, always milliseconds. */
export const DateTimeISOResolver = specifiedBy(DateTimeISOScalar, SCALAR_SPECIFICATIONS.DateTimeISO);

/** A calendar date without a time zone, e.g. "2006-02-28". */
export const LocalDateResolver = specifiedBy(LocalDateScalar, SCALAR_SPECIFICATIONS.LocalDate);

/** A JSON object (never an array or a bare value), e.g. a record as it was before a change. */
export const JSONObjectResolver = specifiedBy(JSONObjectScalar, SCALAR_SPECIFICATIONS.JSONObject);
