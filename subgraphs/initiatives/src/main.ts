import { runSubgraph } from '@hub/toolkit';
import { initiatives } from './subgraph.js';

await runSubgraph(initiatives);
