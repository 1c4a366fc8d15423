import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createGateway, serveGateway } from '@hub/gateway';
import { SCHEMA_DIR } from '@hub/scripts/compose';
import { authFromEnv, GATEWAY_SECRET_HEADER, gatewaySecretHeaders, gatewaySecrets, mintToken, Role } from '@hub/server';
import { FACT, identityFor } from '@hub/domain';
import { errorCodeOf, graphql, startTestSubgraph, type GraphQLResponse } from '@hub/toolkit/testing';
import { people as peopleSubgraph } from '@hub/people';
import { tokenFromArgs } from '../scripts/src/token.js';
import { startTestHub, type TestHub } from './support/hub.js';

// Tokens and the gateway's checks of them, through the real gateway over HTTP
// on real PostgreSQL, with tokens minted as `npm run token` mints them. Each
// owner's writes, access rules and audit trail are tested beside its subgraph,
// in subgraphs/<name>/test/writes.test.ts.

let hub: TestHub;
/** Sends an operation to the gateway as the holder of `token` (anonymous without one). */
let as: (token: string | undefined, query: string, variables?: Record<string, unknown>) => Promise<GraphQLResponse>;
/** A viewer's development token, which a gateway checking a key set must refuse. */
let viewerToken: string;

beforeAll(async () => {
  hub = await startTestHub();
  as = (token, query, variables) => graphql(hub.gatewayUrl, query, variables, token ? { authorization: `Bearer ${token}` } : {});
  viewerToken = await mintToken(identityFor(FACT.nakhonPeopleCentre, Role.VIEWER));
});
afterAll(async () => {
  await hub?.stop();
});

