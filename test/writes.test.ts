import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { authFromEnv, createGateway, mintToken, serveGateway } from '@hub/gateway';
import { SCHEMA_DIR } from '@hub/scripts/compose';
import { INTERNAL_IDENTITY_HEADER, internalSecret, Role, signInternalIdentity, type Identity } from '@hub/server';
import { AuditEntry, write } from '@hub/toolkit';
import { actorTypeOf, FACT, provincialGovernmentCentreId } from '@hub/domain';
import { graphql, type GraphQLResponse } from '@hub/toolkit/testing';
import { PeopleOrganization } from '@hub/people';
import { tokenFromArgs } from '../scripts/src/token.js';
import { startTestHub, type TestHub } from './support/hub.js';

// Writes, the audit trail and access rules, through the real gateway over HTTP
// on real PostgreSQL, with tokens minted as `npm run token` mints them.

const nakhonGovernment = provincialGovernmentCentreId(FACT.nakhonProvince);

function identity(agency: string, role: Role = Role.EDITOR, subgraphs?: string[]): Identity {
  return { user: `${role}@${agency}`, agency, sector: actorTypeOf(agency)!.sector, role, subgraphs: subgraphs ?? [] };
}

let hub: TestHub;
/** Sends an operation to the gateway as the holder of `token` (anonymous without one). */
let as: (token: string | undefined, query: string, variables?: Record<string, unknown>) => Promise<GraphQLResponse>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  hub = await startTestHub();
  as = (token, query, variables) => graphql(hub.gatewayUrl, query, variables, token ? { authorization: `Bearer ${token}` } : {});
  tokens.peopleCentre = await mintToken(identity(FACT.nakhonPeopleCentre));
  tokens.networks = await mintToken(identity(FACT.nakhonCommunityNetworks));
  tokens.government = await mintToken(identity(nakhonGovernment));
  tokens.national = await mintToken(identity(FACT.nationalPeopleCentre));
  tokens.viewer = await mintToken(identity(FACT.nakhonPeopleCentre, Role.VIEWER));
  tokens.peopleAdmin = await mintToken({ ...identity(FACT.nationalPeopleCentre, Role.ADMIN), subgraphs: ['people'] });
});
afterAll(async () => {
  await hub?.stop();
});

const codeOf = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.code;

const ORGANIZATION = `query ($id: ID!) { peopleOrganization(id: $id) { id name nameEn version archivedAt } }`;
const organization = async (id: string) => (await as(undefined, ORGANIZATION, { id })).data!.peopleOrganization;

const UPDATE = `mutation ($id: ID!, $version: Int!, $input: UpdatePeopleOrganizationInput!) {
  updatePeopleOrganization(id: $id, expectedVersion: $version, input: $input) { id name nameEn version }
}`;

/** The audit trail of one subgraph, read straight from its table: what the API must never be able to hide. */
async function trailOf(subgraph: string, recordId: string) {
  return hub.em(subgraph).find(AuditEntry, { recordId }, { orderBy: { seq: 'asc' } });
}

