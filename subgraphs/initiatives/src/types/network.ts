import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Cost, ListSize } from '@hub/toolkit';
import { Initiative } from '../entities/initiative.js';
import { Link } from '../entities/link.js';
import { NEIGHBOURHOOD, PROVINCE_NETWORK, SHORTEST_PATH } from '../graph/traversal.js';
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

  @Field(() => Link, { nullable: true, description: 'The link, for LINK edges.' })
  link!: Link | null;

  @Field(() => Initiative, { nullable: true, description: 'The shared initiative, for SHARED_INITIATIVE edges.' })
  initiative!: Initiative | null;
}

@ObjectType({ description: 'Actors near one actor, and what joins them to each other.' })
export class Network {
  // Each actor the walk reaches costs more than its row: its links and initiatives are
  // scanned for the next hop, and the edges among all reached actors are gathered. A
  // list's weight is per item, so a walk is priced by its `limit`.
  @Cost(NEIGHBOURHOOD.costPerActor)
  @Field(() => [NetworkNode], { description: 'Nearest first, then by id; the centre comes first, at depth 0.' })
  nodes!: NetworkNode[];

  @ListSize(NEIGHBOURHOOD.maxEdges)
  @Field(() => [NetworkEdge], { description: 'The links (by id), then the shared initiatives (by initiative, source, target), among the nodes: only the kinds that count as hops, at most 5,000.' })
  edges!: NetworkEdge[];

  @Field({ description: 'True when the node limit or the edge bound cut the answer short.' })
  truncated!: boolean;
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
  @ListSize(SHORTEST_PATH.maxHops.max + 1)
  @Field(() => [Actor], { nullable: 'items', description: 'The actors in order, both ends included.' })
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
  @Field(() => Province)
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
}
