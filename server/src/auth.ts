import { GraphQLError } from 'graphql';
import { timingSafeEqual } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { developmentDefaultsAllowed, ErrorCode } from './errors.js';
import { logger } from './log.js';

/**
 * Who is asking. The user's bearer token travels from the client through the
 * gateway to each subgraph: the gateway verifies it to refuse a bad one
 * early, and each subgraph verifies it again (tokens.ts) and decides, for the
 * data it owns, what this identity may do.
 */
export const Role = {
  /** Reads everything, contact details included; changes nothing. */
  VIEWER: 'viewer',
  /** Also changes the records of their own agency. */
  EDITOR: 'editor',
  /** Also manages every record of the subgraphs named in `subgraphs`. */
  ADMIN: 'admin',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

const ROLES = new Set<string>(Object.values(Role));
const SUBGRAPH_NAME = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * What auth needs to know of the agencies users act for; the hub's domain
 * package answers it from its actor registry, so the toolkit knows none.
 */
export interface AgencyDirectory {
  /** The sector of the agency an id names, or undefined when the id names no agency. */
  sectorOf(agency: string): string | undefined;
  /** The subgraph that owns the record of an agency `sectorOf` knows: its admins administer that one unless their token names others. */
  ownerOf(agency: string): string;
}

export interface Identity {
  /** The user: the token's `sub`. */
  user: string;
  /** The agency the user acts for: an actor id, such as gov_th80_centre. */
  agency: string;
  /** The agency's sector, as the token states it (it must agree with the agency id). */
  sector: string;
  role: Role;
  /** For admins: the subgraphs they administer. */
  subgraphs: string[];
}

/** A request's identity, or null for an anonymous one. */
export type Viewer = Identity | null;

/**
 * UNAUTHENTICATED. `refuseRequest` answers the whole request with HTTP 401 (a
 * bad token, a call that skipped the gateway); without it the error is about
 * one field (contact details asked for anonymously) and the rest still arrives.
 */
export function unauthenticated(message: string, refuseRequest = false): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.UNAUTHENTICATED, ...(refuseRequest ? { http: { status: 401 } } : {}) },
  });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });
}

/**
 * Reads the hub's claims from a verified token payload: `sub`, `agency`,
 * `sector`, `role`, and for admins optionally `subgraphs`. Anything missing
 * or inconsistent refuses the token, with a message that says which claim;
 * `agencies` says which agencies exist and their sectors.
 */
export function identityFromClaims(claims: JWTPayload, agencies: AgencyDirectory): Identity {
  const { sub, agency, sector, role, subgraphs } = claims as Record<string, unknown>;
  if (typeof sub !== 'string' || !sub) throw unauthenticated('The token has no subject ("sub" claim).');
  const agencySector = typeof agency === 'string' ? agencies.sectorOf(agency) : undefined;
  if (typeof agency !== 'string' || agencySector === undefined) {
    throw unauthenticated('The token\'s "agency" claim must be an actor id such as "gov_th80_centre".');
  }
  if (sector !== agencySector) throw unauthenticated(`The token's "sector" claim must be ${agencySector} for agency ${agency}.`);
  if (typeof role !== 'string' || !ROLES.has(role)) throw unauthenticated(`The token's "role" claim must be one of ${[...ROLES].join(', ')}.`);
  if (subgraphs !== undefined && (!Array.isArray(subgraphs) || !subgraphs.every((s) => typeof s === 'string' && SUBGRAPH_NAME.test(s)))) {
    throw unauthenticated('The token\'s "subgraphs" claim must be a list of subgraph names.');
  }
  const administered = role === Role.ADMIN ? ((subgraphs as string[] | undefined) ?? [agencies.ownerOf(agency)]) : [];
  return { user: sub, agency, sector: agencySector, role: role as Role, subgraphs: administered };
}

/** The claims that carry an identity in a token; `identityFromClaims` reads them back. */
export function claimsOf(identity: Identity): JWTPayload {
  return {
    sub: identity.user,
    agency: identity.agency,
    sector: identity.sector,
    role: identity.role,
    ...(identity.role === Role.ADMIN ? { subgraphs: identity.subgraphs } : {}),
  };
}

// ---------------------------------------------------------------------------
// When a token may be used: the same rules for users' tokens and the gateway's header.

