import { runSubgraph } from '@hub/toolkit';
import { search } from './subgraph.js';

await runSubgraph(search);
