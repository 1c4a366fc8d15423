import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { createGateway, limitsFromEnv, serveGateway } from '@hub/gateway';
import { SCHEMA_DIR } from '@hub/scripts/compose';
import { authFromEnv, DEVELOPMENT_TOKEN_SECRET, gatewaySecretHeaders, gatewaySecrets, type Identity, mintToken, Role, type Served } from '@hub/server';
import { FACT } from '@hub/domain';
import { graphql, type GraphQLResponse } from '@hub/toolkit/testing';
import { tokenFromArgs } from '../scripts/src/token.js';
import { startTestHub, type TestHub } from './support/hub.js';

// What a hostile client tries at the door: repeated and odd headers, tokens
// that never expire or claim to come from the future, guesses at the schema,
// a look at the metrics, and the development secrets outside development.

const editor: Identity = { user: 'editor@nakhon', agency: FACT.nakhonPeopleCentre, sector: 'PEOPLE', role: Role.EDITOR, subgraphs: [] };
const QUERY = `{ peopleOrganization(id: "${FACT.nakhonPeopleCentre}") { id } }`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub?.stop();
});

interface Answer {
  status: number;
  body: GraphQLResponse;
}

/** Posts a body with exactly these headers; a list is sent as that many header lines, which fetch would merge into one. */
function post(url: string, headers: Record<string, string | string[]>, body = JSON.stringify({ query: QUERY })): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(url, { method: 'POST', headers }, async (response) => {
      let text = '';
      for await (const chunk of response) text += chunk;
      resolve({ status: response.statusCode!, body: JSON.parse(text) as GraphQLResponse });
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

/** Asks the gateway for an editor's view with this Authorization header. */
const withToken = (token: string) => post(hub.gatewayUrl, { 'content-type': 'application/json', authorization: `Bearer ${token}` });

/** Signs a user token as `npm run token` would, but with the times given. */
function tokenWithTimes(times: { iat?: number; exp?: number }): Promise<string> {
  const token = new SignJWT({ agency: editor.agency, sector: editor.sector, role: editor.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(editor.user)
    .setIssuer('anti-poverty-hub')
    .setAudience('anti-poverty-hub');
  if (times.iat !== undefined) token.setIssuedAt(times.iat);
  if (times.exp !== undefined) token.setExpirationTime(times.exp);
  return token.sign(new TextEncoder().encode(DEVELOPMENT_TOKEN_SECRET));
}

function expectRefused(answer: Answer, status: number, code: string, message: RegExp): void {
  expect(answer.status).toBe(status);
  expect(answer.body.data).toBeUndefined();
  expect(answer.body.errors?.[0]?.extensions?.code).toBe(code);
  expect(answer.body.errors?.[0]?.message).toMatch(message);
}

describe('two Authorization headers in one request', () => {
  it('refuses an empty header followed by a forged token, rather than serving it as anonymous', async () => {
    const forged = await mintToken({ ...editor, role: Role.ADMIN }, { secret: new TextEncoder().encode('f'.repeat(40)) });
    const answer = await post(hub.gatewayUrl, { 'content-type': 'application/json', authorization: ['', `Bearer ${forged}`] });
    expectRefused(answer, 400, 'BAD_REQUEST', /Send one Authorization header/);
  });

  it('refuses two valid tokens, since it cannot tell which one the caller meant', async () => {
    const [first, second] = await Promise.all([mintToken(editor), mintToken({ ...editor, role: Role.VIEWER })]);
    const answer = await post(hub.gatewayUrl, { 'content-type': 'application/json', authorization: [`Bearer ${first}`, `Bearer ${second}`] });
    expectRefused(answer, 400, 'BAD_REQUEST', /Send one Authorization header; this request has 2/);
  });
});

describe('token times', () => {
  it('accepts a token as npm run token mints it', async () => {
    const answer = await withToken(await tokenFromArgs(['--agency', FACT.nakhonPeopleCentre]));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { peopleOrganization: { id: FACT.nakhonPeopleCentre } } });
  });

  it('refuses a token without an expiry', async () => {
    expectRefused(await withToken(await tokenWithTimes({ iat: nowSeconds() })), 401, 'UNAUTHENTICATED', /no expiry \("exp" claim\)/);
  });

  it('refuses a token that does not say when it was issued, since its lifetime cannot be bounded', async () => {
    expectRefused(await withToken(await tokenWithTimes({ exp: nowSeconds() + 600 })), 401, 'UNAUTHENTICATED', /when it was issued \("iat" claim\)/);
  });

  it('refuses a token issued in the future beyond the clock skew, and accepts one a few seconds ahead', async () => {
    const future = await tokenWithTimes({ iat: nowSeconds() + 3600, exp: nowSeconds() + 7200 });
    expectRefused(await withToken(future), 401, 'UNAUTHENTICATED', /issued in the future \("iat" claim\)/);
    const slightlyAhead = await tokenWithTimes({ iat: nowSeconds() + 5, exp: nowSeconds() + 600 });
    expect((await withToken(slightlyAhead)).status).toBe(200);
  });

  it('refuses a token made to live longer than HUB_JWT_MAX_LIFETIME (24h by default)', async () => {
    const answer = await withToken(await mintToken(editor, { expiresIn: '48h' }));
    expectRefused(answer, 401, 'UNAUTHENTICATED', /lives 2d .*longer than the 24h allowed \(HUB_JWT_MAX_LIFETIME\)/);
  });

  it('reads the longest lifetime from HUB_JWT_MAX_LIFETIME, and refuses a setting that is not a time span', () => {
    expect(authFromEnv({ HUB_JWT_MAX_LIFETIME: '1h' }).maxLifetimeSeconds).toBe(3600);
    expect(authFromEnv({}).maxLifetimeSeconds).toBe(86_400);
    expect(() => authFromEnv({ HUB_JWT_MAX_LIFETIME: 'forever' })).toThrow(/HUB_JWT_MAX_LIFETIME must be a time span/);
  });

  it('npm run token refuses to mint a token the hub would refuse', async () => {
    await expect(tokenFromArgs(['--agency', FACT.nakhonPeopleCentre, '--expires', '7d'])).rejects.toThrow(/HUB_JWT_MAX_LIFETIME/);
    await expect(tokenFromArgs(['--agency', FACT.nakhonPeopleCentre, '--expires', 'soon'])).rejects.toThrow(/time span/);
  });

  it('holds a token sent on to a subgraph, which verifies it itself, to the same rules', async () => {
    const people = hub.subgraphs.find((s) => s.name === 'people')!;
    const ask = (token: string) => post(people.url, { 'content-type': 'application/json', ...gatewaySecretHeaders(), authorization: `Bearer ${token}` });

    expect((await ask(await mintToken(editor))).status).toBe(200);
    expectRefused(await ask(await tokenWithTimes({ iat: nowSeconds() })), 401, 'UNAUTHENTICATED', /no expiry/);
    expectRefused(await ask(await tokenWithTimes({ iat: nowSeconds() + 3600, exp: nowSeconds() + 3660 })), 401, 'UNAUTHENTICATED', /issued in the future/);
    expectRefused(await ask(await mintToken(editor, { expiresIn: '48h' })), 401, 'UNAUTHENTICATED', /longer than the 24h allowed/);
  });
});

describe('suggestions in error messages', () => {
  const misspeltLiteral = /* GraphQL */ `{ initiatives(status: IMPLEMENTATON) { totalCount } }`;
  const misspeltVariable = /* GraphQL */ `query ($status: InitiativeStatus) { initiatives(status: $status) { totalCount } }`;
  const misspeltField = /* GraphQL */ `{ initiatives { totalCont } }`;

  it('name the enum value meant while introspection is on (development)', async () => {
    const answer = await graphql(hub.gatewayUrl, misspeltLiteral);
    expect(answer.errors?.[0]?.message).toMatch(/Did you mean the enum value "IMPLEMENTATION"\?/);
  });

  describe('with introspection off (GATEWAY_INTROSPECTION=false, as under NODE_ENV=production)', () => {
    let gateway: Served;
    const setting = process.env.GATEWAY_INTROSPECTION;

    beforeAll(async () => {
      process.env.GATEWAY_INTROSPECTION = 'false';
      const created = createGateway({
        supergraph: { path: SCHEMA_DIR + 'supergraph.graphql', watch: false },
        subgraphUrls: Object.fromEntries(hub.subgraphs.map((s) => [s.name, s.url])),
        limits: limitsFromEnv(),
        log: () => {},
      });
      gateway = await serveGateway(created, { port: 0 });
    });
    afterAll(async () => {
      await gateway?.close();
      if (setting === undefined) delete process.env.GATEWAY_INTROSPECTION;
      else process.env.GATEWAY_INTROSPECTION = setting;
    });

    it('are gone for enum values, written in the operation or sent as variables, and for fields, while the error still says what is wrong', async () => {
      const literal = await graphql(gateway.url, misspeltLiteral);
      const variable = await graphql(gateway.url, misspeltVariable, { status: 'IMPLEMENTATON' });
      const field = await graphql(gateway.url, misspeltField);
      for (const answer of [literal, variable, field]) {
        expect(answer.errors).toHaveLength(1);
        expect(answer.errors![0]!.message).not.toMatch(/Did you mean|IMPLEMENTATION"|totalCount/);
      }
      expect(literal.errors![0]!.message).toMatch(/"IMPLEMENTATON" does not exist in "InitiativeStatus" enum\.$/);
      expect(variable.errors![0]!.message).toMatch(/"IMPLEMENTATON" does not exist in "InitiativeStatus" enum\.$/);
      expect(field.errors![0]!.message).toMatch(/Cannot query field "totalCont"/);
    });
  });
});

describe('development secrets', () => {
  it('refuse to start under any NODE_ENV but development or test, naming the setting to give', () => {
    for (const NODE_ENV of ['staging', 'production', 'prod', 'Development']) {
      expect(() => authFromEnv({ NODE_ENV })).toThrow(/HUB_JWKS_URL \(or HUB_JWT_SECRET\)/);
      expect(() => gatewaySecrets({ NODE_ENV })).toThrow(/HUB_GATEWAY_SECRET is not set/);
    }
  });

  it('let a rotation keep both gateway secrets: the new one is sent, either is accepted', () => {
    const [next, previous] = ['n'.repeat(40), 'p'.repeat(40)];
    const secrets = gatewaySecrets({ HUB_GATEWAY_SECRET: next, HUB_GATEWAY_SECRET_PREVIOUS: previous });
    expect(secrets.current).toBe(next);
    expect(secrets.accepted.map(String)).toEqual([next, previous]);
  });

  it('serve development, tests and an unset NODE_ENV', () => {
    for (const env of [{ NODE_ENV: 'development' }, { NODE_ENV: 'test' }, { NODE_ENV: '' }, {}]) {
      expect(authFromEnv(env).secret).toEqual(new TextEncoder().encode(DEVELOPMENT_TOKEN_SECRET));
      expect(gatewaySecrets(env, false).current).toMatch(/development/);
    }
  });
});

describe('/metrics', () => {
  const metricsOf = (url: string, headers: Record<string, string> = {}) => fetch(new URL('/metrics', url), { headers });

  it('answers a direct request from this machine when no token is set, and refuses one that came through a proxy', async () => {
    const direct = await metricsOf(hub.gatewayUrl);
    expect(direct.status).toBe(200);
    expect(await direct.text()).toContain('hub_gateway_request_duration_seconds');

    const proxied = await metricsOf(hub.gatewayUrl, { 'x-forwarded-for': '203.0.113.9' });
    expect(proxied.status).toBe(403);
    expect(((await proxied.json()) as GraphQLResponse).errors?.[0]?.message).toMatch(/HUB_METRICS_TOKEN/);
    expect((await metricsOf(hub.gatewayUrl, { forwarded: 'for=203.0.113.9' })).status).toBe(403);
  });

  describe('with HUB_METRICS_TOKEN set', () => {
    const token = 'scraper-token-for-the-hardening-test';
    let gateway: Served;

    beforeAll(async () => {
      const setting = process.env.HUB_METRICS_TOKEN;
      process.env.HUB_METRICS_TOKEN = token;
      try {
        const created = createGateway({
          supergraph: { path: SCHEMA_DIR + 'supergraph.graphql', watch: false },
          subgraphUrls: Object.fromEntries(hub.subgraphs.map((s) => [s.name, s.url])),
          log: () => {},
        });
        gateway = await serveGateway(created, { port: 0 });
      } finally {
        if (setting === undefined) delete process.env.HUB_METRICS_TOKEN;
        else process.env.HUB_METRICS_TOKEN = setting;
      }
    });
    afterAll(async () => {
      await gateway?.close();
    });

    it('needs that bearer token, even from this machine, and refuses a wrong one with 401', async () => {
      const bare = await metricsOf(gateway.url);
      expect(bare.status).toBe(401);
      expect(bare.headers.get('www-authenticate')).toBe('Bearer');
      expect(((await bare.json()) as GraphQLResponse).errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
      expect((await metricsOf(gateway.url, { authorization: 'Bearer not-the-token' })).status).toBe(401);
      expect((await metricsOf(gateway.url, { authorization: token })).status).toBe(401);

      const scraped = await metricsOf(gateway.url, { authorization: `Bearer ${token}`, 'x-forwarded-for': '203.0.113.9' });
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('hub_gateway_request_duration_seconds');
    });
  });
});

describe('Content-Type', () => {
  it('is read without regard to case, as media types are', async () => {
    for (const contentType of ['APPLICATION/JSON', 'Application/Json; Charset=UTF-8']) {
      const answer = await post(hub.gatewayUrl, { 'content-type': contentType });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ data: { peopleOrganization: { id: FACT.nakhonPeopleCentre } } });
    }
  });
});
