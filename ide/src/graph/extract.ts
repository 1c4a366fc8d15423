/**
 * Turns any GraphQL answer of the hub into a network, whatever the operation:
 * it walks the JSON and recognises actors, initiatives, links, participations,
 * a network's links and shared initiatives, path steps by their shape, not by the query that asked.
 */

export type Sector = 'PEOPLE' | 'GOVERNMENT' | 'PRIVATE';

/** What the answer said of a record besides its name: its scalar fields, shown in the side panel. */
export type Fields = Record<string, string | number | boolean>;

export interface NodeData {
  id: string;
  /** A province is a node where an answer is about one (province overview, province network): its actors hang off it. */
  kind: 'actor' | 'initiative' | 'province';
  sector?: Sector;
  /** The actor's province (ISO 3166-2:TH code), when the answer said it or the actor was listed under a province. */
  province?: string;
  /** The initiative's themes, when the answer asked for them. */
  themes?: string[];
  fields: Fields;
  /** Label in Thai (the owner's name), and in English when the answer had it. */
  th: string;
  en: string;
  /** False for an actor only met as an edge's end, by id: a later answer may name it. */
  named: boolean;
  enKnown: boolean;
}

export interface EdgeData {
  id: string;
  source: string;
  target: string;
  /** A link type (COORDINATION…), SHARED_INITIATIVE, JOINED, IN_PROVINCE, or a participation role (FUNDING…). */
  type: string;
  /** `province`: a record listed under a province the answer is about, joined to its node. */
  kind: 'link' | 'shared' | 'joined' | 'participation' | 'province';
  /** The initiative a SHARED_INITIATIVE edge stands for. */
  label?: string;
  lead?: boolean;
  /** A step of a shortest path. */
  path?: boolean;
}

export interface Network {
  nodes: Map<string, NodeData>;
  edges: Map<string, EdgeData>;
  /** The answer said `truncated: true` somewhere: a bound of the API cut it. */
  truncated: boolean;
  /** The centre (depth 0) of a neighbourhood answer and the deepest depth it reached: what "load more" asks for again. */
  centre?: { id: string; depth: number; nodes: number };
}

const SECTOR_BY_TYPE: Record<string, Sector> = {
  PeopleOrganization: 'PEOPLE',
  GovernmentCentre: 'GOVERNMENT',
  PrivatePartner: 'PRIVATE',
};
// An actor id's prefix tells its owner, as everywhere in the hub.
const SECTOR_BY_PREFIX: Record<string, Sector> = {
  peo_: 'PEOPLE',
  gov_: 'GOVERNMENT',
  prt_: 'PRIVATE',
};

type Json = Record<string, any>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function sectorOf(o: Json): Sector | undefined {
  if (typeof o.__typename === 'string' && SECTOR_BY_TYPE[o.__typename]) return SECTOR_BY_TYPE[o.__typename];
  if (typeof o.id === 'string') return SECTOR_BY_PREFIX[o.id.slice(0, 4)];
  return undefined;
}

const actorId = (o: unknown): string | undefined => (isObject(o) && typeof o.id === 'string' && sectorOf(o) ? o.id : undefined);
const actorIdOf = (id: unknown): id is string => typeof id === 'string' && SECTOR_BY_PREFIX[id.slice(0, 4)] !== undefined;

/** An initiative's key: its id, or its title when the operation did not ask for the id. */
function initiativeKey(o: Json): string | undefined {
  if (typeof o.id === 'string' && (o.id.startsWith('ini_') || o.__typename === 'Initiative')) return o.id;
  if (typeof o.title === 'string' && (o.__typename === 'Initiative' || o.__typename === undefined)) return `title:${o.title}`;
  return undefined;
}

export function emptyNetwork(): Network {
  return { nodes: new Map(), edges: new Map(), truncated: false };
}

const PROVINCE_CODE = /^TH-\d{2}$/;

/** An object's scalar fields (lists of scalars joined), for the side panel. */
function fieldsOf(o: Json): Fields {
  const fields: Fields = {};
  for (const [key, value] of Object.entries(o)) {
    if (key === '__typename') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
    else if (Array.isArray(value) && value.length && value.every((item) => typeof item === 'string' || typeof item === 'number'))
      fields[key] = value.join(', ');
  }
  return fields;
}

/**
 * Adds a node, or improves one already there (a name for an id-only node, an
 * English name). A `newer` answer (a change just made) renames a named node too.
 */
function addNode(network: Network, node: NodeData, newer = false) {
  const existing = network.nodes.get(node.id);
  if (!existing || (node.named && (newer || !existing.named)) || (node.enKnown && !existing.enKnown)) {
    // An English name stays until an answer gives another; a label that was only the Thai name or the id follows the new name.
    const en = node.enKnown || !existing?.enKnown ? node.en : existing.en;
    network.nodes.set(
      node.id,
      existing
        ? {
            ...existing,
            ...node,
            ...kept(existing, node),
            enKnown: node.enKnown || existing.enKnown,
            en,
          }
        : node,
    );
  } else {
    network.nodes.set(node.id, { ...existing, ...kept(existing, node) });
    return;
  }
}

