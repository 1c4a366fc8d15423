import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Cost, ListSize } from '@hub/toolkit';
import { Initiative } from '../entities/initiative.js';
import { Link, LinkType } from '../entities/link.js';
import { NEIGHBOURHOOD, PROVINCE_NETWORK, SHORTEST_PATH, type NeighbourhoodResult, type ProvinceGraph } from '../graph/traversal.js';
import { Actor, Province, type ActorReference } from '../external.js';

export enum NetworkEdgeKind {
  LINK = 'LINK',
  SHARED_INITIATIVE = 'SHARED_INITIATIVE',
}
registerEnumType(NetworkEdgeKind, {
  name: 'NetworkEdgeKind',
  description:
    'What joins two actors in the who-works-with-whom graph: LINK (a standing link, in `link`) or SHARED_INITIATIVE (both take part in the initiative in `initiative`).',
});

@ObjectType({ description: 'An actor in a network, with how many hops it is from the actor the network was asked about.' })
export class NetworkNode {
  @Field(() => Actor, { nullable: true, description: 'The actor; its owner subgraph fills in the fields.' })
  actor!: ActorReference | null;

  @Field(() => Int, { description: 'Fewest hops from the centre; 0 for the centre itself.' })
  depth!: number;
}

@ObjectType({
  description:
    'One thing that joins two actors of a network: a standing link (source and target as the link has them) or an initiative both take part in (source and target in id order). Two actors can be joined by several edges.',
})
export class NetworkEdge {
  @Field(() => NetworkEdgeKind)
  kind!: NetworkEdgeKind;

  @Field(() => Actor, { nullable: true })
  source!: ActorReference | null;

  @Field(() => Actor, { nullable: true })
  target!: ActorReference | null;

  // `link` and `initiative` are loaded only when asked (NetworkRecordsResolver).
  linkId!: string | null;
  initiativeId!: string | null;
}

@ObjectType({ description: 'A standing link between two actors of a network, its ends named by id (each is one of the nodes).' })
export class NetworkLink {
  @Field(() => ID, { description: 'Link id; starts with "lnk_".' })
  id!: string;

  @Field(() => LinkType)
  type!: LinkType;

  @Field(() => ID, { description: 'The actor the link runs from.' })
  sourceId!: string;

  @Field(() => ID, { description: 'The actor the link runs to.' })
  targetId!: string;
}

@ObjectType({ description: 'An initiative that two or more actors of a network take part in, and which of them: one entry per initiative, however many members.' })
export class SharedInitiative {
  @Field(() => ID)
  initiativeId!: string;

  @ListSize(NEIGHBOURHOOD.limit.max)
  @Field(() => [ID], { description: 'The actors of the network that take part in it (in any roles), in id order; at least two.' })
  memberIds!: string[];
}

@ObjectType({
  description:
    'Actors near one actor, and what joins them to each other: `links` and `sharedInitiatives` name the actors by id, so each actor is described once, in `nodes`.',
})
export class Network {
  // Each actor the walk reaches costs more than its row: its links and initiatives are
  // scanned for the next hop, and the links and initiatives among all reached actors are
  // gathered. A list's weight is per item, so a walk is priced by its `limit`.
  @Cost(NEIGHBOURHOOD.costPerActor)
  @Field(() => [NetworkNode], { description: 'Nearest first, then by id; the centre comes first, at depth 0.' })
  nodes!: NetworkNode[];

  @Field(() => Int, { description: `How many standing links join the nodes (of the types that count as hops); \`links\` lists at most ${NEIGHBOURHOOD.first.max.toLocaleString('en')} of them.` })
  linkCount!: number;

  @Field(() => Int, { description: 'How many initiatives two or more of the nodes take part in (0 when initiatives do not count as hops).' })
  sharedInitiativeCount!: number;

  @Field({
    description: `True when \`limit\` left actors out, or when the deprecated \`edges\` were cut at ${NEIGHBOURHOOD.maxEdges.toLocaleString('en')}.`,
  })
  truncated!: boolean;

  // What `links`, `sharedInitiatives` and `edges` are made from (NetworkRecordsResolver).
  walk!: NeighbourhoodResult;
}

