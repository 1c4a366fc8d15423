import { actorReference } from './external.js';
import type { Context } from './context.js';

/**
 * An `Actor` reference becomes its owner's type by its id prefix; the owner
 * fills in the rest. Owner stubs need nothing beyond their key.
 */
export const referenceResolvers = {
  Actor: {
    __resolveReference: (reference: { id: string }) => actorReference(reference.id),
  },
  Initiative: {
    __resolveReference: (reference: { id: string }, { loaders }: Context) => loaders.initiative.load(reference.id),
  },
};
