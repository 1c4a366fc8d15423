import { runSubgraph } from '@hub/toolkit';
import { people } from './subgraph.js';

await runSubgraph(people);
