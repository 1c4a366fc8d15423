import 'reflect-metadata';

export * from './args.js';
export * from './codelists.js';
export * from './embedded.js';
export * from './entity.js';
export * from './errors.js';
export * from './facts.js';
export * from './ids.js';
export * from './loaders.js';
export * from './orm.js';
export * from './paging.js';
export * from './provinces.js';
export * from './schema.js';
export * from './search.js';
export * from './server.js';
export * from './source.js';
export * from './stats.js';
export * from './subgraph.js';
