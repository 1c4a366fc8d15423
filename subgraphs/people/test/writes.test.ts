import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, type Viewer } from '@hub/server';
import { write } from '@hub/toolkit';
import { FACT, identityFor } from '@hub/domain';
import { errorCodeOf, refusedFields, startTestSubgraph, type TestSubgraph } from '@hub/toolkit/testing';
import { people, PeopleOrganization } from '@hub/people';

// The people subgraph's writes, access rules and audit trail, through its own
// server on real PostgreSQL, called as the gateway calls it for each identity.

const viewers = {
  peopleCentre: identityFor(FACT.nakhonPeopleCentre),
  networks: identityFor(FACT.nakhonCommunityNetworks),
  viewer: identityFor(FACT.nakhonPeopleCentre, Role.VIEWER),
  peopleAdmin: identityFor(FACT.nationalPeopleCentre, Role.ADMIN, ['people']),
};

let subgraph: TestSubgraph;
/** Sends an operation to the subgraph as the gateway would for `viewer` (null: anonymous). */
const as = (viewer: Viewer, query: string, variables?: Record<string, unknown>) => subgraph.query(query, variables, viewer);

beforeAll(async () => {
  subgraph = await startTestSubgraph(people);
});
afterAll(async () => {
  await subgraph?.stop();
});

const ORGANIZATION = `query ($id: ID!) { peopleOrganization(id: $id) { id name nameEn version archivedAt } }`;
const organization = async (id: string) => (await as(null, ORGANIZATION, { id })).data!.peopleOrganization;

const UPDATE = `mutation ($id: ID!, $version: Int!, $input: UpdatePeopleOrganizationInput!) {
  updatePeopleOrganization(id: $id, expectedVersion: $version, input: $input) { id name nameEn version }
}`;