/** How far a signer's clock may run ahead of the checker's, and how long past its expiry a token is still honoured. */
export const CLOCK_SKEW_SECONDS = 30;
/** The longest lifetime (exp − iat) a token may have unless HUB_JWT_MAX_LIFETIME says otherwise: 24h, a working day with room to spare. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 86_400;

const SECONDS_PER_UNIT: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 };

/** A time span such as "90s", "30m", "24h" or "7d", in seconds. */
export function timeSpanSeconds(span: string): number | undefined {
  const match = /^(\d+) ?([smhdw])$/.exec(span.trim());
  const seconds = match ? Number(match[1]) * SECONDS_PER_UNIT[match[2]!]! : NaN;
  return Number.isSafeInteger(seconds) && seconds > 0 ? seconds : undefined;
}

/** Seconds in the unit people would say: 86400 is "24h", 172800 is "2d", 90 is "90s". */
function describeSeconds(seconds: number): string {
  if (seconds % 86_400 === 0 && seconds > 86_400) return `${seconds / 86_400}d`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** The longest lifetime, in seconds, any token may have: `HUB_JWT_MAX_LIFETIME`, 24h by default. */
export function maxTokenLifetimeFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const setting = env.HUB_JWT_MAX_LIFETIME;
  if (!setting) return DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  const seconds = timeSpanSeconds(setting);
  if (seconds === undefined) throw new Error(`HUB_JWT_MAX_LIFETIME must be a time span such as 30m, 8h or 24h; got "${setting}".`);
  return seconds;
}

/**
 * The time rules a token must meet once its signature verified. jose checks
 * `exp` and `nbf` against the clock, but only when they are present, and
 * compares `iat` with the clock only when asked for a maximum age, which
 * bounds how old a token is, not how long it was made to live. A token
 * without an expiry, one issued in the future (which would outlive any age
 * limit), or one made to live for a year is a standing key if it leaks.
 */
export function checkTokenTimes(claims: JWTPayload, maxLifetimeSeconds: number, what = 'The token'): void {
  const { exp, iat } = claims;
  if (typeof exp !== 'number') throw unauthenticated(`${what} has no expiry ("exp" claim); only tokens that expire are accepted.`, true);
  if (typeof iat !== 'number') throw unauthenticated(`${what} does not say when it was issued ("iat" claim), so its lifetime cannot be checked.`, true);
  if (iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS) {
    throw unauthenticated(`${what} was issued in the future ("iat" claim): the issuer's clock is ahead, or the token is not genuine.`, true);
  }
  if (exp - iat > maxLifetimeSeconds) {
    throw unauthenticated(
      `${what} lives ${describeSeconds(exp - iat)} ("exp" − "iat"), longer than the ${describeSeconds(maxLifetimeSeconds)} allowed (HUB_JWT_MAX_LIFETIME); get one that expires sooner.`,
      true,
    );
  }
}

// ---------------------------------------------------------------------------
// The gateway's secret: only the hub's gateways may call a subgraph.

/**
 * The header every caller of a subgraph adds: the hub's gateway, Hive Gateway
 * (`propagateHeaders`), Apollo Router (`headers.insert`), the search subgraph
 * reading the owners. A static secret, not a signature: standard gateways can
 * send it, and it proves only that the caller is one of the hub's parts. Who
 * the user is travels beside it, as the user's own token.
 */
export const GATEWAY_SECRET_HEADER = 'x-hub-gateway-secret';
/**
 * The header in which one of the hub's own parts names itself when it calls
 * another with no user behind the call: the search subgraph following the
 * owners' change feeds (`search`). It counts only beside the gateway's secret.
 */
export const SERVICE_HEADER = 'x-hub-service';

const DEVELOPMENT_GATEWAY_SECRET = 'development-only-gateway-secret-do-not-deploy';
const MIN_SECRET_BYTES = 32;

let warnedAboutDevelopmentSecret = false;

export interface GatewaySecrets {
  /** The secret this part sends. */
  current: string;
  /** The secrets this part accepts: the current one, and during a rotation the previous one. */
  accepted: readonly Buffer[];
}

/**
 * `HUB_GATEWAY_SECRET`, the same in every part, and during a rotation
 * `HUB_GATEWAY_SECRET_PREVIOUS`, which subgraphs still accept. In development
 * and tests a fixed development secret stands in, with a warning; anywhere
 * else (NODE_ENV=production, staging, ...) a missing or short secret stops
 * the part from starting.
 */
