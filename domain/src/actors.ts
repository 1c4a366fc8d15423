import { Role, type AgencyDirectory, type Identity } from '@hub/server';
import { Sector } from './codelists.js';

/**
 * The kinds of actor, one row each: the prefix that starts every id of the
 * kind, its GraphQL type, its sector, the subgraph that owns it, and what it
 * is, for descriptions. Ids, auth, the initiatives subgraph's `Actor` stubs
 * and the demo data derive from this table, so a new kind of actor is a new
 * row here and its owner's own subgraph.
 *
 * Every actor id starts with its kind's prefix, so the initiatives subgraph
 * can turn a bare id into an `Actor` reference with the right `__typename`
 * without reading another subgraph's tables.
 */
export const ACTOR_TYPES = [
  { prefix: 'peo', typename: 'PeopleOrganization', sector: Sector.PEOPLE, owner: 'people', what: "a people's-sector organisation" },
  { prefix: 'gov', typename: 'GovernmentCentre', sector: Sector.GOVERNMENT, owner: 'government', what: 'a government centre or agency' },
  { prefix: 'prt', typename: 'PrivatePartner', sector: Sector.PRIVATE, owner: 'partners', what: 'a private partner' },
] as const;

export type ActorType = (typeof ACTOR_TYPES)[number];
export type ActorPrefix = ActorType['prefix'];
export type ActorTypename = ActorType['typename'];

const TYPE_OF_PREFIX = new Map<string, ActorType>(ACTOR_TYPES.map((type) => [type.prefix, type]));
const ACTOR_ID = new RegExp(`^(${ACTOR_TYPES.map((type) => type.prefix).join('|')})_[a-z0-9_]{1,60}$`);

export function isActorId(id: string): boolean {
  return ACTOR_ID.test(id);
}

/** The owner type of an actor id, or undefined when the id is not an actor id. */
export function actorTypeOf(id: string): ActorType | undefined {
  const match = ACTOR_ID.exec(id);
  return match ? TYPE_OF_PREFIX.get(match[1]!) : undefined;
}

/** The identity of someone acting for an agency (an actor id), as a verified token gives it: tests and tools build theirs here. */
export function identityFor(agency: string, role: Role = Role.EDITOR, subgraphs: string[] = []): Identity {
  return { user: `${role}@${agency}`, agency, sector: actorTypeOf(agency)!.sector, role, subgraphs };
}

/** The row of a GraphQL type. */
export function actorTypeNamed(typename: ActorTypename): ActorType {
  return ACTOR_TYPES.find((type) => type.typename === typename)!;
}

/** "a, b or c": the way schema descriptions and messages list things. */
function listed(items: readonly string[], lastSeparator = ' or '): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')}${lastSeparator}${items.at(-1)}`;
}

/** "peo_, gov_ or prt_": how every actor id starts, for descriptions and messages. */
export const ACTOR_ID_PREFIXES = listed(ACTOR_TYPES.map((type) => `${type.prefix}_`));

/** "a people's-sector organisation, a government centre or agency, or a private partner". */
export const ACTOR_KINDS_DESCRIBED = listed(ACTOR_TYPES.map((type) => type.what), ', or ');

/**
 * The agencies users act for are actors: auth reads the sector a token's
 * agency belongs to, and the subgraph an agency's admins administer by
 * default (the owner of its record), from this table.
 */
export const AGENCIES: AgencyDirectory = {
  sectorOf: (agency) => actorTypeOf(agency)?.sector,
  ownerOf: (agency) => actorTypeOf(agency)!.owner,
};
