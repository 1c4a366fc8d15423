/*
 * The shortest-path search itself, apart from how a level is read: the hub's
 * traversal reads it through the ORM's connection, the benchmark's floor
 * through its own pool, and both find the same path.
 */

/** One hop between two actors: a link, or an initiative both take part in. */
export interface Hop {
  fromId: string;
  toId: string;
  linkId: string | null;
  initiativeId: string | null;
}

/** Every actor one hop from a frontier, once, with a frontier actor it is reached from and what joins them. */
export interface Expansion {
  from_id: string;
  to_id: string;
  link_id: string | null;
  initiative_id: string | null;
}

/** How a search reached an actor: the actor one hop nearer its own start, and what joins them. */
interface Parent {
  via: string;
  linkId: string | null;
  initiativeId: string | null;
}

interface Side {
  parents: Map<string, Parent | null>;
  frontier: string[];
  depth: number;
}

const byCodePoint = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/**
 * A shortest chain of hops from `fromId` to `toId`, at most `maxHops` long:
 * [] when they are the same actor, null when no chain that short exists.
 * Breadth first from both ends, one `expand` per level, always growing the
 * side whose frontier is smaller, until the sides meet (at the smallest
 * meeting id); `tooFar()` is thrown once the sides hold more than
 * `maxVisited` actors. `expand` returns null when nothing counts as a hop.
 */
export async function bidirectionalSearch(
  fromId: string,
  toId: string,
  limits: { maxHops: number; maxVisited: number },
  expand: (frontier: readonly string[]) => Promise<readonly Expansion[] | null>,
  tooFar: () => Error,
): Promise<Hop[] | null> {
  if (fromId === toId) return [];
  const forward: Side = { parents: new Map([[fromId, null]]), frontier: [fromId], depth: 0 };
  const backward: Side = { parents: new Map([[toId, null]]), frontier: [toId], depth: 0 };

  while (forward.depth + backward.depth < limits.maxHops) {
    const side = forward.frontier.length <= backward.frontier.length ? forward : backward;
    const other = side === forward ? backward : forward;
    if (side.frontier.length === 0) return null;
    const rows = await expand(side.frontier);
    if (!rows) return null;

    const next: string[] = [];
    const meetings: string[] = [];
    for (const row of rows) {
      if (side.parents.has(row.to_id)) continue;
      side.parents.set(row.to_id, { via: row.from_id, linkId: row.link_id, initiativeId: row.initiative_id });
      next.push(row.to_id);
      if (other.parents.has(row.to_id)) meetings.push(row.to_id);
    }
    side.frontier = next;
    side.depth += 1;
    if (meetings.length > 0) {
      // The sides had not met one level earlier, so every meeting actor lies on a shortest chain.
      const meeting = meetings.sort(byCodePoint)[0]!;
      return [...chainTo(forward.parents, meeting).reverse(), ...chainTo(backward.parents, meeting).map(flip)];
    }
    if (forward.parents.size + backward.parents.size > limits.maxVisited) throw tooFar();
  }
  return null;
}

/** The hops from a search's start to an actor, as the search found them, last first. */
function chainTo(parents: Map<string, Parent | null>, actorId: string): Hop[] {
  const chain: Hop[] = [];
  let at = actorId;
  for (let parent = parents.get(at); parent; parent = parents.get(at)) {
    chain.push({ fromId: parent.via, toId: at, linkId: parent.linkId, initiativeId: parent.initiativeId });
    at = parent.via;
  }
  return chain;
}

function flip(hop: Hop): Hop {
  return { ...hop, fromId: hop.toId, toId: hop.fromId };
}
