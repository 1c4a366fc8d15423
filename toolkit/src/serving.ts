/**
 * What a process that only serves HTTP needs (the gateway): the server, logs,
 * errors, tracing and shutdown, without the ORM and database drivers the
 * subgraphs load, which would cost the gateway some 50 MB of memory.
 */
export * from './errors.js';
export * from './http.js';
export * from './lifecycle.js';
export * from './log.js';
export * from './tracing.js';
export * from './auth.js';
