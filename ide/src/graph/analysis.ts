import { UndirectedGraph } from 'graphology';
import louvain from 'graphology-communities-louvain';
import betweennessCentrality from 'graphology-metrics/centrality/betweenness';
import type { NetworkGraph } from './model';
import { COMMUNITY_COLOURS, OTHER_COMMUNITY_COLOUR } from './style';

/**
 * The analyses an analyst runs on the drawn network, as Gephi offers them:
 * communities, centrality, filters, search, and labels that read well.
 */

/**
 * The drawn network with one weighted edge per joined pair, of the nodes
 * `keep` keeps: what communities and centrality are computed on, since two
 * actors joined three ways are still one pair of neighbours.
 */
function simpleGraph(graph: NetworkGraph, keep: (node: string) => boolean): UndirectedGraph {
  const simple = new UndirectedGraph();
  graph.forEachNode((node) => keep(node) && simple.addNode(node));
  graph.forEachEdge((_, __, source, target) => {
    if (source === target || !simple.hasNode(source) || !simple.hasNode(target)) return;
    if (simple.hasEdge(source, target)) simple.updateEdgeAttribute(source, target, 'weight', (w: number) => w + 1);
    else simple.addEdge(source, target, { weight: 1 });
  });
  return simple;
}

export interface Community {
  id: number;
  colour: string;
  size: number;
}

/** Louvain's communities of the shown nodes, stored on each node, largest first; their colours by that rank. */
export function detectCommunities(graph: NetworkGraph, shown: (node: string) => boolean): { communities: Community[]; modularity: number } {
  const simple = simpleGraph(graph, shown);
  if (simple.order === 0) return { communities: [], modularity: 0 };
  const detailed = louvain.detailed(simple, {
    getEdgeWeight: 'weight',
    rng: seeded(1),
  });
  const sizes = new Map<number, number>();
  for (const community of Object.values(detailed.communities)) sizes.set(community, (sizes.get(community) ?? 0) + 1);
  // Renumbered by size, so that community 0 is the largest and colours are stable from run to run.
  const ranked = [...sizes].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const rank = new Map(ranked.map(([community], i) => [community, i]));
  graph.forEachNode((node) => graph.setNodeAttribute(node, 'community', node in detailed.communities ? rank.get(detailed.communities[node]!) : undefined));
  return {
    communities: ranked.map(([, size], i) => ({
      id: i,
      colour: communityColour(i),
      size,
    })),
    modularity: detailed.modularity,
  };
}

export const communityColour = (community: number | undefined) =>
  community === undefined ? OTHER_COMMUNITY_COLOUR : (COMMUNITY_COLOURS[community] ?? OTHER_COMMUNITY_COLOUR);

/** A repeatable random source: the same network gets the same communities each time. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
}

/**
 * Betweenness is Brandes' algorithm, O(nodes × edges), on the page's own
 * thread: computed exactly, and only up to this size, where it takes about a
 * second; larger networks are refused (the API's provinceNetwork computes it
 * on the server for a whole province).
 */
export const BETWEENNESS_LIMIT = { nodes: 2000, edges: 20000 };

/** Normalised betweenness of the shown nodes, stored on each node; false when the network is over BETWEENNESS_LIMIT. */
export function computeBetweenness(graph: NetworkGraph, shown: (node: string) => boolean): boolean {
  const simple = simpleGraph(graph, shown);
  if (simple.order > BETWEENNESS_LIMIT.nodes || simple.size > BETWEENNESS_LIMIT.edges) return false;
  const scores = betweennessCentrality(simple, {
    normalized: true,
    getEdgeWeight: null,
  });
  graph.forEachNode((node) => graph.setNodeAttribute(node, 'betweenness', scores[node] ?? 0));
  return true;
}

export type SizeBy = 'degree' | 'betweenness' | 'none';

/** How many others a node is joined to, however many ways. */
export const degreeOf = (graph: NetworkGraph, node: string) => graph.neighbors(node).length;

/** Node sizes by the chosen measure: the bigger, the more important, which is also what decides whose labels show first. */
export function applySizes(graph: NetworkGraph, by: SizeBy) {
  let max = 0;
  if (by === 'betweenness') graph.forEachNode((_, a) => (max = Math.max(max, a.betweenness ?? 0)));
  graph.updateEachNodeAttributes(
    (node, attributes) => {
      const base = attributes.kind === 'province' ? 10 : 4;
      const size =
        by === 'degree'
          ? base + Math.sqrt(degreeOf(graph, node)) * 2.2
          : by === 'betweenness'
            ? base + (max > 0 ? Math.sqrt((attributes.betweenness ?? 0) / max) * 14 : 0)
            : base + 2;
      return { ...attributes, size: Math.min(size, 28) };
    },
    { attributes: ['size'] },
  );
}

/** Text compared without case, in one Unicode form: typed Thai and stored Thai may differ in form only. */
export const fold = (text: string) => text.normalize('NFC').toLocaleLowerCase();

const wordSegmenter = new Intl.Segmenter('th', { granularity: 'word' });

/** Where each word of a text starts (Thai has no spaces: the segmenter finds its words). */
function wordStarts(text: string): number[] {
  return [...wordSegmenter.segment(text)].filter((segment) => segment.isWordLike).map((segment) => segment.index);
}

