import 'reflect-metadata';

export * from './actor-input.js';
export * from './actor-list.js';
export * from './actors.js';
export * from './codelists.js';
export * from './contact.js';
export * from './demo.js';
export * from './facts.js';
export * from './provinces.js';
export * from './stats.js';
export * from './validation.js';
