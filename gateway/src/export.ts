import type { ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { MultiUndirectedGraph } from 'graphology';
import { write as writeGexf } from 'graphology-gexf';
import { sendJson, type Route } from '@hub/server';

/**
 * Network exports for analysts' own tools (Gephi, Kumu, Cytoscape):
 *
 *   GET /export/network.gexf?actor=gov_th80_centre&depth=2
 *   GET /export/network.graphml?province=TH-80
 *   GET /export/nodes.csv?...   GET /export/edges.csv?...
 *
 * The data comes from the graph itself, through the gateway, so names come
 * from each actor's owner and the same limits and errors apply as in the API.
 */

const ACTOR_FIELDS = `id name sector ... on PeopleOrganization { nameEn } ... on GovernmentCentre { nameEn } ... on PrivatePartner { nameEn }`;

/**
 * Edges in a neighbourhood's export, at most: its links, then a pair for each
 * initiative and two of its members (the actor-to-actor network analysts'
 * tools draw), as the API's deprecated pairwise shape bounded them.
 */
const MAX_EDGES = 5000;

const NEIGHBOURHOOD = /* GraphQL */ `
  query ExportNeighbourhood($actorId: ID!, $depth: Int, $limit: Int) {
    neighbourhood(actorId: $actorId, depth: $depth, limit: $limit) {
      truncated
      nodes { depth actor { ${ACTOR_FIELDS} } }
      links(first: ${MAX_EDGES}) { id type sourceId targetId }
      sharedInitiatives(first: ${MAX_EDGES}) { initiative { title } memberIds }
    }
  }
`;

const PROVINCE = /* GraphQL */ `
  query ExportProvince($provinceCode: ID!) {
    provinceNetwork(provinceCode: $provinceCode, top: 1) {
      nodes { degree betweenness actor { ${ACTOR_FIELDS} } }
      pairs { source { id } target { id } }
    }
  }
`;

interface ActorData {
  id: string;
  name: string;
  nameEn?: string | null;
  sector: string;
}

export type NetworkGraph = MultiUndirectedGraph<Record<string, string | number>, Record<string, string>>;

const FORMATS = {
  'network.gexf': { type: 'application/gexf+xml; charset=utf-8', write: (g: NetworkGraph) => writeGexf(g) },
  'network.graphml': { type: 'application/graphml+xml; charset=utf-8', write: writeGraphml },
  'nodes.csv': { type: 'text/csv; charset=utf-8', write: writeNodesCsv },
  'edges.csv': { type: 'text/csv; charset=utf-8', write: writeEdgesCsv },
} as const;

type Format = keyof typeof FORMATS;

class ExportError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** Runs an operation through the gateway and turns its answer into a graph. */
async function loadNetwork(apollo: ApolloServer, params: URLSearchParams): Promise<NetworkGraph> {
  const actor = params.get('actor');
  const province = params.get('province');
  if (!actor === !province) {
    throw new ExportError('Give either ?actor=<actor id> (with optional depth and limit) or ?province=<ISO 3166-2:TH code>.', 'BAD_USER_INPUT');
  }
  const number = (name: string) => {
    const value = params.get(name);
    if (value === null) return undefined;
    if (!/^\d+$/.test(value)) throw new ExportError(`"${name}" must be a whole number.`, 'BAD_USER_INPUT');
    return Number(value);
  };
  const response = actor
    ? await apollo.executeOperation({ query: NEIGHBOURHOOD, variables: { actorId: actor, depth: number('depth'), limit: number('limit') } })
    : await apollo.executeOperation({ query: PROVINCE, variables: { provinceCode: province } });
  if (response.body.kind !== 'single') throw new ExportError('Unexpected incremental response.', 'INTERNAL_SERVER_ERROR');
  const { data, errors } = response.body.singleResult;
  const error = errors?.find((e) => e.extensions?.code === 'BAD_USER_INPUT') ?? (data ? undefined : errors?.[0]);
  if (error) throw new ExportError(error.message, String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));

  const graph: NetworkGraph = new MultiUndirectedGraph();
  const addActor = (a: ActorData | null, extra: Record<string, number>) => {
    if (!a || graph.hasNode(a.id)) return;
    graph.addNode(a.id, { label: a.name, labelEn: a.nameEn ?? '', sector: a.sector, ...extra });
  };
  if (actor) {
    const network = (data as any).neighbourhood;
    for (const node of network.nodes) addActor(node.actor, { depth: node.depth });
    const join = (source: string, target: string, attributes: Record<string, string>) => {
      if (graph.size < MAX_EDGES && graph.hasNode(source) && graph.hasNode(target)) graph.addEdge(source, target, attributes);
    };
    for (const link of network.links) join(link.sourceId, link.targetId, { kind: 'LINK', type: link.type, label: link.type });
    for (const shared of network.sharedInitiatives) {
      const label = shared.initiative?.title ?? '';
      for (let i = 0; i < shared.memberIds.length; i++) {
        for (let j = i + 1; j < shared.memberIds.length; j++) {
          join(shared.memberIds[i], shared.memberIds[j], { kind: 'SHARED_INITIATIVE', type: 'SHARED_INITIATIVE', label });
        }
      }
    }
  } else {
    const network = (data as any).provinceNetwork;
    for (const node of network.nodes) addActor(node.actor, { degree: node.degree, betweenness: node.betweenness });
    for (const pair of network.pairs) {
      if (!pair.source || !pair.target || !graph.hasNode(pair.source.id) || !graph.hasNode(pair.target.id)) continue;
      graph.addEdge(pair.source.id, pair.target.id, { kind: 'JOINED', type: 'JOINED', label: '' });
    }
  }
  return graph;
}

