import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, serveGateway } from '@hub/gateway';
import { SCHEMA_DIR } from '@hub/scripts/compose';
import { claimsOf, DEVELOPMENT_TOKEN_SECRET, mintToken, Role, type Served } from '@hub/server';
import { FACT, identityFor } from '@hub/domain';
import { AuditEntry } from '@hub/toolkit';
import { errorCodeOf, graphql, trustHeadersOf } from '@hub/toolkit/testing';
import { startTestHub, type TestHub } from './support/hub.js';

// What a captured request is worth. A gateway forwards the user's own token
// and the deployment's gateway secret; someone who records such a request on
// the way to a subgraph and sends it again, as it was or with another
// operation, can do no more than the token in it already allowed its user,
// and nothing at all once that token has expired.

const UPDATE = /* GraphQL */ `
  mutation ($id: ID!, $expectedVersion: Int!, $nameEn: String!) {
    updatePeopleOrganization(id: $id, expectedVersion: $expectedVersion, input: { nameEn: $nameEn }) { id nameEn version }
  }
`;
const READ = /* GraphQL */ `
  query ($id: ID!) { peopleOrganization(id: $id) { id version contact { email } } }
`;

let hub: TestHub;
let recorder: Server;
let gateway: Served;
/** What the gateway sent the people subgraph, in order: the headers that carry trust, and the body. */
const captured: { headers: Record<string, string>; body: string }[] = [];
let peopleUrl: string;

beforeAll(async () => {
  hub = await startTestHub();
  peopleUrl = hub.subgraphs.find((s) => s.name === 'people')!.url;
  // On the wire between the gateway and the people subgraph: records every call, then passes it on.
  recorder = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    captured.push({ headers: trustHeadersOf(request.headers as IncomingHttpHeaders), body });
    const answer = await fetch(peopleUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...trustHeadersOf(request.headers) }, body });
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(await answer.text());
  });
  await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
  gateway = await serveGateway(
    createGateway({
      supergraph: { path: SCHEMA_DIR + 'supergraph.graphql', watch: false },
      subgraphUrls: {
        ...Object.fromEntries(hub.subgraphs.map((s) => [s.name, s.url])),
        people: `http://127.0.0.1:${(recorder.address() as AddressInfo).port}/graphql`,
      },
      responseCache: { ttlMs: 0, maxBytes: 0 },
      log: () => {},
    }),
    { port: 0 },
  );
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  recorder?.close();
  await hub?.stop();
});

/** Sends an operation straight to the people subgraph with headers recorded earlier. */
const replay = (headers: Record<string, string>, query: string, variables: Record<string, unknown>) => graphql(peopleUrl, query, variables, headers);
/** The people subgraph's audit entries of a record: a refused write leaves none. */
const trailOf = (recordId: string) => hub.subgraphs.find((s) => s.name === 'people')!.orm.em.fork().count(AuditEntry, { recordId });
/** The headers of the last call the gateway made to the people subgraph. */
async function captureOf(token: string | undefined, query: string, variables: Record<string, unknown>) {
  const before = captured.length;
  const answer = await graphql(gateway.url, query, variables, token ? { authorization: `Bearer ${token}` } : {});
  expect(captured.length).toBeGreaterThan(before);
  return { answer, headers: captured.at(-1)!.headers, body: captured.at(-1)!.body };
}

describe('a captured request replayed to a subgraph', () => {
  it("carries the user's own token and the gateway secret, nothing the gateway vouches for by itself", async () => {
    const token = await mintToken(identityFor(FACT.nakhonPeopleCentre, Role.VIEWER));
    const { headers } = await captureOf(token, READ, { id: FACT.nakhonPeopleCentre });
    expect(Object.keys(headers).sort()).toEqual(['authorization', 'x-hub-gateway-secret']);
    expect(headers.authorization).toBe(`Bearer ${token}`);
  });

  it("an editor's: may do again what the editor may, and nothing to another agency's record", async () => {
    const editor = await mintToken(identityFor(FACT.nakhonPeopleCentre, Role.EDITOR));
    const { version } = (await graphql(gateway.url, READ, { id: FACT.nakhonPeopleCentre })).data.peopleOrganization;
    const { answer, headers, body } = await captureOf(editor, UPDATE, { id: FACT.nakhonPeopleCentre, expectedVersion: version, nameEn: 'Captured once' });
    expect(answer.errors).toBeUndefined();

    // The same request again, word for word: the version it names has passed, so nothing is overwritten.
    const again = await fetch(peopleUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect(errorCodeOf((await again.json()) as never)).toBe('CONFLICT');

    // Another operation on another agency's record, with the captured headers: the token does not allow it.
    const other = FACT.nationalPeopleCentre;
    const otherVersion = (await graphql(gateway.url, READ, { id: other })).data.peopleOrganization.version as number;
    const trail = await trailOf(other);
    const forbidden = await replay(headers, UPDATE, { id: other, expectedVersion: otherVersion, nameEn: 'Taken over' });
    expect(errorCodeOf(forbidden)).toBe('FORBIDDEN');
    expect(await trailOf(other)).toBe(trail);
  });

  it("a viewer's or an anonymous one: reads what they could read, and writes nothing", async () => {
    const viewer = await mintToken(identityFor(FACT.nakhonPeopleCentre, Role.VIEWER));
    const asViewer = await captureOf(viewer, READ, { id: FACT.nakhonPeopleCentre });
    const anonymous = await captureOf(undefined, READ, { id: FACT.nakhonPeopleCentre });
    expect(asViewer.answer.errors).toBeUndefined();
    expect(errorCodeOf(anonymous.answer)).toBe('UNAUTHENTICATED');
    // Replayed, each reads as before: the viewer's contact details, the anonymous caller's refusal.
    expect(await replay(asViewer.headers, READ, { id: FACT.nakhonPeopleCentre })).toEqual({ data: asViewer.answer.data });

    const { version } = asViewer.answer.data.peopleOrganization;
    const trail = await trailOf(FACT.nakhonPeopleCentre);
    const write = { id: FACT.nakhonPeopleCentre, expectedVersion: version, nameEn: 'Replayed' };
    expect(errorCodeOf(await replay(asViewer.headers, UPDATE, write))).toBe('FORBIDDEN');
    expect(errorCodeOf(await replay(anonymous.headers, UPDATE, write))).toBe('UNAUTHENTICATED');
    const read = await replay(anonymous.headers, READ, { id: FACT.nakhonPeopleCentre });
    expect(read.data.peopleOrganization.contact).toBeNull();
    expect(errorCodeOf(read)).toBe('UNAUTHENTICATED');
    expect(await trailOf(FACT.nakhonPeopleCentre)).toBe(trail);
  });

  it('once the token in it has expired, is refused whole', async () => {
    const { headers } = await captureOf(undefined, READ, { id: FACT.nakhonPeopleCentre });
    // A token that was genuine, captured, and has since expired (beyond the clock-skew allowance).
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT(claimsOf(identityFor(FACT.nakhonPeopleCentre, Role.EDITOR)))
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('anti-poverty-hub')
      .setAudience('anti-poverty-hub')
      .setIssuedAt(now - 3_600)
      .setExpirationTime(now - 120)
      .sign(new TextEncoder().encode(DEVELOPMENT_TOKEN_SECRET));
    const response = await fetch(peopleUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers, authorization: `Bearer ${expired}` },
      body: JSON.stringify({ query: READ, variables: { id: FACT.nakhonPeopleCentre } }),
    });
    expect(response.status).toBe(401);
    expect(errorCodeOf((await response.json()) as never)).toBe('UNAUTHENTICATED');
  });
});
