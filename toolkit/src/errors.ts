import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** The error codes clients can rely on, in `extensions.code`. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export function badUserInput(message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...details } });
}

export function notFound(what: string, id: string): GraphQLError {
  return new GraphQLError(`${what} ${JSON.stringify(id)} does not exist.`, {
    extensions: { code: ErrorCode.NOT_FOUND, id },
  });
}

/** Outside development, only the message and code of an error leave the server. */
export function isDevelopment(): boolean {
  return process.env.NODE_ENV === 'development';
}

/**
 * Errors the server did not raise on purpose (a failed SQL statement, a bug)
 * would tell a client about tables and internals: replace their message
 * unless in development, and log the original once, here.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  const deliberate = typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR;
  if (deliberate || isDevelopment()) return formatted;
  console.error('[hub] unexpected error:', error);
  return {
    message: 'Internal server error',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