export function gatewaySecrets(env: NodeJS.ProcessEnv = process.env, warn = true): GatewaySecrets {
  const check = (name: string) => {
    const value = env[name];
    if (value && Buffer.byteLength(value) < MIN_SECRET_BYTES) throw new Error(`${name} must be at least ${MIN_SECRET_BYTES} bytes long.`);
    return value || undefined;
  };
  const current = check('HUB_GATEWAY_SECRET');
  const previous = check('HUB_GATEWAY_SECRET_PREVIOUS');
  if (!current) {
    if (!developmentDefaultsAllowed(env)) {
      throw new Error(
        `HUB_GATEWAY_SECRET is not set: the gateways and the subgraphs need the same secret of at least 32 bytes (the development one serves only NODE_ENV development or test, and NODE_ENV is "${env.NODE_ENV}").`,
      );
    }
    if (warn && !warnedAboutDevelopmentSecret && !env.VITEST) {
      logger.warn('HUB_GATEWAY_SECRET is not set: using the development secret. Set it in any shared deployment.');
      warnedAboutDevelopmentSecret = true;
    }
  }
  const sent = current ?? DEVELOPMENT_GATEWAY_SECRET;
  return { current: sent, accepted: [sent, ...(previous ? [previous] : [])].map((secret) => Buffer.from(secret)) };
}

/** The header a caller of a subgraph adds, with this deployment's secret. */
export function gatewaySecretHeaders(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return { [GATEWAY_SECRET_HEADER]: gatewaySecrets(env, false).current };
}

/**
 * Refuses a request that does not carry one of the accepted secrets (HTTP
 * 401), comparing in constant time so the answer's timing tells nothing of
 * the secret. Subgraphs answer only the hub's gateways: no one can skip the
 * gateway's limits by calling a subgraph directly.
 */
export function requireGatewaySecret(header: string | string[] | undefined, accepted: readonly Buffer[]): void {
  const given = typeof header === 'string' ? Buffer.from(header) : undefined;
  if (given && accepted.some((secret) => secret.length === given.length && timingSafeEqual(secret, given))) return;
  throw unauthenticated(
    given
      ? "This subgraph answers only the hub's gateways, and the gateway secret (x-hub-gateway-secret) is not this deployment's: check HUB_GATEWAY_SECRET."
      : "This subgraph answers only the hub's gateways; send the request to the gateway instead.",
    true,
  );
}

/**
 * The identity of one of the hub's own parts calling another with no user
 * behind the call (`SERVICE_HEADER`, beside the gateway's secret): a viewer,
 * which reads and never writes, acting for the hub itself.
 */
export function serviceIdentity(service: string): Identity {
  return { user: `service:${service}`, agency: 'hub', sector: 'hub', role: Role.VIEWER, subgraphs: [] };
}

// ---------------------------------------------------------------------------
// Rules, applied by the subgraph that owns the data.

export function requireSignedIn(viewer: Viewer, what: string): Identity {
  if (!viewer) throw unauthenticated(`Sign in to ${what}: send a bearer token in the Authorization header.`);
  return viewer;
}

export function isAdminOf(viewer: Viewer, subgraph: string): boolean {
  return viewer?.role === Role.ADMIN && viewer.subgraphs.includes(subgraph);
}

/** Whether the identity may change records that belong to any of `agencies` in `subgraph`: their own editors, and the subgraph's admins. */
export function mayActFor(viewer: Viewer, subgraph: string, agencies: string | readonly string[]): boolean {
  if (!viewer) return false;
  if (isAdminOf(viewer, subgraph)) return true;
  const owners = typeof agencies === 'string' ? [agencies] : agencies;
  return owners.includes(viewer.agency) && (viewer.role === Role.EDITOR || viewer.role === Role.ADMIN);
}

/** Requires a signed-in editor or admin: viewers may not write at all. */
export function requireWriter(viewer: Viewer, what: string): Identity {
  const identity = requireSignedIn(viewer, what);
  if (identity.role === Role.VIEWER) throw forbidden(`Your role is viewer, which reads but does not ${what}; an editor or admin may.`);
  return identity;
}

/**
 * Requires that the identity may act for `agencies` (any one of them) in
 * `subgraph`, or refuses with FORBIDDEN naming who may.
 */
export function requireActingFor(viewer: Viewer, subgraph: string, agencies: string | readonly string[], what: string): Identity {
  const identity = requireWriter(viewer, what);
  if (!mayActFor(identity, subgraph, agencies)) {
    const owners = typeof agencies === 'string' ? [agencies] : agencies;
    const who = owners.length ? `editors of ${owners.join(' or ')} or admins` : 'admins';
    throw forbidden(`Only ${who} of the ${subgraph} subgraph may ${what}; you act for ${identity.agency}.`);
  }
  return identity;
}

/** Requires an admin of `subgraph`. */
export function requireAdmin(viewer: Viewer, subgraph: string, what: string): Identity {
  return requireActingFor(viewer, subgraph, [], what);
}
