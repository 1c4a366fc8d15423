import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { badUserInput } from '@hub/server';
import { Cost, ListSize } from '@hub/toolkit';
import { ACTOR_ID_PREFIXES, checkProvinceCode, isActorId } from '@hub/domain';
import type { Context } from '../context.js';
import { Initiative } from '../entities/initiative.js';
import { Link, LinkType } from '../entities/link.js';
import { actorReference } from '../external.js';
import { centralities } from '../graph/centrality.js';
import {
  COLLABORATORS,
  collaborators,
  NEIGHBOURHOOD,
  neighbourhood,
  neighbourhoodPairs,
  pairwiseEdgeCount,
  PROVINCE_NETWORK,
  provinceGraph,
  SHORTEST_PATH,
  shortestPath,
  type HopKinds,
  type NeighbourhoodLink,
} from '../graph/traversal.js';
import {
  CentralityScore,
  Collaborator,
  Network,
  NetworkEdge,
  NetworkEdgeKind,
  NetworkLink,
  Path,
  ProvinceNetwork,
  SharedInitiative,
} from '../types/network.js';

interface Range {
  default: number;
  min: number;
  max: number;
}

/** A whole-number argument within its range, or BAD_USER_INPUT naming the range; null means the default. */
function inRange(argument: string, value: number | null | undefined, range: Range): number {
  const n = value ?? range.default;
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    throw badUserInput(`"${argument}" must be a whole number from ${range.min} to ${range.max}; got ${n}.`, {
      argument,
      min: range.min,
      max: range.max,
    });
  }
  return n;
}

function checkActorId(id: string, argument: string): string {
  if (!isActorId(id)) {
    throw badUserInput(`"${argument}" is not an actor id: "${id}"; actor ids start with ${ACTOR_ID_PREFIXES}.`, { argument });
  }
  return id;
}

function hopKinds(linkTypes: LinkType[] | null | undefined, viaInitiatives: boolean | null | undefined): HopKinds {
  return { linkTypes: linkTypes ?? null, viaInitiatives: viaInitiatives ?? true };
}

const LINK_TYPES_DESCRIPTION = 'Only links of these types count as hops; all types when left out, none when [].';
const VIA_INITIATIVES_DESCRIPTION = 'Whether taking part in the same initiative counts as a hop.';

/** Graph queries over who works with whom: links and shared initiatives between actors. */
@Resolver()
export class NetworkResolver {
  // Walking up to NEIGHBOURHOOD.depth.max hops out through links and shared initiatives, then pairing the actors found into edges.
  @Cost(100)
  @ListSize(NEIGHBOURHOOD.limit.default, { slicingArguments: ['limit'], sizedFields: ['nodes'] })
  @Query(() => Network, {
    nullable: true,
    description: `Everyone within \`depth\` hops of an actor, and the links and shared initiatives among them (of the kinds that count as hops). A hop is a standing link in either direction (of \`linkTypes\` only, when given) or, with \`viaInitiatives\`, an initiative both take part in. Depth ${NEIGHBOURHOOD.depth.min} to ${NEIGHBOURHOOD.depth.max}; at most \`limit\` actors (up to ${NEIGHBOURHOOD.limit.max}), nearest first, then by id, and at most ${NEIGHBOURHOOD.maxEdges.toLocaleString('en')} edges; \`truncated\` tells when either bound cut the answer. An id that no record names has no neighbours.`,
  })
  async neighbourhood(
    @Arg('actorId', () => ID, { description: 'The actor at the centre.' }) actorId: string,
    @Arg('depth', () => Int, {
      nullable: true,
      defaultValue: NEIGHBOURHOOD.depth.default,
      description: `How many hops out, ${NEIGHBOURHOOD.depth.min} to ${NEIGHBOURHOOD.depth.max}.`,
    })
    depth: number | null,
    @Arg('linkTypes', () => [LinkType], { nullable: true, description: LINK_TYPES_DESCRIPTION }) linkTypes: LinkType[] | null,
    @Arg('viaInitiatives', () => Boolean, { nullable: true, defaultValue: true, description: VIA_INITIATIVES_DESCRIPTION })
    viaInitiatives: boolean | null,
    @Arg('limit', () => Int, {
      nullable: true,
      defaultValue: NEIGHBOURHOOD.limit.default,
      description: `Most actors to return, the centre included: ${NEIGHBOURHOOD.limit.min} to ${NEIGHBOURHOOD.limit.max}.`,
    })
    limit: number | null,
    @Ctx() ctx: Context,
  ): Promise<Network> {
    checkActorId(actorId, 'actorId');
    const walk = await neighbourhood(ctx.em, actorId, {
      depth: inRange('depth', depth, NEIGHBOURHOOD.depth),
      limit: inRange('limit', limit, NEIGHBOURHOOD.limit),
      hops: hopKinds(linkTypes, viaInitiatives),
    });
    return {
      nodes: walk.nodes.map((node) => ({ actor: actorReference(node.actorId), depth: node.depth })),
      linkCount: walk.linkCount,
      sharedInitiativeCount: walk.sharedInitiatives.size,
      truncated: walk.nodesTruncated || pairwiseEdgeCount(walk) > NEIGHBOURHOOD.maxEdges,
      walk,
    };
  }

