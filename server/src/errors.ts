import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { logger } from './log.js';

/** The error codes clients can rely on, in `extensions.code`. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  /** No valid token, or a token that did not verify. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** Signed in, but not allowed to do this. */
  FORBIDDEN: 'FORBIDDEN',
  /** The record changed since the client read it (its version moved on), or the change clashes with another record. */
  CONFLICT: 'CONFLICT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
  BAD_REQUEST: 'BAD_REQUEST',
} as const;

/** PostgreSQL's "data exception" class (22xxx): a NUL byte, a date out of range, a malformed value. */
function isDataException(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown; originalError?: unknown } | undefined; e; ) {
    if (typeof e.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code)) return true;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return false;
}

/** The HTTP status Apollo Server attached to an error it raised about the request itself. */
function httpStatusOf(error: unknown): number | undefined {
  const status = (error as { extensions?: { http?: { status?: unknown } } } | undefined)?.extensions?.http?.status;
  return typeof status === 'number' ? status : undefined;
}

/** Socket errors and PostgreSQL's "admin shutdown" and "connection failure" classes (57P, 08). */
const UNREACHABLE = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|57P0[123]|08\d{3})$/;
const UNREACHABLE_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout/i;

/** Whether an error, or one it wraps, says the database could not be reached. */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown; originalError?: unknown } | undefined; e; ) {
    if ((typeof e.code === 'string' && UNREACHABLE.test(e.code)) || (typeof e.message === 'string' && UNREACHABLE_MESSAGE.test(e.message))) {
      return true;
    }
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return false;
}

export function badUserInput(message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...details } });
}

export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.NOT_FOUND } });
}

export function conflict(message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.CONFLICT, ...details } });
}

const CONTEXT_PREFIX = 'Context creation failed: ';

interface ValidationFailure {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationFailure[];
}

/** Every failed check of an input, as "input.contact.email" and its messages, nested inputs included. */
function failedChecks(failures: ValidationFailure[], prefix: string): { field: string; messages: string[] }[] {
  return failures.flatMap((failure) => {
    const field = prefix ? `${prefix}.${failure.property}` : failure.property;
    const own = failure.constraints ? [{ field, messages: Object.values(failure.constraints) }] : [];
    return [...own, ...failedChecks(failure.children ?? [], field)];
  });
}

/**
 * type-graphql reports failed class-validator checks as "Argument Validation
 * Error" with the raw validator output (including the whole input). Say
 * instead what is wrong with which field, in the message and in `fields`.
 */
function describeInvalidInput(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const { validationErrors, ...extensions } = formatted.extensions as { validationErrors: ValidationFailure[] };
  const fields = failedChecks(validationErrors, '');
  const messages = fields.flatMap((f) => f.messages);
  return {
    ...formatted,
    message: `The input is not valid: ${messages.join(' ')}`,
    extensions: { ...extensions, code: ErrorCode.BAD_USER_INPUT, fields },
  };
}

/**
 * Whether errors may carry their details (stack traces, driver messages):
 * only under NODE_ENV=development. Outside it, only the message and code of
 * an error leave the server.
 */
export function isDevelopment(): boolean {
  return process.env.NODE_ENV === 'development';
}

/** The NODE_ENV values of a laptop or a test run; any other names a shared deployment. */
const DEVELOPMENT_ENVIRONMENTS = new Set(['', 'development', 'test']);

/**
 * Whether a part may start on the public development defaults (the
 * development token and internal secrets) when a setting is missing: only
 * where NODE_ENV is unset, empty, development or test. Staging, production
 * and any other name must be given real settings, since a deployment that
 * merely forgot to say "production" is still reachable by others.
 */
export function developmentDefaultsAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return DEVELOPMENT_ENVIRONMENTS.has(env.NODE_ENV ?? '');
}

/**
 * Whether answers may show the schema beyond what the client asked for:
 * introspection, and the "Did you mean ...?" suggestions in error messages,
 * which hand the schema out a name at a time. GATEWAY_INTROSPECTION when set,
 * else everywhere but production, as the gateway's limits decide introspection.
 */
export function schemaDetailsShown(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.GATEWAY_INTROSPECTION !== undefined) return env.GATEWAY_INTROSPECTION === 'true';
  return env.NODE_ENV !== 'production';
}

/** graphql-js ends a message with its guesses: ' Did you mean "name"?', ' Did you mean the enum value "ACTIVE"?'. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

function withoutSuggestions(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.message.includes('Did you mean')) return formatted;
  return { ...formatted, message: formatted.message.replace(SUGGESTION, '').trim() };
}

/**
 * Errors the server did not raise on purpose (a failed SQL statement, a bug)
 * would tell a client about tables and internals: replace their message
 * unless in development, and log the original once, here.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  // Apollo prefixes errors raised while building the context (a refused token); the prefix tells a client nothing.
  if (formatted.message.startsWith(CONTEXT_PREFIX)) formatted = { ...formatted, message: formatted.message.slice(CONTEXT_PREFIX.length) };
  // Every error passes here, whichever check raised it (validation, variable coercion, a subgraph): so do suggestions.
  if (!schemaDetailsShown()) formatted = withoutSuggestions(formatted);
  if (Array.isArray(formatted.extensions?.validationErrors)) formatted = describeInvalidInput(formatted);
  const code = formatted.extensions?.code;
  const deliberate = typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR;
  if (deliberate || isDevelopment()) return formatted;
  const status = httpStatusOf(error) ?? httpStatusOf((error as { originalError?: unknown } | undefined)?.originalError);
  if (status && status >= 400 && status < 500) {
    // Raised about the request itself (e.g. a persisted-query hash that does not match): say so.
    return { message: formatted.message, extensions: { code: ErrorCode.BAD_REQUEST } };
  }
  if (isDataException(error)) {
    return {
      message: 'A value in the request cannot be used here (for example a NUL character or a date out of range).',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    };
  }
  if (isDatabaseUnreachable(error)) {
    return {
      message: 'The database behind this part of the graph is unavailable; try again shortly.',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.DATABASE_UNAVAILABLE },
    };
  }
  logger.error({ err: error, path: formatted.path }, 'unexpected error');
  return {
    message: 'Internal server error',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
