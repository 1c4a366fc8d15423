import type { Context } from './context.js';

/** How the gateway turns `{ id }` references from other subgraphs into people's organisations: one batched SELECT. */
export const referenceResolvers = {
  PeopleOrganization: {
    __resolveReference: (reference: { id: string }, { loaders }: Context) => loaders.organization.load(reference.id),
  },
};