  // A two-sided breadth-first walk that may visit up to SHORTEST_PATH.maxVisited actors before it gives up:
  // priced so that ten of them in one operation are over the default budget.
  @Cost(5000)
  @Query(() => Path, {
    nullable: true,
    description: `A shortest chain of actors who work together, from one actor to another, with what joins each to the next (a standing link in either direction or, with \`viaInitiatives\`, a shared initiative). At most \`maxHops\` steps (${SHORTEST_PATH.maxHops.min} to ${SHORTEST_PATH.maxHops.max}); null when no chain that short exists. Of several shortest chains, one is returned. The same actor at both ends gives a path of that actor and no steps.`,
  })
  async shortestPath(
    @Arg('fromId', () => ID, { description: 'Where the path starts.' }) fromId: string,
    @Arg('toId', () => ID, { description: 'Where the path ends.' }) toId: string,
    @Arg('maxHops', () => Int, {
      nullable: true,
      defaultValue: SHORTEST_PATH.maxHops.default,
      description: `The longest path to look for, ${SHORTEST_PATH.maxHops.min} to ${SHORTEST_PATH.maxHops.max} steps.`,
    })
    maxHops: number | null,
    @Arg('linkTypes', () => [LinkType], { nullable: true, description: LINK_TYPES_DESCRIPTION }) linkTypes: LinkType[] | null,
    @Arg('viaInitiatives', () => Boolean, { nullable: true, defaultValue: true, description: VIA_INITIATIVES_DESCRIPTION })
    viaInitiatives: boolean | null,
    @Ctx() ctx: Context,
  ): Promise<Path | null> {
    checkActorId(fromId, 'fromId');
    checkActorId(toId, 'toId');
    const hops = await shortestPath(ctx.em, fromId, toId, {
      maxHops: inRange('maxHops', maxHops, SHORTEST_PATH.maxHops),
      hops: hopKinds(linkTypes, viaInitiatives),
    });
    if (!hops) return null;
    // Each step's link or initiative through the request's loaders: one statement for each kind.
    const steps = await Promise.all(
      hops.map(async (hop) => ({
        from: actorReference(hop.fromId),
        to: actorReference(hop.toId),
        link: hop.linkId ? await ctx.loaders.link.load(hop.linkId) : null,
        initiative: hop.initiativeId ? await ctx.loaders.initiative.load(hop.initiativeId) : null,
      })),
    );
    return { actors: [fromId, ...hops.map((hop) => hop.toId)].map(actorReference), steps, hops: hops.length };
  }

  // Counting the initiatives shared with every actor met through the actor's initiatives, to rank them;
  // a list's weight is per item (routers multiply it by the list's size), so this is the aggregate spread over the page.
  @Cost(5)
  @ListSize(COLLABORATORS.first.default, { slicingArguments: ['first'] })
  // Nullable, as every root field: a non-null one that its owner cannot answer nulls the whole answer, other owners' fields too.
  @Query(() => [Collaborator], {
    nullable: true,
    description: `The actors that share the most initiatives with an actor, most first, then by id; \`first\` ${COLLABORATORS.first.min} to ${COLLABORATORS.first.max}.`,
  })
  async collaborators(
    @Arg('actorId', () => ID) actorId: string,
    @Arg('first', () => Int, {
      nullable: true,
      defaultValue: COLLABORATORS.first.default,
      description: `How many collaborators, ${COLLABORATORS.first.min} to ${COLLABORATORS.first.max}.`,
    })
    first: number | null,
    @Ctx() { em }: Context,
  ): Promise<Collaborator[]> {
    checkActorId(actorId, 'actorId');
    const rows = await collaborators(em, actorId, inRange('first', first, COLLABORATORS.first));
    return rows.map((row) => ({ actor: actorReference(row.actorId), sharedInitiatives: row.sharedInitiatives }));
  }

