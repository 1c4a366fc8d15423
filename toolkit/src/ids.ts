import { Sector } from './codelists.js';
import { badUserInput } from './errors.js';

/**
 * Every actor id starts with a prefix naming its owner type, so the
 * initiatives subgraph can turn a bare id into an `Actor` reference with the
 * right `__typename` without reading another subgraph's tables.
 */
export const ACTOR_TYPES = {
  peo: { typename: 'PeopleOrganization', sector: Sector.PEOPLE },
  gov: { typename: 'GovernmentCentre', sector: Sector.GOVERNMENT },
  prt: { typename: 'PrivatePartner', sector: Sector.PRIVATE },
} as const;

export type ActorPrefix = keyof typeof ACTOR_TYPES;
export type ActorTypename = (typeof ACTOR_TYPES)[ActorPrefix]['typename'];

const ACTOR_ID = /^(peo|gov|prt)_[a-z0-9_]{1,60}$/;

export function isActorId(id: string): boolean {
  return ACTOR_ID.test(id);
}

/** The owner type of an actor id, or undefined when the id is not an actor id. */
export function actorTypeOf(id: string): (typeof ACTOR_TYPES)[ActorPrefix] | undefined {
  const match = ACTOR_ID.exec(id);
  return match ? ACTOR_TYPES[match[1] as ActorPrefix] : undefined;
}

const PROVINCE_CODE = /^TH-\d{2}$/;

/** Returns a province code unchanged, or a BAD_USER_INPUT error naming the expected form. */
export function checkProvinceCode(code: string, argument = 'provinceCode'): string {
  if (!PROVINCE_CODE.test(code)) {
    throw badUserInput(`"${code}" is not an ISO 3166-2:TH province code; they look like "TH-80".`, { argument });
  }
  return code;
}
