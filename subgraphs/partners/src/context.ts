import type { SubgraphContext } from '@hub/toolkit';
import type { Loaders } from './loaders.js';

export type Context = SubgraphContext<Loaders>;