/** What one answer says of a record adds to what another said: fields, province and themes are not lost to a later, narrower answer. */
function kept(existing: NodeData, node: NodeData): Partial<NodeData> {
  return {
    fields: { ...existing.fields, ...node.fields },
    province: node.province ?? existing.province,
    themes: node.themes ?? existing.themes,
  };
}

function addEndpoint(network: Network, id: string) {
  addNode(network, {
    id,
    kind: 'actor',
    sector: SECTOR_BY_PREFIX[id.slice(0, 4)],
    th: id,
    en: id,
    named: false,
    enKnown: false,
    fields: {},
  });
}

function addEdge(network: Network, edge: Omit<EdgeData, 'id'>) {
  // One edge per relation and pair, whichever way an answer lists its ends.
  const [a, b] = [edge.source, edge.target].sort();
  const id = `${edge.type}|${edge.label ?? ''}|${a}|${b}`;
  const existing = network.edges.get(id);
  network.edges.set(id, {
    ...existing,
    ...edge,
    id,
    path: edge.path || existing?.path,
  });
}

/** The network in a GraphQL answer (its `data`), merged into `into` when given. */
export function extractNetwork(data: unknown, into: Network = emptyNetwork()): Network {
  walk(data, undefined, {}, into);
  return into;
}

/**
 * Merges one event of a subscription (its `data`, e.g. a `changes` event and
 * the record it carries) into a drawn network, by the same reading as an
 * answer: new records become nodes, and a record drawn already takes the names
 * the event brings, which are newer than what was drawn. Returns the ids of the
 * nodes it added or relabelled.
 */
export function mergeEvent(data: unknown, network: Network): string[] {
  const label = (node: NodeData | undefined) => (node ? `${node.th}\u0000${node.en}` : undefined);
  const before = new Map([...network.nodes].map(([id, node]) => [id, label(node)]));
  walk(data, undefined, { newer: true }, network);
  return [...network.nodes.values()].filter((node) => before.get(node.id) !== label(node)).map((node) => node.id);
}

interface Context {
  actor?: string;
  initiative?: string;
  /** The province node the records listed here are joined to (a province's lists, a province network's ranking). */
  province?: string;
  /** A province network's scores of the actor met next (degree, betweenness), shown as its fields. */
  scores?: Fields;
  /** The data is a change just made: its names replace those drawn. */
  newer?: boolean;
}

