import { readFile } from 'node:fs/promises';

/**
 * Where a CPU profile's time went, by library: the share of sampled self time
 * (idle left out) in each. What the performance work of the hub is steered by.
 */

const CATEGORIES: [name: string, url: RegExp][] = [
  ['graphql-js', /node_modules\/graphql\//],
  ['Apollo Gateway (planning, result shaping)', /node_modules\/@apollo\/(gateway|federation-internals|query-planner|composition)/],
  ['Apollo Server', /node_modules\/@apollo\/(server|utils|usage-reporting)/],
  ['@apollo/subgraph', /node_modules\/@apollo\/subgraph/],
  ['MikroORM', /node_modules\/(@mikro-orm|knex|kysely)/],
  ['pg driver', /node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-[a-z]+)\//],
  ['type-graphql', /node_modules\/type-graphql/],
  ['dataloader', /node_modules\/dataloader/],
  ['logging (pino)', /node_modules\/(pino|sonic-boom|fast-redact|thread-stream)/],
  ['tracing (OpenTelemetry)', /node_modules\/@opentelemetry/],
  ['GraphQL Armor', /node_modules\/(@escape\.tech|graphql-armor)/],
  ['other libraries', /node_modules\//],
  ['Node.js (HTTP, streams, JSON)', /^(node:|internal)/],
];

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

function categoryOf(functionName: string, url: string): string | null {
  if (functionName === '(idle)' || (functionName === 'post' && url === 'node:inspector')) return null;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)' || url === '') return 'V8 and native code';
  for (const [name, pattern] of CATEGORIES) if (pattern.test(url)) return name;
  return "the hub's own code";
}

/** Shares of self time (percent, largest first) and the sampled busy milliseconds. */
export async function profileShares(file: string): Promise<{ busyMs: number; shares: Record<string, number> }> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byCategory = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const { functionName, url } = nodes.get(id)!.callFrame;
    const category = categoryOf(functionName, url);
    if (category === null) return;
    const micros = profile.timeDeltas[i] ?? 0;
    byCategory.set(category, (byCategory.get(category) ?? 0) + micros);
    busy += micros;
  });
  const shares = Object.fromEntries([...byCategory].sort((a, b) => b[1] - a[1]).map(([name, micros]) => [name, (100 * micros) / busy]));
  return { busyMs: busy / 1000, shares };
}
