import { runSubgraph } from '@hub/toolkit';
import { government } from './subgraph.js';

await runSubgraph(government);
