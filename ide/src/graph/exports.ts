import { writeGexf, type Attribute, type EdgeKind } from '@hub/domain/network-files';
import type { Lang } from '../i18n';
import type { EdgeData } from './extract';
import type { NetworkGraph } from './model';
import { EDGE_STYLES, FONT } from './style';

/**
 * The view as files that keep what the analyst made of it: only what is
 * shown (the filters and focus applied), placed, coloured and sized as drawn,
 * with the communities and centrality computed, and the filters said in the
 * file's description.
 */

/** What a drawn node has in the file besides its label (in the UI's language). */
const DRAWN_NODE_ATTRIBUTES: Attribute[] = [
  { name: 'labelTh', type: 'string' },
  { name: 'labelEn', type: 'string' },
  { name: 'kind', type: 'string' },
  { name: 'sector', type: 'string' },
  { name: 'province', type: 'string' },
  { name: 'themes', type: 'string' },
  { name: 'degree', type: 'integer' },
  { name: 'community', type: 'integer' },
  { name: 'betweenness', type: 'double' },
];

/** The view's edge kinds as files name them, the same as the gateway's exports. */
export const EDGE_KINDS: Record<EdgeData['kind'], EdgeKind> = {
  link: 'LINK',
  shared: 'SHARED_INITIATIVE',
  joined: 'JOINED',
  participation: 'PARTICIPATION',
  province: 'IN_PROVINCE',
};

export interface Shown {
  nodes: Set<string>;
  edges: (edge: string) => boolean;
  /** The active filters in words. */
  filters: string;
}

/** GEXF 1.2 (viz namespace http://www.gexf.net/1.2draft/viz) of the shown network, as Gephi and networkx read it. */
export function toGexf(graph: NetworkGraph, shown: Shown, lang: Lang): string {
  const nodes = graph.filterNodes((node) => shown.nodes.has(node));
  const edges = graph.filterEdges((edge, _, source, target) => shown.nodes.has(source) && shown.nodes.has(target) && shown.edges(edge));
  return writeGexf({
    description: `The network drawn in the anti-poverty federation hub's IDE: ${nodes.length} nodes and ${edges.length} edges, placed as on screen. Filters: ${shown.filters}.`,
    truncated: false,
    nodeAttributes: DRAWN_NODE_ATTRIBUTES,
    nodes: nodes.map((node) => {
      const a = graph.getNodeAttributes(node);
      return {
        id: node,
        label: a[lang],
        attributes: {
          labelTh: a.th,
          labelEn: a.en,
          kind: a.kind.toUpperCase(),
          sector: a.sector,
          province: a.province,
          themes: a.themes?.join(' '),
          degree: graph.neighbors(node).length,
          community: a.community,
          betweenness: a.betweenness,
        },
        colour: a.color,
        // The graph's y axis points up, as GEXF's does.
        x: a.x,
        y: a.y,
        size: a.size,
      };
    }),
    edges: edges.map((edge) => {
      const a = graph.getEdgeAttributes(edge);
      return {
        id: edge,
        source: graph.source(edge),
        target: graph.target(edge),
        kind: EDGE_KINDS[a.kind],
        type: a.relation,
        label: a[lang],
      };
    }),
  });
}

const escape = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * SVG of the shown network, drawn from the model: edges (dashed as the legend
 * says), then nodes, then labels of the larger nodes, fitted to `width`.
 */
export function toSvg(graph: NetworkGraph, shown: Shown, lang: Lang, width = 1600): string {
  const nodes = graph.filterNodes((node) => shown.nodes.has(node));
  const margin = 40;
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const node of nodes) {
    const { x, y } = graph.getNodeAttributes(node);
    [minX, maxX, minY, maxY] = [Math.min(minX, x), Math.max(maxX, x), Math.min(minY, y), Math.max(maxY, y)];
  }
  if (!nodes.length) [minX, minY, maxX, maxY] = [0, 0, 1, 1];
  const scale = (width - 2 * margin) / Math.max(maxX - minX, maxY - minY, 1e-9);
  const height = Math.round((maxY - minY) * scale + 2 * margin);
  // The graph's y points up, SVG's down.
  const at = (node: string) => {
    const { x, y } = graph.getNodeAttributes(node);
    return {
      x: +((x - minX) * scale + margin).toFixed(1),
      y: +((maxY - y) * scale + margin).toFixed(1),
    };
  };
  const dash = {
    solid: '',
    dashed: ' stroke-dasharray="6 4"',
    dotted: ' stroke-dasharray="2 3"',
  };
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escape(FONT)}">`,
    `  <title>${escape(`${nodes.length} nodes; filters: ${shown.filters}`)}</title>`,
    `  <rect width="${width}" height="${height}" fill="#ffffff"/>`,
    '  <g stroke-linecap="round" fill="none">',
  ];
  graph.forEachEdge((edge, a, source, target) => {
    if (!shown.nodes.has(source) || !shown.nodes.has(target) || !shown.edges(edge)) return;
    const [s, t] = [at(source), at(target)];
    const style = EDGE_STYLES[a.relation]?.style ?? 'solid';
    lines.push(
      `    <line x1="${s.x}" y1="${s.y}" x2="${t.x}" y2="${t.y}" stroke="${a.color}" stroke-width="${a.size}" stroke-opacity="0.7"${dash[a.kind === 'participation' ? 'dashed' : style]}/>`,
    );
  });
  lines.push('  </g>', '  <g stroke="#ffffff" stroke-width="1">');
  for (const node of nodes) {
    const { x, y } = at(node);
    const a = graph.getNodeAttributes(node);
    lines.push(`    <circle cx="${x}" cy="${y}" r="${a.size.toFixed(1)}" fill="${a.color}"><title>${escape(`${a[lang]} (${node})`)}</title></circle>`);
  }
  // Labels of the bigger nodes only, largest first, as the screen shows them.
  lines.push('  </g>', '  <g font-size="11" fill="#212121" stroke="#ffffff" stroke-width="3" paint-order="stroke">');
  const labelled = [...nodes].sort((a, b) => graph.getNodeAttribute(b, 'size') - graph.getNodeAttribute(a, 'size')).slice(0, 200);
  for (const node of labelled) {
    const { x, y } = at(node);
    const a = graph.getNodeAttributes(node);
    lines.push(`    <text x="${(x + a.size + 3).toFixed(1)}" y="${(y + 4).toFixed(1)}">${escape(a[lang])}</text>`);
  }
  lines.push('  </g>', '</svg>', '');
  return lines.join('\n');
}
