import { GraphQLError } from 'graphql';
import { createRemoteJWKSet, errors, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import {
  checkTokenTimes,
  claimsOf,
  CLOCK_SKEW_SECONDS,
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  developmentDefaultsAllowed,
  identityFromClaims,
  INTERNAL_IDENTITY_HEADER,
  internalSecret,
  isDevelopment,
  logger,
  maxTokenLifetimeFromEnv,
  signInternalIdentity,
  unauthenticated,
  type Identity,
  type Viewer,
} from '@hub/server';
import { AGENCIES } from '@hub/domain/actors';

/**
 * Who may use the graph: users present a bearer JWT, verified here, at the
 * gateway, once per request. Development signs tokens with a shared secret
 * (HS256, `npm run token`); production verifies tokens from the agencies'
 * identity provider against its published keys (JWKS).
 */
export interface AuthOptions {
  /** HS256 secret (`HUB_JWT_SECRET`). */
  secret?: Uint8Array;
  /** The identity provider's key set (`HUB_JWKS_URL`): RS256, ES256 and the like. */
  jwksUrl?: URL;
  /** `iss` the tokens must carry (`HUB_JWT_ISSUER`). */
  issuer: string;
  /** `aud` the tokens must carry (`HUB_JWT_AUDIENCE`). */
  audience: string;
  /** The longest lifetime (exp − iat) a token may have, in seconds (`HUB_JWT_MAX_LIFETIME`, 24h by default). */
  maxLifetimeSeconds?: number;
}

export const DEFAULT_TOKEN_ISSUER = 'anti-poverty-hub';
export const DEFAULT_TOKEN_AUDIENCE = 'anti-poverty-hub';
/** Stands in for HUB_JWT_SECRET in development and tests, so `npm start` and `npm run token` agree out of the box. */
export const DEVELOPMENT_TOKEN_SECRET = 'development-only-token-secret-do-not-deploy';

let warned = false;

/** Token settings from the environment; anything but development and tests must name a secret or a key set. */
export function authFromEnv(env: NodeJS.ProcessEnv = process.env): AuthOptions {
  const issuer = env.HUB_JWT_ISSUER || DEFAULT_TOKEN_ISSUER;
  const audience = env.HUB_JWT_AUDIENCE || DEFAULT_TOKEN_AUDIENCE;
  const maxLifetimeSeconds = maxTokenLifetimeFromEnv(env);
  if (env.HUB_JWKS_URL) {
    const jwksUrl = URL.parse(env.HUB_JWKS_URL);
    if (!jwksUrl || !/^https?:$/.test(jwksUrl.protocol)) throw new Error(`HUB_JWKS_URL must be an http(s) URL; got "${env.HUB_JWKS_URL}".`);
    return { jwksUrl, issuer, audience, maxLifetimeSeconds };
  }
  if (env.HUB_JWT_SECRET) {
    if (Buffer.byteLength(env.HUB_JWT_SECRET) < 32) throw new Error('HUB_JWT_SECRET must be at least 32 bytes long.');
    return { secret: new TextEncoder().encode(env.HUB_JWT_SECRET), issuer, audience, maxLifetimeSeconds };
  }
  if (!developmentDefaultsAllowed(env)) {
    throw new Error(
      `Set HUB_JWKS_URL (or HUB_JWT_SECRET) so the gateway can verify tokens: the development secret serves only NODE_ENV development or test, and NODE_ENV is "${env.NODE_ENV}".`,
    );
  }
  if (!warned && !env.VITEST) {
    logger.warn('HUB_JWT_SECRET is not set: accepting tokens signed with the development secret (npm run token).');
    warned = true;
  }
  return { secret: new TextEncoder().encode(DEVELOPMENT_TOKEN_SECRET), issuer, audience, maxLifetimeSeconds };
}

/**
 * Reads the Authorization header: no header is an anonymous request; a bad or
 * expired token is refused, never ignored, and so is one without an expiry or
 * issue time, issued in the future, or made to live longer than allowed.
 */
export function bearerVerifier(options: AuthOptions): (authorization: string | undefined) => Promise<Viewer> {
  const key: Uint8Array | JWTVerifyGetKey = options.jwksUrl ? createRemoteJWKSet(options.jwksUrl) : options.secret!;
  const algorithms = options.jwksUrl ? ['RS256', 'PS256', 'ES256', 'EdDSA'] : ['HS256'];
  const maxLifetimeSeconds = options.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  return async (authorization) => {
    if (authorization === undefined || authorization === '') return null;
    const match = /^Bearer +([A-Za-z0-9_.-]+)$/i.exec(authorization.trim());
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>".', true);
    try {
      const { payload } = await jwtVerify(match[1]!, key as Uint8Array, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms,
        clockTolerance: CLOCK_SKEW_SECONDS,
      });
      checkTokenTimes(payload, maxLifetimeSeconds);
      return identityFromClaims(payload, AGENCIES);
    } catch (error) {
      // A token that does not verify refuses the whole request: silently serving it as anonymous would hide the mistake.
      if (error instanceof errors.JWTExpired) throw unauthenticated('The token has expired: get a new one.', true);
      if (error instanceof errors.JWTClaimValidationFailed) throw unauthenticated(`The token was refused: ${error.message}.`, true);
      if (error instanceof errors.JOSEError) {
        throw unauthenticated(`The token did not verify: it is malformed, forged, or signed with another key${isDevelopment() ? ` (${error.code})` : ''}.`, true);
      }
      if (error instanceof GraphQLError) throw unauthenticated(error.message, true);
      throw error;
    }
  };
}

/**
 * Signs each request's identity for the subgraphs. Signatures are reused for
 * half their lifetime, per identity: signing is then rare, and identical
 * queries from the same kind of caller still share one subgraph call.
 */
export class IdentitySigner {
  private readonly secret = internalSecret();
  private readonly cache = new Map<string, { header: Promise<string>; until: number }>();

  header(viewer: Viewer): Promise<string> {
    const key = viewer ? JSON.stringify(viewer) : '';
    const now = Date.now();
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.header;
    if (this.cache.size > 10_000) this.cache.clear();
    const header = signInternalIdentity(viewer, this.secret);
    this.cache.set(key, { header, until: now + 30_000 });
    return header;
  }
}

/**
 * The header for a stand-in for the hub's gateway that signs nothing per
 * request (a peer gateway in the benchmark, a test calling a subgraph): an
 * anonymous identity, valid for `lifetime`.
 */
export async function anonymousGatewayHeader(lifetime = '2h'): Promise<[string, string]> {
  return [INTERNAL_IDENTITY_HEADER, await signInternalIdentity(null, internalSecret(), lifetime)];
}

export interface MintOptions {
  /** How long the token lives, e.g. "8h", "30m" (jose's time spans). */
  expiresIn?: string;
  issuer?: string;
  audience?: string;
  /** HS256 secret; HUB_JWT_SECRET or the development secret by default. */
  secret?: Uint8Array;
}

/** Signs a user token with the HS256 secret, as `npm run token` does for development and tests. */
export function mintToken(identity: Identity, options: MintOptions = {}): Promise<string> {
  const secret = options.secret ?? new TextEncoder().encode(process.env.HUB_JWT_SECRET || DEVELOPMENT_TOKEN_SECRET);
  return new SignJWT(claimsOf(identity))
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(options.issuer ?? process.env.HUB_JWT_ISSUER ?? DEFAULT_TOKEN_ISSUER)
    .setAudience(options.audience ?? process.env.HUB_JWT_AUDIENCE ?? DEFAULT_TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '8h')
    .sign(secret);
}