function walk(value: unknown, key: string | undefined, context: Context, network: Network) {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, key, context, network);
    return;
  }
  if (!isObject(value)) return;
  const o = value;
  const inner: Context = { ...context };

  if (o.truncated === true) network.truncated = true;
  // A neighbourhood's centre is its node at depth 0; "load more" walks out from it again.
  if (o.depth === 0 && typeof o.actor?.id === 'string')
    network.centre = {
      id: o.actor.id,
      depth: network.centre?.depth ?? 1,
      nodes: network.centre?.nodes ?? 0,
    };
  if (typeof o.depth === 'number' && network.centre)
    network.centre = {
      ...network.centre,
      depth: Math.max(network.centre.depth, o.depth),
      nodes: network.centre.nodes + 1,
    };

  // A province the answer is about (its code and name), or a province network (its size): a node its records join.
  const provinceNetwork = typeof o.nodeCount === 'number' && typeof o.edgeCount === 'number';
  const isProvince = typeof o.code === 'string' && PROVINCE_CODE.test(o.code) && (o.__typename === 'Province' || 'nameTh' in o || 'region' in o);
  if (isProvince || provinceNetwork) {
    const code: string | undefined = isProvince ? o.code : o.province?.code;
    const id = `province:${code ?? 'network'}`;
    const th = (isProvince ? o.nameTh : o.province?.nameTh) ?? code ?? 'เครือข่ายจังหวัด';
    const en = (isProvince ? o.nameEn : o.province?.nameEn) ?? code ?? 'Province network';
    addNode(network, {
      id,
      kind: 'province',
      th,
      en,
      named: true,
      enKnown: true,
      fields: fieldsOf(o),
      ...(code ? { province: code } : {}),
    });
    // A network that lists its pairs draws them: its actors need no province node to hang together.
    const pairs = Array.isArray(o.pairs) && o.pairs.length > 0;
    inner.province = pairs ? undefined : id;
  }
  // A province network's score: its numbers belong to the actor beside them.
  if (isObject(o.actor) && (typeof o.betweenness === 'number' || typeof o.degree === 'number')) inner.scores = fieldsOf(o);

  const sector = sectorOf(o);
  const name = o.nameTh ?? o.name ?? o.nameEn;
  if (sector && typeof o.id === 'string' && typeof name === 'string') {
    // An answer that asked for nameEn settles it, even when the owner has none (null).
    const en = typeof o.nameEn === 'string' ? o.nameEn : name;
    const province: string | undefined =
      typeof o.provinceCode === 'string'
        ? o.provinceCode
        : typeof o.province?.code === 'string'
          ? o.province.code
          : context.province
            ? network.nodes.get(context.province)?.province
            : undefined;
    const fields = { ...fieldsOf(o), ...context.scores };
    addNode(
      network,
      {
        id: o.id,
        kind: 'actor',
        sector,
        th: name,
        en,
        named: true,
        enKnown: 'nameEn' in o,
        fields,
        ...(province ? { province } : {}),
      },
      context.newer,
    );
    inner.actor = o.id;
    inner.scores = undefined;
    if (context.province)
      addEdge(network, {
        source: o.id,
        target: context.province,
        type: 'IN_PROVINCE',
        kind: 'province',
      });
    // Records further down (a participant's actors) are joined to what they are listed under, not to the province.
    inner.province = undefined;
  }

  // Initiatives are nodes where they are an id'd record, or asked for as `initiative`
  // (a participation's, or Query.initiative) even without their id.
  const initiative = (typeof o.id === 'string' && o.id.startsWith('ini_')) || key === 'initiative' ? initiativeKey(o) : undefined;
  if (initiative && typeof o.title === 'string') {
    const en = typeof o.titleEn === 'string' ? o.titleEn : o.title;
    const themes = Array.isArray(o.themes) ? o.themes.filter((theme: unknown): theme is string => typeof theme === 'string') : undefined;
    const node: NodeData = {
      id: initiative,
      kind: 'initiative',
      th: o.title,
      en,
      named: true,
      enKnown: 'titleEn' in o,
      fields: fieldsOf(o),
      ...(themes ? { themes } : {}),
    };
    addNode(network, node, context.newer);
    inner.initiative = initiative;
    if (context.province)
      addEdge(network, {
        source: initiative,
        target: context.province,
        type: 'IN_PROVINCE',
        kind: 'province',
      });
    inner.province = undefined;
  }

  // A standing link, a network edge or a province pair: source and target actors.
  const source = actorId(o.source);
  const target = actorId(o.target);
  if (source && target) {
    const shared = o.kind === 'SHARED_INITIATIVE';
    // A province's pairs say only that two actors work together: JOINED.
    const type: string = shared ? 'SHARED_INITIATIVE' : (o.link?.type ?? o.type ?? (o.kind === 'LINK' ? 'LINK' : 'JOINED'));
    addEndpoint(network, source);
    addEndpoint(network, target);
    addEdge(network, {
      source,
      target,
      type,
      kind: shared ? 'shared' : type === 'JOINED' ? 'joined' : 'link',
      ...(shared && o.initiative?.title ? { label: o.initiative.title } : {}),
    });
  }

  // A neighbourhood's link, its ends named by id.
  const linkEnds = actorIdOf(o.sourceId) && actorIdOf(o.targetId) && typeof o.type === 'string';
  if (linkEnds) {
    addEndpoint(network, o.sourceId);
    addEndpoint(network, o.targetId);
    addEdge(network, {
      source: o.sourceId,
      target: o.targetId,
      type: o.type,
      kind: 'link',
    });
  }

  // A neighbourhood's shared initiative: drawn as before, an edge for each pair of its members.
  const members: string[] | undefined = Array.isArray(o.memberIds) ? o.memberIds.filter(actorIdOf) : undefined;
  if (members) {
    const title: unknown = o.initiative?.title;
    members.forEach((member) => addEndpoint(network, member));
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        addEdge(network, {
          source: members[i]!,
          target: members[j]!,
          type: 'SHARED_INITIATIVE',
          kind: 'shared',
          ...(typeof title === 'string' ? { label: title } : {}),
        });
      }
    }
  }

  // A step of a shortest path: from and to, joined by a link or a shared initiative.
  const from = actorId(o.from);
  const to = actorId(o.to);
  if (from && to) {
    addEndpoint(network, from);
    addEndpoint(network, to);
    const type = o.link?.type ?? (o.initiative ? 'SHARED_INITIATIVE' : 'JOINED');
    addEdge(network, {
      source: from,
      target: to,
      type,
      kind: o.link ? 'link' : o.initiative ? 'shared' : 'joined',
      ...(!o.link && o.initiative?.title ? { label: o.initiative.title } : {}),
      path: true,
    });
  }

  // A participation: an actor's role in an initiative, met from either side.
  if (typeof o.role === 'string') {
    const participant = actorId(o.actor) ?? context.actor;
    const joined = isObject(o.initiative) ? initiativeKey(o.initiative) : context.initiative;
    if (participant && joined && (isObject(o.actor) || isObject(o.initiative))) {
      if (isObject(o.actor)) addEndpoint(network, participant);
      addEdge(network, {
        source: participant,
        target: joined,
        type: o.role,
        kind: 'participation',
        lead: o.lead === true,
      });
    }
  }

  for (const [childKey, child] of Object.entries(o)) {
    // A change's values from before it are older than the drawing: they rename nothing.
    if (context.newer && childKey === 'before') continue;
    // A network edge's initiative is the edge's label, not a node of its own.
    if ((source && target) || (from && to) || members) {
      if (childKey === 'initiative' || childKey === 'link') continue;
    }
    walk(child, childKey, inner, network);
  }
}