describe('anonymous readers', () => {
  it('read public fields, and get UNAUTHENTICATED on contact details alone, with the rest of the answer', async () => {
    const response = await as(null, `{ peopleOrganization(id: "${FACT.nakhonPeopleCentre}") { id name contact { email } } }`);
    expect(response.data.peopleOrganization).toMatchObject({ id: FACT.nakhonPeopleCentre, contact: null });
    expect(response.data.peopleOrganization.name).toContain('นครศรีธรรมราช');
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]).toMatchObject({ path: ['peopleOrganization', 'contact'], extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('cannot read a history or write anything', async () => {
    const history = await as(null, `{ peopleOrganization(id: "${FACT.nakhonPeopleCentre}") { history { totalCount } } }`);
    expect(errorCodeOf(history)).toBe('UNAUTHENTICATED');
    const before = await organization(FACT.nakhonPeopleCentre);
    const update = await as(null, UPDATE, { id: FACT.nakhonPeopleCentre, version: before.version, input: { nameEn: 'changed' } });
    expect(errorCodeOf(update)).toBe('UNAUTHENTICATED');
    expect(await organization(FACT.nakhonPeopleCentre)).toEqual(before);
  });
});

describe('an editor of one agency', () => {
  it('changes its own record; the change, its author and the values before and after show in the history', async () => {
    const before = await organization(FACT.nakhonPeopleCentre);
    const updated = await as(viewers.peopleCentre, UPDATE, {
      id: FACT.nakhonPeopleCentre,
      version: before.version,
      input: { nameEn: "Nakhon Si Thammarat People's Centre", contact: { person: 'คุณสมศรี', email: 'centre@example.org' } },
    });
    expect(updated.errors).toBeUndefined();
    expect(updated.data.updatePeopleOrganization).toMatchObject({ nameEn: "Nakhon Si Thammarat People's Centre", version: before.version + 1, name: before.name });

    const read = await as(
      viewers.viewer,
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
    const response = await as(viewers.peopleCentre, UPDATE, { id: FACT.nationalPeopleCentre, version: before.version, input: { nameEn: 'taken over' } });
    expect(errorCodeOf(response)).toBe('FORBIDDEN');
    expect(response.errors![0]!.message).toMatch(/Only editors of peo_national_centre/);
    expect(await organization(FACT.nationalPeopleCentre)).toEqual(before);
    expect(await subgraph.trailOf(FACT.nationalPeopleCentre)).toHaveLength(0);
  });

  it('as a viewer, reads but may not write', async () => {
    const before = await organization(FACT.nakhonPeopleCentre);
    const response = await as(viewers.viewer, UPDATE, { id: FACT.nakhonPeopleCentre, version: before.version, input: { nameEn: 'x' } });
    expect(errorCodeOf(response)).toBe('FORBIDDEN');
    expect(await organization(FACT.nakhonPeopleCentre)).toEqual(before);
  });

  it('gets BAD_USER_INPUT naming each bad field, and nothing is written', async () => {
    const before = await organization(FACT.nakhonPeopleCentre);
    const trail = (await subgraph.trailOf(FACT.nakhonPeopleCentre)).length;
    const response = await as(viewers.peopleCentre, UPDATE, {
      id: FACT.nakhonPeopleCentre,
      version: before.version,
      input: { name: '   ', provinceCode: 'TH-99', contact: { email: 'not an address' } },
    });
    expect(errorCodeOf(response)).toBe('BAD_USER_INPUT');
    const fields = (response.errors![0]!.extensions!.fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['contact.email', 'name', 'provinceCode']);
    expect(response.errors![0]!.message).toMatch(/name must not be blank/);
    expect(await organization(FACT.nakhonPeopleCentre)).toEqual(before);
    expect(await subgraph.trailOf(FACT.nakhonPeopleCentre)).toHaveLength(trail);
  });

  it('archives its record: it stays readable by id, marked archived, changes no more, and leaves lists and counts', async () => {
    // The province's lists and counts are this subgraph's fields on Province, reached as the gateway reaches them.
    const LISTED = `query ($province: [_Any!]!) {
      _entities(representations: $province) { ... on Province { peopleOrganizations(first: 500) { totalCount nodes { id } } peopleStats { total } } }
      peopleOrganizations(provinceCode: "TH-80", first: 500) { totalCount nodes { id } } }`;
    const listed = async () => {
      const { _entities: [province], peopleOrganizations } = (await as(null, LISTED, { province: [{ __typename: 'Province', code: 'TH-80' }] })).data;
      return {
        inProvince: province.peopleOrganizations.nodes.map((n: { id: string }) => n.id) as string[],
        counts: [province.peopleOrganizations.totalCount, province.peopleStats.total, peopleOrganizations.totalCount],
        inList: peopleOrganizations.nodes.map((n: { id: string }) => n.id) as string[],
      };
    };
    const before = await listed();
    const created = await as(viewers.peopleAdmin, `mutation { createPeopleOrganization(input: { name: "กลุ่มออมทรัพย์ทดสอบ", kind: COMMUNITY_ORGANISATION, provinceCode: "TH-80" }) { id version } }`);
    expect(created.errors).toBeUndefined();
    const { id, version } = created.data.createPeopleOrganization;
    const whileInUse = await listed();
    expect(whileInUse.inProvince).toContain(id);
    expect(whileInUse.inList).toContain(id);
    expect(whileInUse.counts).toEqual(before.counts.map((n) => n + 1));
    const owner = identityFor(id);
    const archived = await as(owner, `mutation ($id: ID!, $v: Int!) { archivePeopleOrganization(id: $id, expectedVersion: $v) { archivedAt version } }`, { id, v: version });
    expect(archived.errors).toBeUndefined();
    expect(archived.data.archivePeopleOrganization.archivedAt).toBeTruthy();
    const again = await as(owner, UPDATE, { id, version: version + 1, input: { nameEn: 'x' } });
    expect(errorCodeOf(again)).toBe('CONFLICT');
    expect((await organization(id)).archivedAt).toBeTruthy();
    expect((await subgraph.trailOf(id)).map((e) => e.action)).toEqual(['CREATE', 'ARCHIVE']);
    expect(await listed()).toEqual(before);
  });
});

describe('concurrent edits', () => {
  it('of one record from the same reading: one succeeds, the other gets CONFLICT, and only one change is recorded', async () => {
    const before = await organization(FACT.nakhonCommunityNetworks);
    const trail = (await subgraph.trailOf(FACT.nakhonCommunityNetworks)).length;
    const edits = await Promise.all(
      ['first', 'second', 'third'].map((nameEn) =>
        as(viewers.networks, UPDATE, { id: FACT.nakhonCommunityNetworks, version: before.version, input: { nameEn } }),
      ),
    );
    const succeeded = edits.filter((r) => !r.errors);
    const conflicts = edits.filter((r) => errorCodeOf(r) === 'CONFLICT');
    expect(succeeded).toHaveLength(1);
    expect(conflicts).toHaveLength(2);
    const after = await organization(FACT.nakhonCommunityNetworks);
    expect(after.version).toBe(before.version + 1);
    expect(after.nameEn).toBe(succeeded[0]!.data.updatePeopleOrganization.nameEn);
    expect(await subgraph.trailOf(FACT.nakhonCommunityNetworks)).toHaveLength(trail + 1);
  });
});

describe('the audit trail', () => {
  it('is append-only in the database itself', async () => {
    const connection = subgraph.em().getConnection();
    await expect(connection.execute('update people.audit_entry set "user" = \'someone else\'')).rejects.toThrow(/append-only/);
    await expect(connection.execute('delete from people.audit_entry')).rejects.toThrow(/append-only/);
  });

  it('records nothing when a mutation fails after it has written: the change and its entry land together or not at all', async () => {
    const em = subgraph.em();
    const context = { em, viewer: identityFor(FACT.nationalPeopleCentre, Role.ADMIN, ['people']), requestId: 'test', subgraph: 'people' } as never;
    const id = 'peo_half_written';
    await expect(
      write(context, 'fail half-way', async (writer) => {
        writer.create(PeopleOrganization, { id, name: 'ครึ่งทาง', kind: 'COMMUNITY_ORGANISATION' } as never);
        await writer.em.flush();
        throw new Error('failed after the first insert');
      }),
    ).rejects.toThrow(/first insert/);
    expect(await subgraph.em().findOne(PeopleOrganization, { id })).toBeNull();
    expect(await subgraph.trailOf(id)).toHaveLength(0);
  });
});

describe('text in mutation inputs', () => {
  const UPDATE_ORGANIZATION = /* GraphQL */ `
    mutation ($id: ID!, $version: Int!, $input: UpdatePeopleOrganizationInput!) {
      updatePeopleOrganization(id: $id, expectedVersion: $version, input: $input) { id name version }
    }
  `;
  const ORGANIZATION_WITH_HISTORY = `query ($id: ID!) { peopleOrganization(id: $id) { id name nameEn version contact { person } history { totalCount } } }`;

  it('refuses a name with a bell character (U+0007), naming every offending field in one BAD_USER_INPUT, and writes nothing', async () => {
    // The people's centre renames itself with a control character pasted in, a tab in its English name and an override in its contact's name.
    const before = await as(viewers.peopleCentre, ORGANIZATION_WITH_HISTORY, { id: FACT.nakhonPeopleCentre });
    const entries = await subgraph.auditEntries();
    const response = await as(viewers.peopleCentre, UPDATE_ORGANIZATION, {
      id: FACT.nakhonPeopleCentre,
      version: before.data.peopleOrganization.version,
      input: { name: 'ศตจ.ปชช.\u0007นครศรีธรรมราช', nameEn: "Nakhon\tPeople's Centre", contact: { person: 'คุณ\u202Eสมศรี' } },
    });
    expect(response.data.updatePeopleOrganization).toBeNull();
    expect(refusedFields(response)).toEqual(['contact.person', 'name', 'nameEn']);
    expect(response.errors![0]!.message).toContain('U+0007');
    expect(response.errors![0]!.message).toContain('U+0009');
    expect(response.errors![0]!.message).toContain('U+202E');
    expect(await as(viewers.peopleCentre, ORGANIZATION_WITH_HISTORY, { id: FACT.nakhonPeopleCentre })).toEqual(before);
    expect(await subgraph.auditEntries()).toBe(entries);
  });

  it('accepts Thai text with ฯ, ๆ, tone marks and sara am, and stores it as sent', async () => {
    // An admin records a women's group whose name uses the abbreviation and repetition marks, tone marks and sara am.
    const name = 'กลุ่มแม่บ้านทำก๋วยเตี๋ยวฯ ชุมชนเล็ก ๆ บ้านน้ำตก โต๊ะจีน';
    const created = await as(
      viewers.peopleAdmin,
      /* GraphQL */ `mutation ($input: CreatePeopleOrganizationInput!) { createPeopleOrganization(input: $input) { id name } }`,
      { input: { name, kind: 'COMMUNITY_ORGANISATION', provinceCode: 'TH-80', contact: { person: 'คุณสมศรี ใจดี' } } },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.createPeopleOrganization.name).toBe(name);
    const read = await as(viewers.peopleCentre, ORGANIZATION_WITH_HISTORY, { id: created.data.createPeopleOrganization.id });
    expect(read.data.peopleOrganization).toMatchObject({ name, contact: { person: 'คุณสมศรี ใจดี' }, history: { totalCount: 1 } });
  });
});
