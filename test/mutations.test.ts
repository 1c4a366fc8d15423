import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mintToken } from '@hub/gateway';
import { Role, type Identity } from '@hub/server';
import { AuditEntry } from '@hub/toolkit';
import { actorTypeOf, FACT, provincialGovernmentCentreId } from '@hub/domain';
import { graphql, type GraphQLResponse } from '@hub/toolkit/testing';
import { startTestHub, type TestHub } from './support/hub.js';

// What a client gets back from an operation with several mutation fields, and
// which text the inputs accept: through the real gateway over HTTP on real
// PostgreSQL, with tokens minted as `npm run token` mints them.

const nakhonGovernment = provincialGovernmentCentreId(FACT.nakhonProvince);

function editorOf(agency: string): Identity {
  return { user: `editor@${agency}`, agency, sector: actorTypeOf(agency)!.sector, role: Role.EDITOR, subgraphs: [] };
}

let hub: TestHub;
/** Sends an operation to the gateway as the holder of `token`. */
let as: (token: string, query: string, variables?: Record<string, unknown>) => Promise<GraphQLResponse>;
const tokens = { peopleCentre: '', government: '', peopleAdmin: '', partnersAdmin: '' };

beforeAll(async () => {
  hub = await startTestHub();
  as = (token, query, variables) => graphql(hub.gatewayUrl, query, variables, { authorization: `Bearer ${token}` });
  tokens.peopleCentre = await mintToken(editorOf(FACT.nakhonPeopleCentre));
  tokens.government = await mintToken(editorOf(nakhonGovernment));
  tokens.peopleAdmin = await mintToken({ ...editorOf(FACT.nationalPeopleCentre), role: Role.ADMIN, subgraphs: ['people'] });
  tokens.partnersAdmin = await mintToken({ ...editorOf(FACT.nationalGovernmentCentre), role: Role.ADMIN, subgraphs: ['partners'] });
});
afterAll(async () => {
  await hub?.stop();
});

/** A title no other test uses, so a search for it finds only what this test wrote. */
const uniqueTitle = (title: string) => `${title} ${randomBytes(4).toString('hex')}`;

/** How many audit entries a subgraph holds, read straight from its table, which the API cannot hide. */
const auditEntries = (subgraph: string) => hub.em(subgraph).count(AuditEntry, {});

/** The fields a BAD_USER_INPUT names, sorted. */
function refusedFields(response: GraphQLResponse): string[] {
  expect(response.errors).toHaveLength(1);
  expect(response.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  return (response.errors![0]!.extensions!.fields as { field: string }[]).map((f) => f.field).sort();
}

const INITIATIVE = /* GraphQL */ `
  query ($id: ID!) {
    initiative(id: $id) { id title description version history { totalCount nodes { action } } }
  }
`;

describe('an operation with several mutations', () => {
  it('answers with each one that committed, and null with an error for the one refused after it', async () => {
    // The government centre leads an initiative; the people's centre creates its own, then tries to retitle the centre's in the same operation.
    const theirs = await as(tokens.government, `mutation { createInitiative(input: { title: "${uniqueTitle('กองทุนสวัสดิการ')}" }) { id version title } }`);
    expect(theirs.errors).toBeUndefined();
    const other = theirs.data.createInitiative;
    const title = uniqueTitle('ธนาคารข้าวชุมชน');

    const response = await as(
      tokens.peopleCentre,
      /* GraphQL */ `
        mutation ($title: String!, $otherId: ID!, $otherVersion: Int!) {
          a: createInitiative(input: { title: $title }) { id title version }
          b: updateInitiative(id: $otherId, expectedVersion: $otherVersion, input: { title: "taken over" }) { id title }
        }
      `,
      { title, otherId: other.id, otherVersion: other.version },
    );

    expect(response.data.a).toMatchObject({ title, version: 1 });
    expect(response.data.a.id).toMatch(/^ini_/);
    expect(response.data.b).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]).toMatchObject({ path: ['b'], extensions: { code: 'FORBIDDEN' } });

    const found = await as(tokens.peopleCentre, `query ($title: String!) { initiatives(search: $title, first: 10) { totalCount nodes { id } } }`, { title });
    expect(found.data.initiatives).toEqual({ totalCount: 1, nodes: [{ id: response.data.a.id }] });
    const created = await as(tokens.peopleCentre, INITIATIVE, { id: response.data.a.id });
    expect(created.data.initiative.history).toEqual({ totalCount: 1, nodes: [{ action: 'CREATE' }] });
    const untouched = await as(tokens.peopleCentre, INITIATIVE, { id: other.id });
    expect(untouched.data.initiative).toMatchObject({ title: other.title, version: other.version, history: { totalCount: 1 } });
  });
});