@ObjectType({ description: 'One hop of a path: from one actor to the next, and what joins them (a link or a shared initiative).' })
export class PathStep {
  @Field(() => Actor, { nullable: true })
  from!: ActorReference | null;

  @Field(() => Actor, { nullable: true })
  to!: ActorReference | null;

  @Field(() => Link, { nullable: true, description: 'The link that joins them (its own direction may run either way); null when it is an initiative.' })
  link!: Link | null;

  @Field(() => Initiative, { nullable: true, description: 'The initiative both take part in; null when it is a link.' })
  initiative!: Initiative | null;
}

@ObjectType({ description: 'A shortest chain of actors who work together, from one actor to another.' })
export class Path {
  // Other owners' entities: an actor whose owner cannot answer is null in its place, and the rest of the path stays.
  @ListSize(SHORTEST_PATH.maxHops.max + 1)
  @Field(() => [Actor], { nullable: 'itemsAndList', description: 'The actors in order, both ends included.' })
  actors!: (ActorReference | null)[];

  @ListSize(SHORTEST_PATH.maxHops.max)
  @Field(() => [PathStep], { description: 'What joins each actor to the next: one fewer than the actors.' })
  steps!: PathStep[];

  @Field(() => Int, { description: 'How many steps: 0 when both ends are the same actor.' })
  hops!: number;
}

@ObjectType({ description: 'An actor that shares initiatives with another, and how many.' })
export class Collaborator {
  @Field(() => Actor, { nullable: true })
  actor!: ActorReference | null;

  @Field(() => Int, { description: 'How many initiatives both take part in (in any roles).' })
  sharedInitiatives!: number;
}

@ObjectType({ description: "An actor's place in a network: how many it works with directly, and how much it bridges others." })
export class CentralityScore {
  @Field(() => Actor, { nullable: true })
  actor!: ActorReference | null;

  @Field(() => Int, { description: 'How many other actors of the network it is joined to (by any link or shared initiative).' })
  degree!: number;

  @Field(() => Float, {
    description:
      'Normalised betweenness centrality, 0 to 1: the share of shortest paths between pairs of other actors that go through it. High for bridges between groups.',
  })
  betweenness!: number;
}

@ObjectType({ description: 'Two actors joined by a standing link or a shared initiative.' })
export class ActorPair {
  @Field(() => Actor, { nullable: true })
  source!: ActorReference | null;

  @Field(() => Actor, { nullable: true })
  target!: ActorReference | null;
}

@ObjectType({
  description:
    "The who-works-with-whom network of a province: the actors taking part in initiatives that work there, joined by the links and shared initiatives among them (one edge per pair of actors).",
})
export class ProvinceNetwork {
  // The government subgraph's entity: nullable, so that its absence costs only this field.
  @Field(() => Province, { nullable: true })
  province!: Province;

  @Field(() => Int, { description: 'How many actors.' })
  nodeCount!: number;

  @Field(() => Int, { description: 'How many pairs of actors are joined.' })
  edgeCount!: number;

  @Field(() => [CentralityScore], { description: 'The actors with the highest betweenness, then degree, then by id.' })
  top!: CentralityScore[];

  @ListSize(PROVINCE_NETWORK.maxNodes)
  @Field(() => [CentralityScore], { description: 'Every actor of the network, in the order of `top`: for export and drawing.' })
  nodes!: CentralityScore[];

  // A typical size, not the cap (PROVINCE_NETWORK.maxEdges, ten times more), which would price every province as the largest.
  @ListSize(5000)
  @Field(() => [ActorPair], { description: 'Every joined pair of actors, each once: for export and drawing.' })
  pairs!: ActorPair[];

  @Field(() => Int, { description: 'How many standing links join the actors (a pair can have several, and a shared initiative too).' })
  linkCount!: number;

  @Field(() => Int, { description: 'How many initiatives two or more of the actors take part in (any initiative, also one working elsewhere).' })
  sharedInitiativeCount!: number;

  // What `links` and `sharedInitiatives` are made from (ProvinceNetworkRecordsResolver).
  graph!: ProvinceGraph;
}