function xml(value: unknown): string {
  return String(value).replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function writeGraphml(graph: NetworkGraph): string {
  const nodeKeys = [...new Set(graph.mapNodes((_, attributes) => Object.keys(attributes)).flat())];
  const edgeKeys = ['kind', 'type', 'label'];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    ...nodeKeys.map((k) => `  <key id="n_${xml(k)}" for="node" attr.name="${xml(k)}" attr.type="${k === 'betweenness' ? 'double' : k === 'depth' || k === 'degree' ? 'int' : 'string'}"/>`),
    ...edgeKeys.map((k) => `  <key id="e_${k}" for="edge" attr.name="${k}" attr.type="string"/>`),
    '  <graph edgedefault="undirected">',
  ];
  graph.forEachNode((id, attributes) => {
    lines.push(`    <node id="${xml(id)}">`);
    for (const [k, v] of Object.entries(attributes)) lines.push(`      <data key="n_${xml(k)}">${xml(v)}</data>`);
    lines.push('    </node>');
  });
  graph.forEachEdge((edge, attributes, source, target) => {
    lines.push(`    <edge id="${xml(edge)}" source="${xml(source)}" target="${xml(target)}">`);
    for (const k of edgeKeys) lines.push(`      <data key="e_${k}">${xml(attributes[k] ?? '')}</data>`);
    lines.push('    </edge>');
  });
  lines.push('  </graph>', '</graphml>', '');
  return lines.join('\n');
}

/** A CSV cell: quoted, and never read as a formula by a spreadsheet. */
function cell(value: unknown): string {
  const text = String(value ?? '');
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** Gephi's node table: Id and Label first. */
export function writeNodesCsv(graph: NetworkGraph): string {
  const extra = [...new Set(graph.mapNodes((_, a) => Object.keys(a)).flat())].filter((k) => k !== 'label');
  const rows = [['Id', 'Label', ...extra].map(cell).join(',')];
  graph.forEachNode((id, a) => rows.push([id, a.label, ...extra.map((k) => a[k])].map(cell).join(',')));
  return rows.join('\r\n') + '\r\n';
}

/** Gephi's edge table: Source, Target, Type (undirected), then what joins them. */
export function writeEdgesCsv(graph: NetworkGraph): string {
  const rows = [['Source', 'Target', 'Type', 'Kind', 'Relation', 'Label'].map(cell).join(',')];
  graph.forEachEdge((_, a, source, target) =>
    rows.push([source, target, 'Undirected', a.kind, a.type, a.label].map(cell).join(',')),
  );
  return rows.join('\r\n') + '\r\n';
}

function send(response: ServerResponse, format: Format, body: string) {
  response.writeHead(200, {
    'content-type': FORMATS[format].type,
    'content-disposition': `attachment; filename="${format}"`,
  });
  response.end(body);
}

/** The /export/... route of the gateway. */
export function exportRoute(apollo: ApolloServer): Route {
  return async (request, response, url) => {
    const match = /^\/export\/(network\.gexf|network\.graphml|nodes\.csv|edges\.csv)$/.exec(url.pathname);
    if (!match) return false;
    if (request.method !== 'GET') {
      sendJson(response, 405, { errors: [{ message: 'Exports are read with GET.', extensions: { code: 'METHOD_NOT_ALLOWED' } }] });
      return true;
    }
    const format = match[1] as Format;
    try {
      const graph = await loadNetwork(apollo, url.searchParams);
      send(response, format, FORMATS[format].write(graph));
    } catch (error) {
      if (!(error instanceof ExportError)) throw error;
      sendJson(response, error.code === 'BAD_USER_INPUT' ? 400 : 502, {
        errors: [{ message: error.message, extensions: { code: error.code } }],
      });
    }
    return true;
  };
}