  // Exact betweenness centrality over the whole network of a province (up to PROVINCE_NETWORK.maxNodes actors
  // and PROVINCE_NETWORK.maxEdges edges), never a sample: ten in one operation are over the default budget.
  @Cost(5000)
  @ListSize(PROVINCE_NETWORK.top.default, { slicingArguments: ['top'], sizedFields: ['top'] })
  @Query(() => ProvinceNetwork, {
    nullable: true,
    description: `The who-works-with-whom network of a province: the actors taking part in initiatives that work there, joined by the standing links and shared initiatives (any initiative) among them, one edge per pair. Gives its size and the \`top\` actors (${PROVINCE_NETWORK.top.min} to ${PROVINCE_NETWORK.top.max}) by betweenness centrality, computed exactly on the whole network, never on a sample: a network of more than ${PROVINCE_NETWORK.maxNodes.toLocaleString('en')} actors or ${PROVINCE_NETWORK.maxEdges.toLocaleString('en')} edges is refused with BAD_USER_INPUT.`,
  })
  async provinceNetwork(
    @Arg('provinceCode', () => ID, { description: 'ISO 3166-2:TH code, e.g. "TH-80".' }) provinceCode: string,
    @Arg('top', () => Int, {
      nullable: true,
      defaultValue: PROVINCE_NETWORK.top.default,
      description: `How many actors to rank, ${PROVINCE_NETWORK.top.min} to ${PROVINCE_NETWORK.top.max}.`,
    })
    top: number | null,
    @Ctx() { em }: Context,
  ): Promise<ProvinceNetwork> {
    const code = checkProvinceCode(provinceCode);
    const count = inRange('top', top, PROVINCE_NETWORK.top);
    const graph = await provinceGraph(em, code);
    const scores = centralities(graph.nodes, graph.pairs).map(
      (score): CentralityScore => ({
        actor: actorReference(score.actorId),
        degree: score.degree,
        betweenness: score.betweenness,
      }),
    );
    return {
      province: { code },
      nodeCount: graph.nodes.length,
      edgeCount: graph.pairs.length,
      top: scores.slice(0, count),
      nodes: scores,
      pairs: graph.pairs.map(([source, target]) => ({ source: actorReference(source), target: actorReference(target) })),
      linkCount: graph.links.length,
      sharedInitiativeCount: graph.sharedInitiatives.size,
      graph,
    };
  }
}

/** A page size within NEIGHBOURHOOD.first, or BAD_USER_INPUT. */
const networkPage = (first: number | null) => inRange('first', first, NEIGHBOURHOOD.first);
const FIRST_DESCRIPTION = `How many, ${NEIGHBOURHOOD.first.min} to ${NEIGHBOURHOOD.first.max.toLocaleString('en')}.`;

/** The first links of a network (a neighbourhood's or a province's), by id. */
function linksPage(links: readonly NeighbourhoodLink[], first: number | null): NetworkLink[] {
  return links.slice(0, networkPage(first));
}

/** The first initiatives a network's actors share, by id, each once with its members. */
function sharedInitiativesPage(shared: ReadonlyMap<string, string[]>, first: number | null): SharedInitiative[] {
  const size = networkPage(first);
  const page: SharedInitiative[] = [];
  for (const [initiativeId, memberIds] of shared) {
    if (page.length === size) break;
    page.push({ initiativeId, memberIds });
  }
  return page;
}

/** What joins a network's actors, made from its walk only when asked. */
@Resolver(() => Network)
export class NetworkRecordsResolver {
  @ListSize(NEIGHBOURHOOD.first.default, { slicingArguments: ['first'] })
  @FieldResolver(() => [NetworkLink], {
    description: 'The standing links among the nodes (of the types that count as hops), by id; `linkCount` says how many there are in all.',
  })
  links(
    @Root() network: Network,
    @Arg('first', () => Int, { nullable: true, defaultValue: NEIGHBOURHOOD.first.default, description: FIRST_DESCRIPTION }) first: number | null,
  ): NetworkLink[] {
    return linksPage(network.walk.links, first);
  }

