import type { Sector } from './codelists.js';

/**
 * Network files for analysts' own tools (Gephi, Kumu, Cytoscape, networkx):
 * GEXF 1.2, GraphML, and Gephi's node and edge tables as CSV. The gateway's
 * /export/... files and the IDE's Export GEXF button both write through this
 * module, so a file looks and reads the same whichever of them made it.
 *
 * It imports nothing at run time: the IDE bundles it for the browser
 * (`@hub/domain/network-files`), where Node's modules and the rest of this
 * package (type-graphql, MikroORM) have no place.
 */

/** The sector colours of the IDE's network view and its legend, and of every file's nodes. */
export const SECTOR_COLOURS = { PEOPLE: '#2e7d32', GOVERNMENT: '#1565c0', PRIVATE: '#ef6c00' } as const satisfies Record<Sector, string>;
/** Initiatives, drawn as nodes of their own in the IDE. */
export const INITIATIVE_COLOUR = '#6a1b9a';
/** An actor whose sector nobody said. */
export const UNKNOWN_COLOUR = '#757575';

/** A sector's colour; unknown and missing sectors are grey. */
export function sectorColour(sector: string | null | undefined): string {
  return sector && Object.hasOwn(SECTOR_COLOURS, sector) ? SECTOR_COLOURS[sector as Sector] : UNKNOWN_COLOUR;
}

/** A value's type, as GEXF names it; GraphML's names differ only for integers. */
export type AttributeType = 'string' | 'integer' | 'double' | 'boolean';

/** An attribute every node (or edge) of a file may have, declared once with its type so that readers need not guess it. */
export interface Attribute {
  name: string;
  type: AttributeType;
}

export type AttributeValue = string | number | boolean;

export interface NetworkNode {
  id: string;
  /** What tools show on the node (an owner's name): the file's label, not an attribute. */
  label: string;
  /** A value for each of the network's `nodeAttributes`; a missing or empty one is left out of the file. */
  attributes: Record<string, AttributeValue | null | undefined>;
  /** "#rrggbb". */
  colour: string;
  x: number;
  /** Upwards, as in GEXF: a screen's y, which points down, is flipped. */
  y: number;
  /** The drawn size, when the network was drawn. */
  size?: number;
}

/**
 * What an edge stands for: a standing link, an initiative both ends take part
 * in, a province's bare "works with" pair, an actor's part in an initiative
 * (an edge from an actor to an initiative's node), or a record listed under a
 * province (an edge to the province's node, as the IDE draws a province's answer).
 */
export type EdgeKind = 'LINK' | 'SHARED_INITIATIVE' | 'JOINED' | 'PARTICIPATION' | 'IN_PROVINCE';

export interface NetworkEdge {
  id: string;
  source: string;
  target: string;
  kind: EdgeKind;
  /** The link's type (COORDINATION, MEMBERSHIP, FUNDING, COUNTERPART), SHARED_INITIATIVE, JOINED, or the participation's role. */
  type: string;
  /** What tools show on the edge: the link's type or the initiative's title. */
  label: string;
  /** The link ("lnk_…") or initiative ("ini_…") the edge stands for, as the API names it, when it is known. */
  recordId?: string;
}

/** A network ready to write in any of the formats. */
export interface Network {
  /** What the file holds, in a sentence, and what was left out if anything was. */
  description: string;
  /** Whether part of the network asked for is not in the file (the description says which). */
  truncated: boolean;
  nodeAttributes: Attribute[];
  nodes: NetworkNode[];
  edges: NetworkEdge[];
}

/** What each edge has besides its label, in every format. */
export const EDGE_ATTRIBUTES: Attribute[] = [
  { name: 'kind', type: 'string' },
  { name: 'type', type: 'string' },
  { name: 'recordId', type: 'string' },
];

/** The file's own attributes (GraphML's graph data; GEXF, which has none, says them in its meta). */
const GRAPH_ATTRIBUTES: Attribute[] = [
  { name: 'description', type: 'string' },
  { name: 'truncated', type: 'boolean' },
];

/** Text for XML, escaped, without the control characters XML 1.0 cannot hold. */
function xml(value: unknown): string {
  return String(value)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const isEmpty = (value: unknown) => value === undefined || value === null || value === '';

/** A coordinate or size as XML can hold it: NaN and infinities, which no reader takes, become 0. */
const finite = (n: number) => (Number.isFinite(n) ? n : 0);

function rgb(colour: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16) || 0);
  return `r="${r}" g="${g}" b="${b}"`;
}

/** The edge's values by attribute name, as the writers look them up. */
const edgeValues = (edge: NetworkEdge): Record<string, unknown> => ({ kind: edge.kind, type: edge.type, recordId: edge.recordId });

