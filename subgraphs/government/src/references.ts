import type { Context } from './context.js';

/** How the gateway turns `{ code }` and `{ id }` references from other subgraphs into records: one batched SELECT each. */
export const referenceResolvers = {
  Province: {
    __resolveReference: (reference: { code: string }, { loaders }: Context) => loaders.province.load(reference.code),
  },
  GovernmentCentre: {
    __resolveReference: (reference: { id: string }, { loaders }: Context) => loaders.governmentCentre.load(reference.id),
  },
};