describe('text in mutation inputs', () => {
  const UPDATE_ORGANIZATION = /* GraphQL */ `
    mutation ($id: ID!, $version: Int!, $input: UpdatePeopleOrganizationInput!) {
      updatePeopleOrganization(id: $id, expectedVersion: $version, input: $input) { id name version }
    }
  `;
  const ORGANIZATION = `query ($id: ID!) { peopleOrganization(id: $id) { id name nameEn version contact { person } history { totalCount } } }`;
  const CREATE_INITIATIVE = /* GraphQL */ `
    mutation ($input: CreateInitiativeInput!) { createInitiative(input: $input) { id title description version } }
  `;

  it('refuses a name with a bell character (U+0007), naming every offending field in one BAD_USER_INPUT, and writes nothing', async () => {
    // The people's centre renames itself with a control character pasted in, a tab in its English name and an override in its contact's name.
    const before = await as(tokens.peopleCentre, ORGANIZATION, { id: FACT.nakhonPeopleCentre });
    const entries = await auditEntries('people');
    const response = await as(tokens.peopleCentre, UPDATE_ORGANIZATION, {
      id: FACT.nakhonPeopleCentre,
      version: before.data.peopleOrganization.version,
      input: { name: 'ศตจ.ปชช.\u0007นครศรีธรรมราช', nameEn: "Nakhon\tPeople's Centre", contact: { person: 'คุณ\u202Eสมศรี' } },
    });
    expect(response.data.updatePeopleOrganization).toBeNull();
    expect(refusedFields(response)).toEqual(['contact.person', 'name', 'nameEn']);
    expect(response.errors![0]!.message).toContain('U+0007');
    expect(response.errors![0]!.message).toContain('U+0009');
    expect(response.errors![0]!.message).toContain('U+202E');
    expect(await as(tokens.peopleCentre, ORGANIZATION, { id: FACT.nakhonPeopleCentre })).toEqual(before);
    expect(await auditEntries('people')).toBe(entries);
  });

  it('refuses a title with a right-to-left override (U+202E), and writes nothing', async () => {
    // A title whose letters would display in another order than they are stored, searched and exported.
    const entries = await auditEntries('initiatives');
    const response = await as(tokens.peopleCentre, CREATE_INITIATIVE, { input: { title: 'ตลาดนัด\u202Eชุมชน', description: 'ตลาดนัดทุกวันเสาร์' } });
    expect(response.data.createInitiative).toBeNull();
    expect(refusedFields(response)).toEqual(['title']);
    expect(response.errors![0]!.message).toMatch(/title must be one line of plain text.*U\+202E/);
    expect(await auditEntries('initiatives')).toBe(entries);
  });

  it('refuses DEL, C1 controls and bidirectional isolates even where line breaks are allowed', async () => {
    // The government centre records an order whose summary, title and English title each carry one.
    const entries = await auditEntries('government');
    const response = await as(
      tokens.government,
      /* GraphQL */ `mutation ($input: CreateOfficialOrderInput!) { createOfficialOrder(input: $input) { id } }`,
      {
        input: {
          title: 'คำสั่ง\u0085ศตจ.จังหวัด',
          titleEn: 'Order \u2067of the provincial centre\u2069',
          summary: 'บรรทัดแรก\nบรรทัดที่สอง\u007F',
          issuedOn: '2026-11-01',
          issuedById: nakhonGovernment,
        },
      },
    );
    expect(refusedFields(response)).toEqual(['summary', 'title', 'titleEn']);
    expect(response.errors![0]!.message).toMatch(/summary must be plain text \(line breaks and tabs allowed\).*U\+007F/);
    expect(await auditEntries('government')).toBe(entries);
  });

  it('refuses a web address with a control character, which an address check alone lets through', async () => {
    // A partner's steward pastes a website with a bell character in it, and a name wrapped in a bidirectional isolate.
    const entries = await auditEntries('partners');
    const response = await as(
      tokens.partnersAdmin,
      /* GraphQL */ `mutation ($input: CreatePrivatePartnerInput!) { createPrivatePartner(input: $input) { id } }`,
      { input: { name: '\u2066มูลนิธิชุมชนเข้มแข็ง\u2069', kind: 'FOUNDATION', website: 'https://example.org/a\u0007b' } },
    );
    expect(refusedFields(response)).toEqual(['name', 'website']);
    expect(response.errors![0]!.message).toMatch(/website must be one line of plain text.*U\+0007/);
    expect(await auditEntries('partners')).toBe(entries);
  });

  it('accepts a description over several lines, with tabs', async () => {
    // A lead writes what the initiative does as a short list.
    const description = 'สิ่งที่ทำ:\n\t1. ตลาดนัดชุมชน\r\n\t2. ธนาคารข้าว';
    const response = await as(tokens.peopleCentre, CREATE_INITIATIVE, { input: { title: uniqueTitle('ตลาดนัดชุมชน'), description } });
    expect(response.errors).toBeUndefined();
    const read = await as(tokens.peopleCentre, INITIATIVE, { id: response.data.createInitiative.id });
    expect(read.data.initiative.description).toBe(description);
    expect(read.data.initiative.history.totalCount).toBe(1);
  });

  it('accepts Thai text with ฯ, ๆ, tone marks and sara am, and stores it as sent', async () => {
    // An admin records a women's group whose name uses the abbreviation and repetition marks, tone marks and sara am.
    const name = 'กลุ่มแม่บ้านทำก๋วยเตี๋ยวฯ ชุมชนเล็ก ๆ บ้านน้ำตก โต๊ะจีน';
    const created = await as(
      tokens.peopleAdmin,
      /* GraphQL */ `mutation ($input: CreatePeopleOrganizationInput!) { createPeopleOrganization(input: $input) { id name } }`,
      { input: { name, kind: 'COMMUNITY_ORGANISATION', provinceCode: 'TH-80', contact: { person: 'คุณสมศรี ใจดี' } } },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.createPeopleOrganization.name).toBe(name);
    const read = await as(tokens.peopleCentre, ORGANIZATION, { id: created.data.createPeopleOrganization.id });
    expect(read.data.peopleOrganization).toMatchObject({ name, contact: { person: 'คุณสมศรี ใจดี' }, history: { totalCount: 1 } });
  });
});