describe('tokens', () => {
  const query = `{ peopleOrganization(id: "${FACT.nakhonPeopleCentre}") { id } }`;

  async function refused(authorization: string) {
    const response = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as GraphQLResponse;
    expect(response.status).toBe(401);
    expect(body.data).toBeUndefined();
    expect(errorCodeOf(body)).toBe('UNAUTHENTICATED');
    return body.errors![0]!.message;
  }

  it('a forged token (signed with another key) is refused', async () => {
    const forged = await mintToken(identityFor(FACT.nakhonPeopleCentre, Role.ADMIN), { secret: new TextEncoder().encode('x'.repeat(40)) });
    expect(await refused(`Bearer ${forged}`)).toMatch(/did not verify/);
  });

  it('an expired token is refused', async () => {
    const expired = await new SignJWT({ agency: FACT.nakhonPeopleCentre, sector: 'PEOPLE', role: 'editor' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('someone')
      .setIssuer('anti-poverty-hub')
      .setAudience('anti-poverty-hub')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode('development-only-token-secret-do-not-deploy'));
    expect(await refused(`Bearer ${expired}`)).toMatch(/expired/);
  });

  it('a token for another audience, with claims that disagree, or not a bearer token is refused', async () => {
    expect(await refused(`Bearer ${await mintToken(identityFor(FACT.nakhonPeopleCentre), { audience: 'another-api' })}`)).toMatch(/aud/);
    const wrongSector = await mintToken({ ...identityFor(FACT.nakhonPeopleCentre), sector: 'GOVERNMENT' });
    expect(await refused(`Bearer ${wrongSector}`)).toMatch(/sector/);
    expect(await refused('Basic dXNlcjpwYXNz')).toMatch(/Bearer/);
  });

  it('production needs real secrets: the parts refuse to start on the development ones', () => {
    const production = { NODE_ENV: 'production' };
    expect(() => authFromEnv(production)).toThrow(/HUB_JWKS_URL/);
    expect(() => authFromEnv({ ...production, HUB_JWT_SECRET: 'short' })).toThrow(/32 bytes/);
    expect(() => authFromEnv({ ...production, HUB_JWKS_URL: 'ftp://keys' })).toThrow(/http/);
    expect(authFromEnv({ ...production, HUB_JWKS_URL: 'https://id.example.org/.well-known/jwks.json' }).jwksUrl?.host).toBe('id.example.org');
    expect(() => gatewaySecrets(production)).toThrow(/HUB_GATEWAY_SECRET/);
    expect(() => gatewaySecrets({ ...production, HUB_GATEWAY_SECRET: 'short' })).toThrow(/32 bytes/);
    expect(() => gatewaySecrets({ ...production, HUB_GATEWAY_SECRET: 's'.repeat(32), HUB_GATEWAY_SECRET_PREVIOUS: 'short' })).toThrow(/PREVIOUS must be at least 32 bytes/);
  });

  it('a direct call to a subgraph is refused without the gateway secret, with another secret, or with a forged token', async () => {
    const admin = (subgraph: string) => identityFor(FACT.nakhonPeopleCentre, Role.ADMIN, [subgraph]);
    for (const subgraph of hub.subgraphs) {
      // Even a genuine user token does not open a subgraph without the gateway secret.
      const genuine = { authorization: `Bearer ${await mintToken(admin(subgraph.name))}` };
      for (const headers of [{}, genuine, { ...genuine, [GATEWAY_SECRET_HEADER]: 'x'.repeat(46) }]) {
        const response = await fetch(subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ __typename }' }) });
        expect(response.status).toBe(401);
        expect(errorCodeOf((await response.json()) as GraphQLResponse)).toBe('UNAUTHENTICATED');
      }
      // The right secret with a token signed by someone else: the subgraph checks the token itself.
      const forged = await mintToken(admin(subgraph.name), { secret: new TextEncoder().encode('y'.repeat(40)) });
      const response = await graphql(subgraph.url, '{ __typename }', {}, { ...gatewaySecretHeaders(), authorization: `Bearer ${forged}` });
      expect(errorCodeOf(response)).toBe('UNAUTHENTICATED');
      expect((await graphql(subgraph.url, '{ __typename }', {}, gatewaySecretHeaders())).data).toEqual({ __typename: 'Query' });
    }
  });
});

describe('production tokens, verified against the identity provider\'s key set (JWKS)', () => {
  it('accepts a token signed with the provider\'s key, and refuses one signed with another key under the same key id', async () => {
    const provider = await generateKeyPair('ES256');
    const impostor = await generateKeyPair('ES256');
    const jwks = { keys: [{ ...(await exportJWK(provider.publicKey)), kid: 'agency-idp-1', alg: 'ES256', use: 'sig' }] };
    const keyServer = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
    const auth = {
      jwksUrl: new URL(`http://127.0.0.1:${(keyServer.address() as AddressInfo).port}/.well-known/jwks.json`),
      issuer: 'https://id.example.org',
      audience: 'anti-poverty-hub',
    };
    // The gateway and the subgraph that owns the contact details both read the token against the key set.
    const people = await startTestSubgraph(peopleSubgraph, { auth });
    const gateway = createGateway({
      supergraph: { path: SCHEMA_DIR + 'supergraph.graphql', watch: false },
      subgraphUrls: { ...Object.fromEntries(hub.subgraphs.map((s) => [s.name, s.url])), people: people.url },
      auth,
      log: () => {},
    });
    const served = await serveGateway(gateway, { port: 0 });
    try {
      const sign = (key: CryptoKey) =>
        new SignJWT({ agency: FACT.nakhonPeopleCentre, sector: 'PEOPLE', role: 'viewer' })
          .setProtectedHeader({ alg: 'ES256', kid: 'agency-idp-1' })
          .setSubject('somchai@example.org')
          .setIssuer('https://id.example.org')
          .setAudience('anti-poverty-hub')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(key);
      const query = `{ peopleOrganization(id: "${FACT.nakhonPeopleCentre}") { contact { email } } }`;
      const accepted = await graphql(served.url, query, {}, { authorization: `Bearer ${await sign(provider.privateKey)}` });
      expect(accepted.errors).toBeUndefined();
      const forged = await graphql(served.url, query, {}, { authorization: `Bearer ${await sign(impostor.privateKey)}` });
      expect(errorCodeOf(forged)).toBe('UNAUTHENTICATED');
      // A development token (HS256, shared secret) is no use against a key set.
      expect(errorCodeOf(await graphql(served.url, query, {}, { authorization: `Bearer ${viewerToken}` }))).toBe('UNAUTHENTICATED');
      // The subgraph checks the token itself: one the gateway would pass is still refused there if it is not the key set's.
      const direct = await graphql(people.url, query, {}, { ...gatewaySecretHeaders(), authorization: `Bearer ${viewerToken}` });
      expect(errorCodeOf(direct)).toBe('UNAUTHENTICATED');
    } finally {
      await served.close();
      await people.stop();
      keyServer.close();
    }
  });
});

describe('npm run token', () => {
  it('mints a token the gateway and each subgraph accept, and says what is wrong with bad arguments', async () => {
    const token = await tokenFromArgs(['--agency', FACT.nakhonPeopleCentre, '--role', 'viewer']);
    const read = await as(token, `{ peopleOrganization(id: "${FACT.nakhonPeopleCentre}") { contact { email } } }`);
    expect(read.errors).toBeUndefined();

    const people = hub.subgraphs.find((s) => s.name === 'people')!;
    const query = `{ peopleOrganization(id: "${FACT.nakhonPeopleCentre}") { contact { email } } }`;
    const direct = await graphql(people.url, query, {}, { ...gatewaySecretHeaders(), authorization: `Bearer ${token}` });
    expect(direct.errors).toBeUndefined();
    expect(direct.data).toEqual(read.data);

    await expect(tokenFromArgs(['--agency', 'nobody'])).rejects.toThrow(/actor id/);
    await expect(tokenFromArgs(['--agency', FACT.nakhonPeopleCentre, '--role', 'owner'])).rejects.toThrow(/viewer, editor, admin/);
    await expect(tokenFromArgs(['--agency', FACT.nakhonPeopleCentre, '--colour', 'red'])).rejects.toThrow(/colour/);
  });
});

describe('the audit trail', () => {
  it('is not writable through the API: no mutation touches it', async () => {
    const schema = await as(undefined, '{ __schema { mutationType { fields { name } } } }');
    const mutations = schema.data.__schema.mutationType.fields.map((f: { name: string }) => f.name);
    expect(mutations.length).toBeGreaterThan(10);
    expect(mutations.filter((name: string) => /audit|history|change(?!d)/i.test(name))).toEqual([]);
  });
});
