export * from './auth.js';
export * from './errors.js';
export * from './http.js';
export * from './lifecycle.js';
export * from './log.js';
export * from './tracing.js';
export * from './tokens.js';
