import 'reflect-metadata';

export * from './args.js';
export * from './audit.js';
export * from './cost.js';
export * from './embedded.js';
export * from './entity.js';
export * from './loaders.js';
export * from './orm.js';
export * from './paging.js';
export * from './row-budget.js';
export * from './schema.js';
export * from './search.js';
export * from './server.js';
export * from './source.js';
export * from './stats.js';
export * from './subgraph.js';
export * from './validation.js';
export * from './writes.js';
