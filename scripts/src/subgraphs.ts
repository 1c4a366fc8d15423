import { government } from '@hub/government';
import { initiatives } from '@hub/initiatives';
import { partners } from '@hub/partners';
import { people } from '@hub/people';
import { search } from '@hub/search';

/** The hub's subgraphs, in the order they are composed, started and seeded. */
export const SUBGRAPHS = [people, government, partners, initiatives, search] as const;
