import type { SubgraphContext } from '@hub/toolkit';

/** The search subgraph loads nothing by key: a search is one statement. */
export type Loaders = Record<string, never>;

export type Context = SubgraphContext<Loaders>;
