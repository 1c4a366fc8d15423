import type { ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { actorTypeOf } from '@hub/domain/actors';
import {
  sectorColour,
  writeEdgesCsv,
  writeGexf,
  writeGraphml,
  writeNodesCsv,
  type Attribute,
  type Network,
  type NetworkEdge,
  type NetworkNode,
} from '@hub/domain/network-files';
import { ErrorCode, sendJson, type Route } from '@hub/server';

/**
 * Network exports for analysts' own tools (Gephi, Kumu, Cytoscape, networkx):
 *
 *   GET /export/network.gexf?actor=gov_th80_centre&depth=2
 *   GET /export/network.graphml?province=TH-80
 *   GET /export/nodes.csv?...   GET /export/edges.csv?...
 *
 * The data comes from the graph itself, through the gateway, so names come
 * from each actor's owner and the same limits and errors apply as in the API.
 * Every edge says what it stands for (a standing link and its type, or an
 * initiative both actors take part in and its title), and a file cut at a
 * bound says so, in the file and in TRUNCATED_HEADER. This route gathers the
 * network; @hub/domain/network-files writes it, as it writes the IDE's GEXF.
 */

/** "true" when the export left actors or edges out, "false" when it holds the whole network asked for. */
const TRUNCATED_HEADER = 'x-hub-truncated';
/** How many actors (nodes) and edges the file holds. */
const NODE_COUNT_HEADER = 'x-hub-node-count';
const EDGE_COUNT_HEADER = 'x-hub-edge-count';

/**
 * Edges in an export, at most: its links, then a pair for each initiative and
 * two of its members (the actor-to-actor network analysts' tools draw), as
 * the API's deprecated pairwise shape bounded them.
 */
const MAX_EDGES = 5000;

const ACTOR_FIELDS = `id name sector ... on PeopleOrganization { nameEn } ... on GovernmentCentre { nameEn } ... on PrivatePartner { nameEn }`;
const JOINS = `linkCount sharedInitiativeCount
  links(first: ${MAX_EDGES}) { id type sourceId targetId }
  sharedInitiatives(first: ${MAX_EDGES}) { initiativeId memberIds initiative { title } }`;

const NEIGHBOURHOOD = /* GraphQL */ `
  query ExportNeighbourhood($actorId: ID!, $depth: Int, $limit: Int) {
    neighbourhood(actorId: $actorId, depth: $depth, limit: $limit) {
      truncated
      nodes { depth actor { ${ACTOR_FIELDS} } }
      ${JOINS}
    }
  }
`;

const PROVINCE = /* GraphQL */ `
  query ExportProvince($provinceCode: ID!) {
    province(code: $provinceCode) { code nameEn }
    provinceNetwork(provinceCode: $provinceCode, top: 1) {
      nodes { degree betweenness actor { ${ACTOR_FIELDS} } }
      ${JOINS}
    }
  }
`;

// The answers' shapes; another owner's fields can be null when it cannot answer.
interface ActorData {
  id: string;
  name?: string | null;
  nameEn?: string | null;
  sector?: string | null;
}
interface Joins {
  linkCount: number;
  sharedInitiativeCount: number;
  links: { id: string; type: string; sourceId: string; targetId: string }[];
  sharedInitiatives: { initiativeId: string; memberIds: string[]; initiative: { title?: string | null } | null }[];
}
interface NeighbourhoodData {
  neighbourhood: (Joins & { truncated: boolean; nodes: { depth: number; actor: ActorData | null }[] }) | null;
}
interface ProvinceData {
  province: { code: string; nameEn?: string | null } | null;
  provinceNetwork: (Joins & { nodes: { degree: number; betweenness: number; actor: ActorData | null }[] }) | null;
}

/** What each node has, whatever was asked: `label` is its owner's name (Thai first), not an attribute. */
const ACTOR_ATTRIBUTES: Attribute[] = [
  { name: 'labelEn', type: 'string' },
  { name: 'sector', type: 'string' },
];

/** An answer other than the file: the status and the coded error the gateway's other routes give. */
class ExportError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const badRequest = (message: string) => new ExportError(400, message, ErrorCode.BAD_USER_INPUT);

/** The query string, checked: one of actor or province, each parameter at most once, none unknown. */
function readParams(params: URLSearchParams): { actor: string; depth?: number; limit?: number } | { province: string } {
  const known = new Set(['actor', 'depth', 'limit', 'province']);
  for (const name of new Set(params.keys())) {
    if (!known.has(name)) throw badRequest(`Unknown parameter "${name}"; an export takes actor (with depth and limit) or province.`);
    if (params.getAll(name).length > 1) throw badRequest(`"${name}" is given more than once.`);
  }
  if (params.has('actor') === params.has('province')) {
    throw badRequest('Give either ?actor=<actor id> (with optional depth and limit) or ?province=<ISO 3166-2:TH code>.');
  }
  const province = params.get('province');
  if (province !== null) {
    if (params.has('depth') || params.has('limit')) throw badRequest('"depth" and "limit" go with "actor"; a province is exported whole.');
    return { province };
  }
  const number = (name: string) => {
    const value = params.get(name);
    if (value === null) return undefined;
    if (!/^\d{1,6}$/.test(value)) throw badRequest(`"${name}" must be a whole number; got "${value.slice(0, 20)}".`);
    return Number(value);
  };
  return { actor: params.get('actor')!, depth: number('depth'), limit: number('limit') };
}

/** The HTTP status for an error of the graph's answer, by its code. */
function statusOf(error: GraphQLFormattedError): number {
  const code = String(error.extensions?.code ?? '');
  if (code === ErrorCode.BAD_USER_INPUT || code === ErrorCode.BAD_REQUEST) return 400;
  if (code.endsWith('TIMEOUT')) return 504;
  return 502;
}

/** Runs an operation through the gateway; any error refuses the export, since a file missing part of its network would not say so. */
async function run<T>(apollo: ApolloServer, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await apollo.executeOperation({ query, variables });
  if (response.body.kind !== 'single') throw new ExportError(502, 'Unexpected incremental response.', ErrorCode.INTERNAL_SERVER_ERROR);
  const { data, errors } = response.body.singleResult;
  const error = errors?.find((e) => statusOf(e) === 400) ?? errors?.[0];
  if (error) {
    const status = statusOf(error);
    const message = status === 400 ? error.message : `The export would be incomplete: ${error.message}`;
    throw new ExportError(status, message, String(error.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR));
  }
  return data as T;
}

/** An edge for each link, then for each pair of actors that share an initiative, in the API's order. */
function* edgesOf(joins: Joins): Generator<NetworkEdge> {
  for (const link of joins.links) {
    yield {
      id: link.id,
      source: link.sourceId,
      target: link.targetId,
      kind: 'LINK',
      type: link.type,
      label: link.type,
      recordId: link.id,
    };
  }
  for (const { initiativeId, memberIds, initiative } of joins.sharedInitiatives) {
    for (let i = 0; i < memberIds.length; i++) {
      for (let j = i + 1; j < memberIds.length; j++) {
        yield {
          id: `${initiativeId}:${memberIds[i]}:${memberIds[j]}`,
          source: memberIds[i]!,
          target: memberIds[j]!,
          kind: 'SHARED_INITIATIVE',
          type: 'SHARED_INITIATIVE',
          label: initiative?.title ?? '',
          recordId: initiativeId,
        };
      }
    }
  }
}

/**
 * Nodes for actors, and edges for what joins them, at most MAX_EDGES,
 * noting whatever is left out. An id that an edge names but no node
 * describes (its owner has no such record) becomes a node with its id only,
 * so no edge is lost.
 */
class NetworkBuilder {
  private readonly nodes = new Map<string, Omit<NetworkNode, 'x' | 'y'>>();
  private readonly edges: NetworkEdge[] = [];
  private readonly leftOut: string[] = [];

  addActor(actor: ActorData | null, attributes: Record<string, number>): void {
    if (!actor?.id || this.nodes.has(actor.id)) return;
    const sector = actor.sector ?? actorTypeOf(actor.id)?.sector ?? '';
    this.nodes.set(actor.id, {
      id: actor.id,
      label: actor.name ?? '',
      attributes: { labelEn: actor.nameEn ?? '', sector, ...attributes },
      colour: sectorColour(sector),
    });
  }

  /** Says in the file that part of the network is not in it, and why. */
  leaveOut(what: string): void {
    this.leftOut.push(what);
  }

  addJoins(joins: Joins): void {
    if (joins.linkCount > joins.links.length) this.leaveOut(`the file holds ${joins.links.length} of ${joins.linkCount} links`);
    if (joins.sharedInitiativeCount > joins.sharedInitiatives.length) {
      this.leaveOut(`the file holds ${joins.sharedInitiatives.length} of ${joins.sharedInitiativeCount} shared initiatives`);
    }
    for (const edge of edgesOf(joins)) {
      if (this.edges.length === MAX_EDGES) {
        this.leaveOut(`edges stop at ${MAX_EDGES.toLocaleString('en')}`);
        break;
      }
      this.addActor({ id: edge.source }, {});
      this.addActor({ id: edge.target }, {});
      this.edges.push(edge);
    }
  }

  /** The network, laid out in rings (each a list of node ids, innermost first; nodes in none go outermost). */
  build(description: string, nodeAttributes: Attribute[], rings: string[][]): Network {
    const placed = new Set(rings.flat());
    const positions = ringLayout([...rings, [...this.nodes.keys()].filter((id) => !placed.has(id))]);
    const truncated = this.leftOut.length > 0;
    return {
      description: `${description} ${truncated ? `Truncated: ${this.leftOut.join('; ')}.` : 'Complete.'}`,
      truncated,
      nodeAttributes: [...ACTOR_ATTRIBUTES, ...nodeAttributes],
      nodes: [...this.nodes.values()].map((node) => ({ ...node, ...positions.get(node.id)! })),
      edges: this.edges,
    };
  }
}

/** Distance between neighbours on a ring, and between one ring and the next. */
const NODE_SPACING = 40;
const RING_SPACING = 100;

/**
 * Concentric rings: a lone first ring at the centre, each other ring evenly
 * around it, wide enough for its nodes. A starting picture for tools that
 * draw positions as they are; Gephi and Kumu lay the network out again.
 */
function ringLayout(rings: string[][]): Map<string, { x: number; y: number }> {
  const positions = new Map<string, { x: number; y: number }>();
  let radius = -RING_SPACING;
  for (const [index, ring] of rings.filter((r) => r?.length > 0).entries()) {
    radius = index === 0 && ring.length === 1 ? 0 : Math.max(radius + RING_SPACING, (ring.length * NODE_SPACING) / (2 * Math.PI));
    ring.forEach((id, i) => {
      const angle = Math.PI / 2 - (2 * Math.PI * i) / ring.length;
      positions.set(id, { x: round(radius * Math.cos(angle)), y: round(radius * Math.sin(angle)) });
    });
  }
  return positions;
}

const round = (n: number) => Math.round(n * 100) / 100;

async function loadNeighbourhood(apollo: ApolloServer, actorId: string, depth?: number, limit?: number): Promise<Network> {
  const { neighbourhood: network } = await run<NeighbourhoodData>(apollo, NEIGHBOURHOOD, { actorId, depth, limit });
  const centre = network?.nodes[0]?.actor;
  if (!network || !centre) throw new ExportError(404, `No actor has the id "${actorId}".`, ErrorCode.NOT_FOUND);
  const builder = new NetworkBuilder();
  if (network.truncated) builder.leaveOut(`the neighbourhood has more actors than its limit, or more than ${MAX_EDGES.toLocaleString('en')} edges`);
  for (const node of network.nodes) builder.addActor(node.actor, { depth: node.depth });
  builder.addJoins(network);
  const rings: string[][] = [];
  for (const node of network.nodes) if (node.actor) (rings[node.depth] ??= []).push(node.actor.id);
  const asked = [depth === undefined ? '' : `depth ${depth}`, limit === undefined ? '' : `limit ${limit}`].filter(Boolean).join(', ');
  return builder.build(
    `Who works with ${actorId}${centre.name ? `, ${centre.name}` : ''}: the actors of its neighbourhood${asked ? ` (${asked})` : ''}, with the standing links and shared initiatives among them, from the anti-poverty federation hub.`,
    [{ name: 'depth', type: 'integer' }],
    rings,
  );
}

async function loadProvince(apollo: ApolloServer, code: string): Promise<Network> {
  const { province, provinceNetwork: network } = await run<ProvinceData>(apollo, PROVINCE, { provinceCode: code });
  if (!province || !network) throw new ExportError(404, `No province has the code "${code}".`, ErrorCode.NOT_FOUND);
  const builder = new NetworkBuilder();
  for (const node of network.nodes) builder.addActor(node.actor, { degree: node.degree, betweenness: node.betweenness });
  builder.addJoins(network);
  return builder.build(
    `Who works with whom in ${code}${province.nameEn ? `, ${province.nameEn}` : ''}: the actors taking part in initiatives there, with the standing links and shared initiatives among them, from the anti-poverty federation hub.`,
    [
      { name: 'degree', type: 'integer' },
      { name: 'betweenness', type: 'double' },
    ],
    // One ring, most central first.
    [network.nodes.flatMap((node) => (node.actor ? [node.actor.id] : []))],
  );
}

const FORMATS = {
  'network.gexf': { type: 'application/gexf+xml; charset=utf-8', write: writeGexf },
  'network.graphml': { type: 'application/graphml+xml; charset=utf-8', write: writeGraphml },
  'nodes.csv': { type: 'text/csv; charset=utf-8', write: writeNodesCsv },
  'edges.csv': { type: 'text/csv; charset=utf-8', write: writeEdgesCsv },
} as const;

type Format = keyof typeof FORMATS;

function send(response: ServerResponse, format: Format, network: Network) {
  response.writeHead(200, {
    'content-type': FORMATS[format].type,
    'content-disposition': `attachment; filename="${format}"`,
    [TRUNCATED_HEADER]: String(network.truncated),
    [NODE_COUNT_HEADER]: String(network.nodes.length),
    [EDGE_COUNT_HEADER]: String(network.edges.length),
  });
  response.end(FORMATS[format].write(network));
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
      const params = readParams(url.searchParams);
      const network =
        'province' in params ? await loadProvince(apollo, params.province) : await loadNeighbourhood(apollo, params.actor, params.depth, params.limit);
      send(response, format, network);
    } catch (error) {
      if (!(error instanceof ExportError)) throw error;
      sendJson(response, error.status, { errors: [{ message: error.message, extensions: { code: error.code } }] });
    }
    return true;
  };
}
