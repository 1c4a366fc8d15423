import { MultiUndirectedGraph } from 'graphology';
import { term, type Lang } from '../i18n';
import type { EdgeData, Fields, Network, NodeData } from './extract';
import { edgeColour, nodeColour } from './style';

/**
 * The drawn network as a graphology model: what sigma draws, ForceAtlas2 moves
 * and the analyses read. extract.ts's Network stays the record of what the
 * answers said; this model adds where each node is, how it is drawn, and what
 * the analyses found (community, betweenness).
 */

export interface NodeAttributes {
  x: number;
  y: number;
  /** Drawn size, in pixels at the camera's first zoom: follows "size by". */
  size: number;
  /** Drawn colour: the sector's, or the community's when colouring by community. */
  color: string;
  /** In the UI's language. */
  label: string;
  th: string;
  en: string;
  kind: NodeData['kind'];
  sector?: string;
  province?: string;
  themes?: string[];
  named: boolean;
  fields: Fields;
  /** Louvain's community, once asked for. */
  community?: number;
  /** Normalised betweenness, once asked for. */
  betweenness?: number;
  /** Its neighbours were fetched. */
  expanded?: boolean;
  /** A followed subscription just added or renamed it. */
  liveChanged?: boolean;
}

export interface EdgeAttributes {
  kind: EdgeData['kind'];
  /** The link type, SHARED_INITIATIVE, JOINED, IN_PROVINCE or the participation's role. Not `type`: sigma reads that as its edge program. */
  relation: string;
  /** In the UI's language: the relation, and the initiative's title for a shared one. */
  label: string;
  th: string;
  en: string;
  color: string;
  size: number;
  lead?: boolean;
  path?: boolean;
}

export type NetworkGraph = MultiUndirectedGraph<NodeAttributes, EdgeAttributes>;

export function newGraph(): NetworkGraph {
  return new MultiUndirectedGraph<NodeAttributes, EdgeAttributes>();
}

/** What a sync added: the expansion stack keeps it to undo. */
export interface Added {
  nodes: string[];
  edges: string[];
}

function edgeLabels(edge: EdgeData): { th: string; en: string } {
  const say = (lang: Lang) => (edge.label ? `${term(lang, edge.type)}: ${edge.label}` : term(lang, edge.type));
  return { th: say('th'), en: say('en') };
}

/**
 * Brings the model up to the network: new nodes and edges added, the others
 * relabelled. A new node starts beside a drawn neighbour, else near `at`, so
 * that the layout moves it only a little; says what it added.
 */
export function syncGraph(graph: NetworkGraph, network: Network, lang: Lang, at?: { x: number; y: number }): Added {
  const added: Added = { nodes: [], edges: [] };
  const spread = Math.max(10, Math.sqrt(graph.order + network.nodes.size) * 4);
  const jitter = () => (Math.random() - 0.5) * spread * 0.2;
  for (const node of network.nodes.values()) {
    const drawn = {
      label: lang === 'en' ? node.en : node.th,
      th: node.th,
      en: node.en,
      kind: node.kind,
      sector: node.sector,
      province: node.province,
      themes: node.themes,
      named: node.named,
      fields: node.fields,
    };
    if (graph.hasNode(node.id)) graph.mergeNodeAttributes(node.id, drawn);
    else {
      const start = at ?? {
        x: (Math.random() - 0.5) * spread,
        y: (Math.random() - 0.5) * spread,
      };
      graph.addNode(node.id, {
        ...drawn,
        x: start.x + jitter(),
        y: start.y + jitter(),
        size: 5,
        color: nodeColour(node),
      });
      added.nodes.push(node.id);
    }
  }
  for (const edge of network.edges.values()) {
    // An edge whose end the answer never described (an initiative asked without its title) is left out.
    if (!graph.hasNode(edge.source) || !graph.hasNode(edge.target)) continue;
    const labels = edgeLabels(edge);
    const drawn = {
      kind: edge.kind,
      relation: edge.type,
      ...labels,
      label: labels[lang],
      color: edge.path ? '#f9a825' : edgeColour(edge.type),
      size: edge.path ? 4 : edge.lead ? 2.5 : 1,
      lead: edge.lead,
      path: edge.path,
    };
    if (graph.hasEdge(edge.id)) graph.mergeEdgeAttributes(edge.id, drawn);
    else {
      graph.addUndirectedEdgeWithKey(edge.id, edge.source, edge.target, drawn);
      added.edges.push(edge.id);
    }
  }
  // Nodes that joined beside a neighbour start next to it, not at `at`.
  const fresh = new Set(added.nodes);
  for (const id of added.nodes) {
    const placed = graph.neighbors(id).find((other) => !fresh.has(other));
    if (placed)
      graph.mergeNodeAttributes(id, {
        x: graph.getNodeAttribute(placed, 'x') + jitter(),
        y: graph.getNodeAttribute(placed, 'y') + jitter(),
      });
  }
  return added;
}

/** Takes back what an expansion added, from the network and the model alike. */
export function dropAdded(graph: NetworkGraph, network: Network, added: Added) {
  for (const id of added.edges) {
    network.edges.delete(id);
    if (graph.hasEdge(id)) graph.dropEdge(id);
  }
  const dropped = new Set(added.nodes);
  for (const [key, edge] of network.edges) if (dropped.has(edge.source) || dropped.has(edge.target)) network.edges.delete(key);
  for (const id of added.nodes) {
    network.nodes.delete(id);
    if (graph.hasNode(id)) graph.dropNode(id);
  }
}

/** Labels in the UI's language. */
export function relabel(graph: NetworkGraph, lang: Lang) {
  graph.updateEachNodeAttributes((_, attributes) => ({ ...attributes, label: attributes[lang] }), { attributes: ['label'] });
  graph.updateEachEdgeAttributes((_, attributes) => ({ ...attributes, label: attributes[lang] }), { attributes: ['label'] });
}
