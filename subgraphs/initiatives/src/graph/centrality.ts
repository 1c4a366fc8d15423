import { UndirectedGraph } from 'graphology';
import betweennessModule from 'graphology-metrics/centrality/betweenness.js';

// graphology-metrics is CommonJS (`module.exports = fn`) while its types declare
// `export default fn`: Node hands ESM the function itself, TypeScript expects it on `.default`.
const betweennessCentrality = ((betweennessModule as { default?: unknown }).default ??
  betweennessModule) as typeof betweennessModule.default;

export interface NodeCentrality {
  actorId: string;
  /** How many other actors it works with directly. */
  degree: number;
  /** Normalised betweenness: the share of shortest paths between other pairs that pass through it, 0 to 1. */
  betweenness: number;
}

/**
 * Degree and betweenness of every node of a simple undirected graph (one
 * edge per pair however many links and initiatives join it), with
 * graphology: Brandes' algorithm, unweighted, O(nodes × edges). Betweenness
 * is normalised as NetworkX does for undirected graphs, by (n-1)(n-2)/2
 * pairs, and rounded to 12 decimals so that equal scores compare equal.
 * Sorted by betweenness, then degree (both highest first), then id.
 */
export function centralities(nodes: readonly string[], pairs: readonly (readonly [string, string])[]): NodeCentrality[] {
  if (nodes.length === 0) return [];
  const graph = new UndirectedGraph();
  for (const node of nodes) graph.addNode(node);
  for (const [a, b] of pairs) {
    if (a !== b && graph.hasNode(a) && graph.hasNode(b)) graph.mergeEdge(a, b);
  }
  // getEdgeWeight null: every edge counts as one hop (breadth-first Brandes, not Dijkstra).
  const betweenness = betweennessCentrality(graph, { getEdgeWeight: null, normalized: true });
  const scores = graph.mapNodes((node) => ({
    actorId: node,
    degree: graph.degree(node),
    betweenness: Math.round((betweenness[node] ?? 0) * 1e12) / 1e12,
  }));
  return scores.sort(
    (x, y) =>
      y.betweenness - x.betweenness || y.degree - x.degree || (x.actorId < y.actorId ? -1 : x.actorId > y.actorId ? 1 : 0),
  );
}
