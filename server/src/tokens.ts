import { GraphQLError } from 'graphql';
import { createRemoteJWKSet, errors, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import {
  checkTokenTimes,
  gatewaySecrets,
  GATEWAY_SECRET_HEADER,
  requireGatewaySecret,
  SERVICE_HEADER,
  serviceIdentity,
  claimsOf,
  CLOCK_SKEW_SECONDS,
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  identityFromClaims,
  maxTokenLifetimeFromEnv,
  unauthenticated,
  type AgencyDirectory,
  type Identity,
  type Viewer,
} from './auth.js';
import { developmentDefaultsAllowed, isDevelopment } from './errors.js';
import { logger } from './log.js';

/**
 * Users' tokens: a bearer JWT in the Authorization header, verified by the
 * gateway and again by each subgraph it reaches, against the same settings.
 * Development signs tokens with a shared secret (HS256, `npm run token`);
 * production verifies tokens from the agencies' identity provider against its
 * published keys (JWKS).
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
      `Set HUB_JWKS_URL (or HUB_JWT_SECRET) so tokens can be verified: the development secret serves only NODE_ENV development or test, and NODE_ENV is "${env.NODE_ENV}".`,
    );
  }
  if (!warned && !env.VITEST) {
    logger.warn('HUB_JWT_SECRET is not set: accepting tokens signed with the development secret (npm run token).');
    warned = true;
  }
  return { secret: new TextEncoder().encode(DEVELOPMENT_TOKEN_SECRET), issuer, audience, maxLifetimeSeconds };
}

/** Tokens already verified, until they expire: a dashboard sends the same token on every request, and each is checked once per part. */
const MAX_VERIFIED = 10_000;

/**
 * Reads the Authorization header: no header is an anonymous request; a bad or
 * expired token is refused (HTTP 401), never ignored, and so is one without an
 * expiry or issue time, issued in the future, or made to live longer than
 * allowed. `agencies` says which agencies exist and their sectors.
 */
export function bearerVerifier(options: AuthOptions, agencies: AgencyDirectory): (authorization: string | string[] | undefined) => Promise<Viewer> {
  const key: Uint8Array | JWTVerifyGetKey = options.jwksUrl ? createRemoteJWKSet(options.jwksUrl) : options.secret!;
  const algorithms = options.jwksUrl ? ['RS256', 'PS256', 'ES256', 'EdDSA'] : ['HS256'];
  const maxLifetimeSeconds = options.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  const verified = new Map<string, { viewer: Identity; untilMs: number }>();
  return async (authorization) => {
    if (authorization === undefined || authorization === '') return null;
    const match = typeof authorization === 'string' ? /^Bearer +([A-Za-z0-9_.-]+)$/i.exec(authorization.trim()) : null;
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>".', true);
    const token = match[1]!;
    const known = verified.get(token);
    if (known && known.untilMs > Date.now()) return known.viewer;
    try {
      const { payload } = await jwtVerify(token, key as Uint8Array, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms,
        clockTolerance: CLOCK_SKEW_SECONDS,
      });
      checkTokenTimes(payload, maxLifetimeSeconds);
      const viewer = identityFromClaims(payload, agencies);
      if (verified.size >= MAX_VERIFIED) verified.clear();
      verified.set(token, { viewer, untilMs: payload.exp! * 1000 });
      return viewer;
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

/** How one of the hub's parts names itself (SERVICE_HEADER): a subgraph's name. */
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * Who asks a subgraph. Only a caller with the gateway secret is answered at
 * all; the user is whoever the forwarded token says, verified here, not taken
 * on the gateway's word, so a captured request is worth no more than the
 * user's token in it; a part of the hub calling with no user names itself.
 * Settings are read once, so a missing secret or bad token settings stop the
 * subgraph at start rather than failing each request.
 */
export function subgraphCallerVerifier(
  agencies: AgencyDirectory,
  auth: AuthOptions = authFromEnv(),
  secrets: readonly Buffer[] = gatewaySecrets().accepted,
): (headers: Record<string, string | string[] | undefined>) => Promise<Viewer> {
  const verifyBearer = bearerVerifier(auth, agencies);
  return async (headers) => {
    requireGatewaySecret(headers[GATEWAY_SECRET_HEADER], secrets);
    const service = headers[SERVICE_HEADER];
    if (!headers.authorization && typeof service === 'string' && SERVICE_NAME.test(service)) return serviceIdentity(service);
    return verifyBearer(headers.authorization);
  };
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