describe('anonymous readers', () => {
  it('read public fields, and get UNAUTHENTICATED on contact details alone, with the rest of the answer', async () => {
    const response = await as(undefined, `{ peopleOrganization(id: "${FACT.nakhonPeopleCentre}") { id name contact { email } } }`);
    expect(response.data.peopleOrganization).toMatchObject({ id: FACT.nakhonPeopleCentre, contact: null });
    expect(response.data.peopleOrganization.name).toContain('นครศรีธรรมราช');
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]).toMatchObject({ path: ['peopleOrganization', 'contact'], extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('cannot read a history or write anything', async () => {
    const history = await as(undefined, `{ peopleOrganization(id: "${FACT.nakhonPeopleCentre}") { history { totalCount } } }`);
    expect(codeOf(history)).toBe('UNAUTHENTICATED');
    const before = await organization(FACT.nakhonPeopleCentre);
    const update = await as(undefined, UPDATE, { id: FACT.nakhonPeopleCentre, version: before.version, input: { nameEn: 'changed' } });
    expect(codeOf(update)).toBe('UNAUTHENTICATED');
    expect(await organization(FACT.nakhonPeopleCentre)).toEqual(before);
  });
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
    expect(codeOf(body)).toBe('UNAUTHENTICATED');
    return body.errors![0]!.message;
  }

  it('a forged token (signed with another key) is refused', async () => {
    const forged = await mintToken(identity(FACT.nakhonPeopleCentre, Role.ADMIN), { secret: new TextEncoder().encode('x'.repeat(40)) });
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
    expect(await refused(`Bearer ${await mintToken(identity(FACT.nakhonPeopleCentre), { audience: 'another-api' })}`)).toMatch(/aud/);
    const wrongSector = await mintToken({ ...identity(FACT.nakhonPeopleCentre), sector: 'GOVERNMENT' });
    expect(await refused(`Bearer ${wrongSector}`)).toMatch(/sector/);
    expect(await refused('Basic dXNlcjpwYXNz')).toMatch(/Bearer/);
  });

  it('production needs real secrets: the parts refuse to start on the development ones', () => {
    const production = { NODE_ENV: 'production' };
    expect(() => authFromEnv(production)).toThrow(/HUB_JWKS_URL/);
    expect(() => authFromEnv({ ...production, HUB_JWT_SECRET: 'short' })).toThrow(/32 bytes/);
    expect(() => authFromEnv({ ...production, HUB_JWKS_URL: 'ftp://keys' })).toThrow(/http/);
    expect(authFromEnv({ ...production, HUB_JWKS_URL: 'https://id.example.org/.well-known/jwks.json' }).jwksUrl?.host).toBe('id.example.org');
    expect(() => internalSecret(production)).toThrow(/HUB_INTERNAL_SECRET/);
    expect(() => internalSecret({ ...production, HUB_INTERNAL_SECRET: 'short' })).toThrow(/32 bytes/);
  });

  it('a direct call to a subgraph is refused, without the gateway\'s header or with a forged one', async () => {
    for (const subgraph of hub.subgraphs) {
      const bare = await fetch(subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
      expect(bare.status).toBe(401);
      expect(codeOf((await bare.json()) as GraphQLResponse)).toBe('UNAUTHENTICATED');
      const forged = await signInternalIdentity(identity(FACT.nakhonPeopleCentre, Role.ADMIN, [subgraph.name]), new TextEncoder().encode('y'.repeat(40)));
      const response = await graphql(subgraph.url, '{ __typename }', {}, { [INTERNAL_IDENTITY_HEADER]: forged });
      expect(codeOf(response)).toBe('UNAUTHENTICATED');
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
    const gateway = createGateway({
      supergraph: { path: SCHEMA_DIR + 'supergraph.graphql', watch: false },
      subgraphUrls: Object.fromEntries(hub.subgraphs.map((s) => [s.name, s.url])),
      auth: {
        jwksUrl: new URL(`http://127.0.0.1:${(keyServer.address() as AddressInfo).port}/.well-known/jwks.json`),
        issuer: 'https://id.example.org',
        audience: 'anti-poverty-hub',
      },
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
      expect(codeOf(forged)).toBe('UNAUTHENTICATED');
      // A development token (HS256, shared secret) is no use against a key set.
      expect(codeOf(await graphql(served.url, query, {}, { authorization: `Bearer ${tokens.viewer}` }))).toBe('UNAUTHENTICATED');
    } finally {
      await served.close();
      keyServer.close();
    }
  });
});

describe('npm run token', () => {
  it('mints a token the gateway accepts, and a header a subgraph accepts, and says what is wrong with bad arguments', async () => {
    const token = await tokenFromArgs(['--agency', FACT.nakhonPeopleCentre, '--role', 'viewer']);
    const read = await as(token, `{ peopleOrganization(id: "${FACT.nakhonPeopleCentre}") { contact { email } } }`);
    expect(read.errors).toBeUndefined();

    const header = await tokenFromArgs(['--internal']);
    const people = hub.subgraphs.find((s) => s.name === 'people')!;
    const direct = await graphql(people.url, `{ peopleOrganization(id: "${FACT.nakhonPeopleCentre}") { id } }`, {}, { [INTERNAL_IDENTITY_HEADER]: header });
    expect(direct.data).toEqual({ peopleOrganization: { id: FACT.nakhonPeopleCentre } });

    await expect(tokenFromArgs(['--agency', 'nobody'])).rejects.toThrow(/actor id/);
    await expect(tokenFromArgs(['--agency', FACT.nakhonPeopleCentre, '--role', 'owner'])).rejects.toThrow(/viewer, editor, admin/);
    await expect(tokenFromArgs(['--agency', FACT.nakhonPeopleCentre, '--colour', 'red'])).rejects.toThrow(/colour/);
  });
});

describe('an editor of one agency', () => {
  it('changes its own record; the change, its author and the values before and after show in the history', async () => {
    const before = await organization(FACT.nakhonPeopleCentre);
    const updated = await as(tokens.peopleCentre, UPDATE, {
      id: FACT.nakhonPeopleCentre,
      version: before.version,
      input: { nameEn: "Nakhon Si Thammarat People's Centre", contact: { person: 'คุณสมศรี', email: 'centre@example.org' } },
    });
    expect(updated.errors).toBeUndefined();
    expect(updated.data.updatePeopleOrganization).toMatchObject({ nameEn: "Nakhon Si Thammarat People's Centre", version: before.version + 1, name: before.name });

    const read = await as(
      tokens.viewer,
      `{ peopleOrganization(id: "${FACT.nakhonPeopleCentre}") { contact { person email } history { totalCount nodes { action recordType recordId user agency role before after } } } }`,
    );
    expect(read.errors).toBeUndefined();
    const { contact, history } = read.data.peopleOrganization;
    expect(contact).toEqual({ person: 'คุณสมศรี', email: 'centre@example.org' });
    expect(history.totalCount).toBe(1);
    expect(history.nodes[0]).toMatchObject({
      action: 'UPDATE',
      recordType: 'PeopleOrganization',
      recordId: FACT.nakhonPeopleCentre,
      user: `editor@${FACT.nakhonPeopleCentre}`,
      agency: FACT.nakhonPeopleCentre,
      role: 'editor',
      before: { nameEn: before.nameEn, version: before.version, contact: null },
      after: { nameEn: "Nakhon Si Thammarat People's Centre", version: before.version + 1 },
    });
  });

  it("is refused another agency's record, which stays as it was, with nothing in its history", async () => {
    const before = await organization(FACT.nationalPeopleCentre);
    const response = await as(tokens.peopleCentre, UPDATE, { id: FACT.nationalPeopleCentre, version: before.version, input: { nameEn: 'taken over' } });
    expect(codeOf(response)).toBe('FORBIDDEN');
    expect(response.errors![0]!.message).toMatch(/Only editors of peo_national_centre/);
    expect(await organization(FACT.nationalPeopleCentre)).toEqual(before);
    expect(await trailOf('people', FACT.nationalPeopleCentre)).toHaveLength(0);
  });

  it('as a viewer, reads but may not write', async () => {
    const before = await organization(FACT.nakhonPeopleCentre);
    const response = await as(tokens.viewer, UPDATE, { id: FACT.nakhonPeopleCentre, version: before.version, input: { nameEn: 'x' } });
    expect(codeOf(response)).toBe('FORBIDDEN');
    expect(await organization(FACT.nakhonPeopleCentre)).toEqual(before);
  });

  it('gets BAD_USER_INPUT naming each bad field, and nothing is written', async () => {
    const before = await organization(FACT.nakhonPeopleCentre);
    const trail = (await trailOf('people', FACT.nakhonPeopleCentre)).length;
    const response = await as(tokens.peopleCentre, UPDATE, {
      id: FACT.nakhonPeopleCentre,
      version: before.version,
      input: { name: '   ', provinceCode: 'TH-99', contact: { email: 'not an address' } },
    });
    expect(codeOf(response)).toBe('BAD_USER_INPUT');
    const fields = (response.errors![0]!.extensions!.fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['contact.email', 'name', 'provinceCode']);
    expect(response.errors![0]!.message).toMatch(/name must not be blank/);
    expect(await organization(FACT.nakhonPeopleCentre)).toEqual(before);
    expect(await trailOf('people', FACT.nakhonPeopleCentre)).toHaveLength(trail);
  });

  it('archives its record: it stays readable by id, marked archived, changes no more, and leaves lists and counts', async () => {
    const LISTED = `{ province(code: "TH-80") { peopleOrganizations(first: 500) { totalCount nodes { id } } peopleStats { total } }
      peopleOrganizations(provinceCode: "TH-80", first: 500) { totalCount nodes { id } } }`;
    const listed = async () => {
      const { province, peopleOrganizations } = (await as(undefined, LISTED)).data;
      return {
        inProvince: province.peopleOrganizations.nodes.map((n: { id: string }) => n.id) as string[],
        counts: [province.peopleOrganizations.totalCount, province.peopleStats.total, peopleOrganizations.totalCount],
        inList: peopleOrganizations.nodes.map((n: { id: string }) => n.id) as string[],
      };
    };
    const before = await listed();
    const created = await as(tokens.peopleAdmin, `mutation { createPeopleOrganization(input: { name: "กลุ่มออมทรัพย์ทดสอบ", kind: COMMUNITY_ORGANISATION, provinceCode: "TH-80" }) { id version } }`);
    expect(created.errors).toBeUndefined();
    const { id, version } = created.data.createPeopleOrganization;
    const whileInUse = await listed();
    expect(whileInUse.inProvince).toContain(id);
    expect(whileInUse.inList).toContain(id);
    expect(whileInUse.counts).toEqual(before.counts.map((n) => n + 1));
    const ownerToken = await mintToken(identity(id));
    const archived = await as(ownerToken, `mutation ($id: ID!, $v: Int!) { archivePeopleOrganization(id: $id, expectedVersion: $v) { archivedAt version } }`, { id, v: version });
    expect(archived.errors).toBeUndefined();
    expect(archived.data.archivePeopleOrganization.archivedAt).toBeTruthy();
    const again = await as(ownerToken, UPDATE, { id, version: version + 1, input: { nameEn: 'x' } });
    expect(codeOf(again)).toBe('CONFLICT');
    expect((await organization(id)).archivedAt).toBeTruthy();
    expect((await trailOf('people', id)).map((e) => e.action)).toEqual(['CREATE', 'ARCHIVE']);
    expect(await listed()).toEqual(before);
  });
});

describe('concurrent edits', () => {
  it('of one record from the same reading: one succeeds, the other gets CONFLICT, and only one change is recorded', async () => {
    const before = await organization(FACT.nakhonCommunityNetworks);
    const trail = (await trailOf('people', FACT.nakhonCommunityNetworks)).length;
    const edits = await Promise.all(
      ['first', 'second', 'third'].map((nameEn) =>
        as(tokens.networks, UPDATE, { id: FACT.nakhonCommunityNetworks, version: before.version, input: { nameEn } }),
      ),
    );
    const succeeded = edits.filter((r) => !r.errors);
    const conflicts = edits.filter((r) => codeOf(r) === 'CONFLICT');
    expect(succeeded).toHaveLength(1);
    expect(conflicts).toHaveLength(2);
    const after = await organization(FACT.nakhonCommunityNetworks);
    expect(after.version).toBe(before.version + 1);
    expect(after.nameEn).toBe(succeeded[0]!.data.updatePeopleOrganization.nameEn);
    expect(await trailOf('people', FACT.nakhonCommunityNetworks)).toHaveLength(trail + 1);
  });
});

describe('initiatives', () => {
  const PARTICIPANTS = `query ($id: ID!) { initiative(id: $id) { version participants { nodes { id role lead version actor { id } } } } }`;
  const participants = async (id: string) => (await as(undefined, PARTICIPANTS, { id })).data.initiative.participants.nodes as { id: string; role: string; lead: boolean; version: number; actor: { id: string } }[];

  it('an editor creates one and leads it; only its leads manage it; others join only on their own behalf or when a lead adds them', async () => {
    const created = await as(
      tokens.peopleCentre,
      `mutation { createInitiative(input: { title: "ตลาดนัดชุมชน", themes: [PRODUCTION], provinceCodes: ["TH-80"], startDate: "2026-12-01" }) { id version status } }`,
    );
    expect(created.errors).toBeUndefined();
    const { id, version } = created.data.createInitiative;
    expect(created.data.createInitiative.status).toBe('PIPELINE');
    expect(await participants(id)).toMatchObject([{ actor: { id: FACT.nakhonPeopleCentre }, lead: true, role: 'IMPLEMENTING' }]);

    const UPDATE_INITIATIVE = `mutation ($id: ID!, $v: Int!, $input: UpdateInitiativeInput!) { updateInitiative(id: $id, expectedVersion: $v, input: $input) { version status } }`;
    expect(codeOf(await as(tokens.government, UPDATE_INITIATIVE, { id, v: version, input: { status: 'IMPLEMENTATION' } }))).toBe('FORBIDDEN');
    const byLead = await as(tokens.peopleCentre, UPDATE_INITIATIVE, { id, v: version, input: { status: 'IMPLEMENTATION' } });
    expect(byLead.data.updateInitiative).toEqual({ version: version + 1, status: 'IMPLEMENTATION' });

    const JOIN = `mutation ($input: JoinInitiativeInput!) { joinInitiative(input: $input) { id role lead version actor { id } } }`;
    const joined = await as(tokens.government, JOIN, { input: { initiativeId: id, role: 'FUNDING' } });
    expect(joined.data.joinInitiative).toMatchObject({ role: 'FUNDING', lead: false, actor: { id: nakhonGovernment } });
    // The government centre is not a lead: it may not add a third actor, nor make itself a lead.
    expect(codeOf(await as(tokens.government, JOIN, { input: { initiativeId: id, actorId: FACT.nakhonCommunityNetworks, role: 'IMPLEMENTING' } }))).toBe('FORBIDDEN');
    expect(codeOf(await as(tokens.government, JOIN, { input: { initiativeId: id, role: 'ACCOUNTABLE', lead: true } }))).toBe('FORBIDDEN');
    // The lead may add it; joining twice in one role is a CONFLICT.
    const added = await as(tokens.peopleCentre, JOIN, { input: { initiativeId: id, actorId: FACT.nakhonCommunityNetworks, role: 'IMPLEMENTING' } });
    expect(added.errors).toBeUndefined();
    expect(codeOf(await as(tokens.networks, JOIN, { input: { initiativeId: id, role: 'IMPLEMENTING' } }))).toBe('CONFLICT');
    expect((await participants(id)).map((p) => p.actor.id).sort()).toEqual([nakhonGovernment, FACT.nakhonCommunityNetworks, FACT.nakhonPeopleCentre].sort());

    // An actor leaves on its own; another actor may not make it leave.
    const LEAVE = `mutation ($id: ID!, $v: Int!) { leaveInitiative(participationId: $id, expectedVersion: $v) { archivedAt } }`;
    const government = joined.data.joinInitiative;
    expect(codeOf(await as(tokens.networks, LEAVE, { id: government.id, v: government.version }))).toBe('FORBIDDEN');
    expect((await as(tokens.government, LEAVE, { id: government.id, v: government.version })).data.leaveInitiative.archivedAt).toBeTruthy();
    expect((await participants(id)).map((p) => p.actor.id)).not.toContain(nakhonGovernment);
    const actorInitiatives = await as(undefined, `{ actor(id: "${nakhonGovernment}") { initiatives { nodes { id } } } }`);
    expect(actorInitiatives.data.actor.initiatives.nodes.map((i: { id: string }) => i.id)).not.toContain(id);

    const trail = await trailOf('initiatives', id);
    expect(trail.map((e) => [e.action, e.agency])).toEqual([
      ['CREATE', FACT.nakhonPeopleCentre],
      ['UPDATE', FACT.nakhonPeopleCentre],
    ]);
  });

  it('links: editors of either end add and end them; others may not', async () => {
    const ADD = `mutation ($input: AddLinkInput!) { addLink(input: $input) { id type version endDate source { id } target { id } } }`;
    const input = { type: 'COUNTERPART', sourceId: FACT.nationalPeopleCentre, targetId: FACT.nakhonCommunityNetworks, startDate: '2026-01-01' };
    expect(codeOf(await as(tokens.government, ADD, { input }))).toBe('FORBIDDEN');
    expect(codeOf(await as(tokens.national, ADD, { input: { ...input, targetId: FACT.nationalPeopleCentre } }))).toBe('BAD_USER_INPUT');
    const added = await as(tokens.national, ADD, { input });
    expect(added.errors).toBeUndefined();
    expect(added.data.addLink).toMatchObject({ type: 'COUNTERPART', endDate: null, source: { id: FACT.nationalPeopleCentre }, target: { id: FACT.nakhonCommunityNetworks } });
    expect(codeOf(await as(tokens.networks, ADD, { input }))).toBe('CONFLICT');

    const END = `mutation ($id: ID!, $v: Int!, $end: LocalDate) { endLink(id: $id, expectedVersion: $v, endDate: $end) { endDate version } }`;
    const { id, version } = added.data.addLink;
    expect(codeOf(await as(tokens.networks, END, { id, v: version, end: '2025-12-31' }))).toBe('BAD_USER_INPUT');
    expect((await as(tokens.networks, END, { id, v: version, end: '2026-06-30' })).data.endLink).toEqual({ endDate: '2026-06-30', version: version + 1 });
  });
});

describe('each owner subgraph', () => {
  it('government: a centre changes its own record, not another centre\'s; an admin of another subgraph may not either', async () => {
    const CENTRE = `query ($id: ID!) { governmentCentre(id: $id) { version nameEn } }`;
    const UPDATE_CENTRE = `mutation ($id: ID!, $v: Int!, $nameEn: String) { updateGovernmentCentre(id: $id, expectedVersion: $v, input: { nameEn: $nameEn }) { version nameEn } }`;
    const own = (await as(undefined, CENTRE, { id: nakhonGovernment })).data.governmentCentre;
    const changed = await as(tokens.government, UPDATE_CENTRE, { id: nakhonGovernment, v: own.version, nameEn: 'Nakhon Si Thammarat Provincial Centre' });
    expect(changed.data.updateGovernmentCentre).toEqual({ version: own.version + 1, nameEn: 'Nakhon Si Thammarat Provincial Centre' });

    const national = (await as(undefined, CENTRE, { id: FACT.nationalGovernmentCentre })).data.governmentCentre;
    for (const token of [tokens.government, tokens.peopleAdmin]) {
      const refused = await as(token, UPDATE_CENTRE, { id: FACT.nationalGovernmentCentre, v: national.version, nameEn: 'x' });
      expect(codeOf(refused)).toBe('FORBIDDEN');
    }
    expect((await as(undefined, CENTRE, { id: FACT.nationalGovernmentCentre })).data.governmentCentre).toEqual(national);
    expect((await trailOf('government', nakhonGovernment)).map((e) => e.user)).toEqual([`editor@${nakhonGovernment}`]);
  });

  it('partners: admins register a partner; its editors record its contributions; other partners may not', async () => {
    const partnersAdmin = await mintToken({ ...identity(FACT.nationalGovernmentCentre, Role.ADMIN), subgraphs: ['partners'] });
    const REGISTER = `mutation ($name: String!) { createPrivatePartner(input: { name: $name, kind: FOUNDATION, provinceCode: "TH-80" }) { id } }`;
    expect(codeOf(await as(tokens.government, REGISTER, { name: 'มูลนิธิทดสอบ' }))).toBe('FORBIDDEN');
    const first = (await as(partnersAdmin, REGISTER, { name: 'มูลนิธิทดสอบ' })).data.createPrivatePartner.id;
    const second = (await as(partnersAdmin, REGISTER, { name: 'มูลนิธิอื่น' })).data.createPrivatePartner.id;

    const CONTRIBUTE = `mutation ($partnerId: ID!) { addContribution(input: { partnerId: $partnerId, kind: FUNDING, description: "ทุนตั้งต้นกลุ่มออมทรัพย์", amountThb: 50000 }) { id amountThb partner { id } } }`;
    const added = await as(await mintToken(identity(first)), CONTRIBUTE, { partnerId: first });
    expect(added.data.addContribution).toMatchObject({ amountThb: 50000, partner: { id: first } });
    expect(codeOf(await as(await mintToken(identity(second)), CONTRIBUTE, { partnerId: first }))).toBe('FORBIDDEN');
    const negative = await as(await mintToken(identity(first)), CONTRIBUTE.replace('50000', '-1'), { partnerId: first });
    expect(codeOf(negative)).toBe('BAD_USER_INPUT');

    const contributions = await as(undefined, `query ($id: ID!) { privatePartner(id: $id) { contributions { totalCount } } }`, { id: first });
    expect(contributions.data.privatePartner.contributions.totalCount).toBe(1);
  });
});

describe('the audit trail', () => {
  it('is not writable through the API: no mutation touches it', async () => {
    const schema = await as(undefined, '{ __schema { mutationType { fields { name } } } }');
    const mutations = schema.data.__schema.mutationType.fields.map((f: { name: string }) => f.name);
    expect(mutations.length).toBeGreaterThan(10);
    expect(mutations.filter((name: string) => /audit|history|change(?!d)/i.test(name))).toEqual([]);
  });

  it('is append-only in the database itself', async () => {
    const connection = hub.em('people').getConnection();
    await expect(connection.execute('update people.audit_entry set "user" = \'someone else\'')).rejects.toThrow(/append-only/);
    await expect(connection.execute('delete from people.audit_entry')).rejects.toThrow(/append-only/);
  });

  it('records nothing when a mutation fails after it has written: the change and its entry land together or not at all', async () => {
    const subgraph = hub.subgraphs.find((s) => s.name === 'people')!;
    const em = subgraph.orm.em.fork();
    const context = { em, viewer: identity(FACT.nationalPeopleCentre, Role.ADMIN, ['people']), requestId: 'test', subgraph: 'people' } as never;
    const id = 'peo_half_written';
    await expect(
      write(context, 'fail half-way', async (writer) => {
        writer.create(PeopleOrganization, { id, name: 'ครึ่งทาง', kind: 'COMMUNITY_ORGANISATION' } as never);
        await writer.em.flush();
        throw new Error('failed after the first insert');
      }),
    ).rejects.toThrow(/first insert/);
    expect(await hub.em('people').findOne(PeopleOrganization, { id })).toBeNull();
    expect(await trailOf('people', id)).toHaveLength(0);
  });
});
