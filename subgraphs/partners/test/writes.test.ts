import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, type Viewer } from '@hub/server';
import { FACT, identityFor, provincialGovernmentCentreId } from '@hub/domain';
import { errorCodeOf, refusedFields, startTestSubgraph, type TestSubgraph } from '@hub/toolkit/testing';
import { partners } from '@hub/partners';

// The partners subgraph's writes, access rules and audit trail, through its own server on
// real PostgreSQL, called as the gateway calls it for each identity.

const viewers = {
  government: identityFor(provincialGovernmentCentreId(FACT.nakhonProvince)),
  partnersAdmin: identityFor(FACT.nationalGovernmentCentre, Role.ADMIN, ['partners']),
};

let subgraph: TestSubgraph;
/** Sends an operation to the subgraph as the gateway would for `viewer` (null: anonymous). */
const as = (viewer: Viewer, query: string, variables?: Record<string, unknown>) => subgraph.query(query, variables, viewer);

beforeAll(async () => {
  subgraph = await startTestSubgraph(partners);
});
afterAll(async () => {
  await subgraph?.stop();
});

describe('private partners and their contributions', () => {
  it('admins register a partner; its editors record its contributions; other partners may not', async () => {
    const REGISTER = `mutation ($name: String!) { createPrivatePartner(input: { name: $name, kind: FOUNDATION, provinceCode: "TH-80" }) { id } }`;
    expect(errorCodeOf(await as(viewers.government, REGISTER, { name: 'มูลนิธิทดสอบ' }))).toBe('FORBIDDEN');
    const first = (await as(viewers.partnersAdmin, REGISTER, { name: 'มูลนิธิทดสอบ' })).data.createPrivatePartner.id;
    const second = (await as(viewers.partnersAdmin, REGISTER, { name: 'มูลนิธิอื่น' })).data.createPrivatePartner.id;

    const CONTRIBUTE = `mutation ($partnerId: ID!) { addContribution(input: { partnerId: $partnerId, kind: FUNDING, description: "ทุนตั้งต้นกลุ่มออมทรัพย์", amountThb: 50000 }) { id amountThb partner { id } } }`;
    const added = await as(identityFor(first), CONTRIBUTE, { partnerId: first });
    expect(added.data.addContribution).toMatchObject({ amountThb: 50000, partner: { id: first } });
    expect(errorCodeOf(await as(identityFor(second), CONTRIBUTE, { partnerId: first }))).toBe('FORBIDDEN');
    const negative = await as(identityFor(first), CONTRIBUTE.replace('50000', '-1'), { partnerId: first });
    expect(errorCodeOf(negative)).toBe('BAD_USER_INPUT');

    const contributions = await as(null, `query ($id: ID!) { privatePartner(id: $id) { contributions { totalCount } } }`, { id: first });
    expect(contributions.data.privatePartner.contributions.totalCount).toBe(1);
  });

  it("keeps each change in the partner's history: who made it, for which agency, and the values before and after", async () => {
    // The stewards register a social enterprise; its own editor then adds its website.
    const registered = await as(
      viewers.partnersAdmin,
      /* GraphQL */ `mutation { createPrivatePartner(input: { name: "วิสาหกิจเพื่อสังคมทดสอบ", kind: SOCIAL_ENTERPRISE }) { id version } }`,
    );
    const { id, version } = registered.data.createPrivatePartner;
    const changed = await as(
      identityFor(id),
      /* GraphQL */ `mutation ($id: ID!, $v: Int!) { updatePrivatePartner(id: $id, expectedVersion: $v, input: { website: "https://example.org" }) { website version } }`,
      { id, v: version },
    );
    expect(changed.data.updatePrivatePartner).toEqual({ website: 'https://example.org', version: version + 1 });

    const HISTORY = /* GraphQL */ `query ($id: ID!) { privatePartner(id: $id) { history { totalCount nodes { action user agency before after } } } }`;
    expect(errorCodeOf(await as(null, HISTORY, { id }))).toBe('UNAUTHENTICATED');
    const { history } = (await as(identityFor(id, Role.VIEWER), HISTORY, { id })).data.privatePartner;
    expect(history.totalCount).toBe(2);
    expect(history.nodes[0]).toMatchObject({ action: 'CREATE', agency: FACT.nationalGovernmentCentre, before: null });
    expect(history.nodes[1]).toMatchObject({
      action: 'UPDATE',
      user: `editor@${id}`,
      agency: id,
      before: { website: null, version },
      after: { website: 'https://example.org', version: version + 1 },
    });
    expect(await subgraph.auditEntries()).toBeGreaterThanOrEqual(2);
  });
});

describe('text in mutation inputs', () => {
  it('refuses a web address with a control character, which an address check alone lets through', async () => {
    // A partner's steward pastes a website with a bell character in it, and a name wrapped in a bidirectional isolate.
    const entries = await subgraph.auditEntries();
    const response = await as(
      viewers.partnersAdmin,
      /* GraphQL */ `mutation ($input: CreatePrivatePartnerInput!) { createPrivatePartner(input: $input) { id } }`,
      { input: { name: '\u2066มูลนิธิชุมชนเข้มแข็ง\u2069', kind: 'FOUNDATION', website: 'https://example.org/a\u0007b' } },
    );
    expect(refusedFields(response)).toEqual(['name', 'website']);
    expect(response.errors![0]!.message).toMatch(/website must be one line of plain text.*U\+0007/);
    expect(await subgraph.auditEntries()).toBe(entries);
  });
});