/** GEXF 1.2: declared attribute types, colours, positions and sizes in its viz namespace, and the description and truncation in its meta. */
export function writeGexf(network: Network): string {
  const model = (kind: string, attributes: Attribute[]) => [
    `    <attributes class="${kind}" mode="static">`,
    ...attributes.map((a) => `      <attribute id="${xml(a.name)}" title="${xml(a.name)}" type="${a.type}"/>`),
    '    </attributes>',
  ];
  const values = (attributes: Attribute[], data: Record<string, unknown>) => {
    const present = attributes.filter((a) => !isEmpty(data[a.name]));
    if (present.length === 0) return [];
    return [
      '        <attvalues>',
      ...present.map((a) => `          <attvalue for="${xml(a.name)}" value="${xml(data[a.name])}"/>`),
      '        </attvalues>',
    ];
  };
  const label = (text: string) => (text ? ` label="${xml(text)}"` : '');
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" version="1.2">',
    '  <meta>',
    '    <creator>Anti-poverty federation hub</creator>',
    // GEXF has no graph attributes: its keywords carry the mark a program can test for.
    `    <keywords>${network.truncated ? 'truncated' : 'complete'}</keywords>`,
    `    <description>${xml(network.description)}</description>`,
    '  </meta>',
    '  <graph defaultedgetype="undirected" mode="static">',
    ...model('node', network.nodeAttributes),
    ...model('edge', EDGE_ATTRIBUTES),
    '    <nodes>',
  ];
  for (const node of network.nodes) {
    lines.push(
      `      <node id="${xml(node.id)}"${label(node.label)}>`,
      ...values(network.nodeAttributes, node.attributes),
      `        <viz:color ${rgb(node.colour)}/>`,
      `        <viz:position x="${finite(node.x)}" y="${finite(node.y)}" z="0.0"/>`,
      ...(node.size === undefined ? [] : [`        <viz:size value="${finite(node.size)}"/>`]),
      '      </node>',
    );
  }
  lines.push('    </nodes>', '    <edges>');
  for (const edge of network.edges) {
    lines.push(
      `      <edge id="${xml(edge.id)}" source="${xml(edge.source)}" target="${xml(edge.target)}"${label(edge.label)}>`,
      ...values(EDGE_ATTRIBUTES, edgeValues(edge)),
      '      </edge>',
    );
  }
  lines.push('    </edges>', '  </graph>', '</gexf>', '');
  return lines.join('\n');
}

/** GraphML: a key for every attribute, the graph's own (description, truncated) included. */
export function writeGraphml(network: Network): string {
  const graphmlType = (type: AttributeType) => (type === 'integer' ? 'int' : type);
  const keys = (kind: string, prefix: string, attributes: Attribute[]) =>
    attributes.map((a) => `  <key id="${prefix}_${xml(a.name)}" for="${kind}" attr.name="${xml(a.name)}" attr.type="${graphmlType(a.type)}"/>`);
  const data = (indent: string, prefix: string, attributes: Attribute[], values: Record<string, unknown>) =>
    attributes
      .filter((a) => !isEmpty(values[a.name]))
      .map((a) => `${indent}<data key="${prefix}_${xml(a.name)}">${xml(values[a.name])}</data>`);
  const withLabel: Attribute[] = [{ name: 'label', type: 'string' }];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ...keys('graph', 'g', GRAPH_ATTRIBUTES),
    ...keys('node', 'n', [...withLabel, ...network.nodeAttributes]),
    ...keys('edge', 'e', [...withLabel, ...EDGE_ATTRIBUTES]),
    '  <graph id="network" edgedefault="undirected">',
    ...data('    ', 'g', GRAPH_ATTRIBUTES, { description: network.description, truncated: network.truncated }),
  ];
  for (const node of network.nodes) {
    lines.push(
      `    <node id="${xml(node.id)}">`,
      ...data('      ', 'n', [...withLabel, ...network.nodeAttributes], { ...node.attributes, label: node.label }),
      '    </node>',
    );
  }
  for (const edge of network.edges) {
    lines.push(
      `    <edge id="${xml(edge.id)}" source="${xml(edge.source)}" target="${xml(edge.target)}">`,
      ...data('      ', 'e', [...withLabel, ...EDGE_ATTRIBUTES], { ...edgeValues(edge), label: edge.label }),
      '    </edge>',
    );
  }
  lines.push('  </graph>', '</graphml>', '');
  return lines.join('\n');
}

/** A CSV cell: quoted, and never read as a formula by a spreadsheet. */
function cell(value: unknown): string {
  const text = String(value ?? '');
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

const csv = (rows: unknown[][]) => rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';

/** Gephi's node table (Kumu's elements): Id and Label first. */
export function writeNodesCsv(network: Network): string {
  const names = network.nodeAttributes.map((a) => a.name);
  return csv([['Id', 'Label', ...names], ...network.nodes.map((node) => [node.id, node.label, ...names.map((name) => node.attributes[name])])]);
}

/** Gephi's edge table (Kumu's connections): Source, Target, Type (undirected), then what joins them. */
export function writeEdgesCsv(network: Network): string {
  return csv([
    ['Source', 'Target', 'Type', 'Kind', 'Relation', 'Label', 'Id', 'RecordId'],
    ...network.edges.map((e) => [e.source, e.target, 'Undirected', e.kind, e.type, e.label, e.id, e.recordId]),
  ]);
}
