import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { pino } from 'pino';

/**
 * Structured logs (JSON lines, pino) for every part of the hub. LOG_LEVEL sets
 * the level (info by default; silent under the test runner unless set).
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
  redact: ['headers.authorization', 'headers.cookie'],
});

/** The header that carries a request's id from the client, through the gateway, to every subgraph. */
export const REQUEST_ID_HEADER = 'x-request-id';

const WELL_FORMED_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The caller's request id when it is well formed (so logs can be joined up), else a new one. */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const given = headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && WELL_FORMED_ID.test(given) ? given : randomUUID();
}