  @ListSize(NEIGHBOURHOOD.first.default, { slicingArguments: ['first'] })
  @FieldResolver(() => [SharedInitiative], {
    description:
      'The initiatives two or more of the nodes take part in (when initiatives count as hops), by id, each once with its members among the nodes; `sharedInitiativeCount` says how many there are in all.',
  })
  sharedInitiatives(
    @Root() network: Network,
    @Arg('first', () => Int, { nullable: true, defaultValue: NEIGHBOURHOOD.first.default, description: FIRST_DESCRIPTION }) first: number | null,
  ): SharedInitiative[] {
    return sharedInitiativesPage(network.walk.sharedInitiatives, first);
  }

  @ListSize(NEIGHBOURHOOD.maxEdges)
  @FieldResolver(() => [NetworkEdge], {
    description: `The links (by id), then every pair of nodes that share an initiative (by initiative, source, target): only the kinds that count as hops, at most ${NEIGHBOURHOOD.maxEdges.toLocaleString('en')}.`,
    deprecationReason:
      'Use `links` and `sharedInitiatives`: they name actors by id and list each initiative once, where `edges` repeats an initiative for every pair of its members.',
  })
  edges(@Root() network: Network): NetworkEdge[] {
    return neighbourhoodPairs(network.walk).edges.map((edge) => ({
      kind: edge.linkId ? NetworkEdgeKind.LINK : NetworkEdgeKind.SHARED_INITIATIVE,
      source: actorReference(edge.sourceId),
      target: actorReference(edge.targetId),
      linkId: edge.linkId,
      initiativeId: edge.initiativeId,
    }));
  }
}

/** What joins a province's actors, by kind, for exports and drawings that tell a link from a shared initiative. */
@Resolver(() => ProvinceNetwork)
export class ProvinceNetworkRecordsResolver {
  @ListSize(NEIGHBOURHOOD.first.default, { slicingArguments: ['first'] })
  @FieldResolver(() => [NetworkLink], {
    description: 'The standing links among the actors, by id; `linkCount` says how many there are in all.',
  })
  links(
    @Root() network: ProvinceNetwork,
    @Arg('first', () => Int, { nullable: true, defaultValue: NEIGHBOURHOOD.first.default, description: FIRST_DESCRIPTION }) first: number | null,
  ): NetworkLink[] {
    return linksPage(network.graph.links, first);
  }

  @ListSize(NEIGHBOURHOOD.first.default, { slicingArguments: ['first'] })
  @FieldResolver(() => [SharedInitiative], {
    description:
      'The initiatives two or more of the actors take part in, by id, each once with its members among the actors; `sharedInitiativeCount` says how many there are in all.',
  })
  sharedInitiatives(
    @Root() network: ProvinceNetwork,
    @Arg('first', () => Int, { nullable: true, defaultValue: NEIGHBOURHOOD.first.default, description: FIRST_DESCRIPTION }) first: number | null,
  ): SharedInitiative[] {
    return sharedInitiativesPage(network.graph.sharedInitiatives, first);
  }
}

@Resolver(() => NetworkEdge)
export class NetworkEdgeResolver {
  @FieldResolver(() => Link, { nullable: true, description: 'The link, for LINK edges.' })
  link(@Root() edge: NetworkEdge, @Ctx() { loaders }: Context): Promise<Link | null> | null {
    return edge.linkId ? loaders.link.load(edge.linkId) : null;
  }

  @FieldResolver(() => Initiative, { nullable: true, description: 'The shared initiative, for SHARED_INITIATIVE edges.' })
  initiative(@Root() edge: NetworkEdge, @Ctx() { loaders }: Context): Promise<Initiative | null> | null {
    return edge.initiativeId ? loaders.initiative.load(edge.initiativeId) : null;
  }
}

@Resolver(() => SharedInitiative)
export class SharedInitiativeResolver {
  @FieldResolver(() => Initiative, { nullable: true })
  initiative(@Root() shared: SharedInitiative, @Ctx() { loaders }: Context): Promise<Initiative | null> {
    return loaders.initiative.load(shared.initiativeId);
  }
}
