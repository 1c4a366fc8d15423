import { runSubgraph } from '@hub/toolkit';
import { partners } from './subgraph.js';

await runSubgraph(partners);