/** The nodes whose label (either language) or id has a word starting with the query; best (label starts with it) first. */
export function searchNodes(graph: NetworkGraph, query: string, limit = 20): string[] {
  const wanted = fold(query.trim());
  if (!wanted) return [];
  const hits: { node: string; rank: number }[] = [];
  graph.forEachNode((node, { th, en }) => {
    let rank = Infinity;
    for (const text of [th, en, node]) {
      const folded = fold(text);
      if (folded.startsWith(wanted)) rank = Math.min(rank, 0);
      else if (wordStarts(folded).some((start) => folded.startsWith(wanted, start))) rank = Math.min(rank, 1);
    }
    if (rank < Infinity) hits.push({ node, rank });
  });
  return hits
    .sort((a, b) => a.rank - b.rank || degreeOf(graph, b.node) - degreeOf(graph, a.node))
    .slice(0, limit)
    .map((hit) => hit.node);
}

/**
 * A long label in lines of at most `width` pixels, broken only between words
 * (the segmenter's, so never inside a Thai grapheme cluster); a single word
 * longer than a line keeps its line.
 */
export function wrapLabel(label: string, width: number, measure: (text: string) => number): string[] {
  if (measure(label) <= width) return [label];
  const lines: string[] = [];
  let line = '';
  for (const { segment } of wordSegmenter.segment(label)) {
    if (line && measure(line + segment) > width && segment.trim()) {
      lines.push(line.trimEnd());
      line = segment.trimStart();
    } else line += segment;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

/** The facets an answer can be filtered by, each value with how many nodes (or edges) have it. */
export interface Facets {
  sector: Map<string, number>;
  role: Map<string, number>;
  link: Map<string, number>;
  province: Map<string, number>;
  theme: Map<string, number>;
}

export type FacetName = keyof Facets;

export function facets(graph: NetworkGraph): Facets {
  const result: Facets = {
    sector: new Map(),
    role: new Map(),
    link: new Map(),
    province: new Map(),
    theme: new Map(),
  };
  const count = (map: Map<string, number>, key: string | undefined) => key && map.set(key, (map.get(key) ?? 0) + 1);
  graph.forEachNode((_, a) => {
    if (a.kind === 'actor') count(result.sector, a.sector);
    if (a.kind === 'actor') count(result.province, a.province);
    for (const theme of a.themes ?? []) count(result.theme, theme);
  });
  graph.forEachEdge((_, a) => {
    if (a.kind === 'participation') count(result.role, a.relation);
    if (a.kind === 'link') count(result.link, a.relation);
  });
  return result;
}

/** What the analyst has hidden: per facet, the values unticked. */
export type Hidden = Record<FacetName, Set<string>>;

export const noneHidden = (): Hidden => ({
  sector: new Set(),
  role: new Set(),
  link: new Set(),
  province: new Set(),
  theme: new Set(),
});

export interface View {
  hidden: Hidden;
  sharedEdges: boolean;
  /** Only this node and its neighbours to `depth` hops. */
  ego: { node: string; depth: 1 | 2 } | null;
}

/** The nodes a view shows: the facet filters, then ego mode. */
export function shownNodes(graph: NetworkGraph, view: View): Set<string> {
  const shown = new Set<string>();
  graph.forEachNode((node, a) => {
    if (a.kind === 'actor' && a.sector && view.hidden.sector.has(a.sector)) return;
    if (a.kind === 'actor' && a.province && view.hidden.province.has(a.province)) return;
    // An initiative is hidden when all its themes are.
    if (a.themes?.length && a.themes.every((theme) => view.hidden.theme.has(theme))) return;
    shown.add(node);
  });
  if (view.ego && graph.hasNode(view.ego.node)) {
    const near = new Set([view.ego.node]);
    let ring = [view.ego.node];
    for (let hop = 0; hop < view.ego.depth; hop++) {
      const next: string[] = [];
      for (const node of ring) {
        graph.forEachEdge(node, (edge, _, source, target) => {
          const other = source === node ? target : source;
          if (!near.has(other) && shown.has(other) && edgeShown(graph, edge, view)) {
            near.add(other);
            next.push(other);
          }
        });
      }
      ring = next;
    }
    for (const node of shown) if (!near.has(node)) shown.delete(node);
  }
  return shown;
}

/** Whether the filters leave an edge of shown ends. */
export function edgeShown(graph: NetworkGraph, edge: string, view: View): boolean {
  const a = graph.getEdgeAttributes(edge);
  if (a.kind === 'shared' && !view.sharedEdges) return false;
  if (a.kind === 'participation' && view.hidden.role.has(a.relation)) return false;
  if (a.kind === 'link' && view.hidden.link.has(a.relation)) return false;
  return true;
}

/** The active filters in words, for an export's description. */
export function describeView(view: View): string {
  const parts = (Object.entries(view.hidden) as [FacetName, Set<string>][])
    .filter(([, values]) => values.size > 0)
    .map(([facet, values]) => `${facet} hidden: ${[...values].sort().join(', ')}`);
  if (!view.sharedEdges) parts.push('shared-initiative edges hidden');
  if (view.ego) parts.push(`focus on ${view.ego.node}, ${view.ego.depth} hop${view.ego.depth > 1 ? 's' : ''}`);
  return parts.length ? parts.join('; ') : 'none';
}
