import type { Context } from './context.js';

/** How the gateway turns `{ id }` references from other subgraphs into private partners: one batched SELECT. */
export const referenceResolvers = {
  PrivatePartner: {
    __resolveReference: (reference: { id: string }, { loaders }: Context) => loaders.partner.load(reference.id),
  },
};
