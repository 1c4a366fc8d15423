import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '@hub/server';
import { FACT, identityFor, provincialGovernmentCentreId } from '@hub/domain';
import { errorCodeOf, refusedFields, startTestSubgraph, type TestSubgraph } from '@hub/toolkit/testing';
import { initiatives } from '@hub/initiatives';

// The initiatives subgraph's writes, access rules and audit trail, through its
// own server on real PostgreSQL, called as the gateway calls it for each identity.

const nakhonGovernment = provincialGovernmentCentreId(FACT.nakhonProvince);

const viewers = {
  peopleCentre: identityFor(FACT.nakhonPeopleCentre),
  networks: identityFor(FACT.nakhonCommunityNetworks),
  government: identityFor(nakhonGovernment),
  national: identityFor(FACT.nationalPeopleCentre),
};

let subgraph: TestSubgraph;
/** Sends an operation to the subgraph as the gateway would for `viewer` (null: anonymous). */
const as = (viewer: Viewer, query: string, variables?: Record<string, unknown>) => subgraph.query(query, variables, viewer);

beforeAll(async () => {
  subgraph = await startTestSubgraph(initiatives);
});
afterAll(async () => {
  await subgraph?.stop();
});

describe('initiatives', () => {
  const PARTICIPANTS = `query ($id: ID!) { initiative(id: $id) { version participants { nodes { id role lead version actor { id } } } } }`;
  const participants = async (id: string) => (await as(null, PARTICIPANTS, { id })).data.initiative.participants.nodes as { id: string; role: string; lead: boolean; version: number; actor: { id: string } }[];

  it('an editor creates one and leads it; only its leads manage it; others join only on their own behalf or when a lead adds them', async () => {
    const created = await as(
      viewers.peopleCentre,
      `mutation { createInitiative(input: { title: "ตลาดนัดชุมชน", themes: [PRODUCTION], provinceCodes: ["TH-80"], startDate: "2026-12-01" }) { id version status } }`,
    );
    expect(created.errors).toBeUndefined();
    const { id, version } = created.data.createInitiative;
    expect(created.data.createInitiative.status).toBe('PIPELINE');
    expect(await participants(id)).toMatchObject([{ actor: { id: FACT.nakhonPeopleCentre }, lead: true, role: 'IMPLEMENTING' }]);

    const UPDATE_INITIATIVE = `mutation ($id: ID!, $v: Int!, $input: UpdateInitiativeInput!) { updateInitiative(id: $id, expectedVersion: $v, input: $input) { version status } }`;
    expect(errorCodeOf(await as(viewers.government, UPDATE_INITIATIVE, { id, v: version, input: { status: 'IMPLEMENTATION' } }))).toBe('FORBIDDEN');
    const byLead = await as(viewers.peopleCentre, UPDATE_INITIATIVE, { id, v: version, input: { status: 'IMPLEMENTATION' } });
    expect(byLead.data.updateInitiative).toEqual({ version: version + 1, status: 'IMPLEMENTATION' });

    const JOIN = `mutation ($input: JoinInitiativeInput!) { joinInitiative(input: $input) { id role lead version actor { id } } }`;
    const joined = await as(viewers.government, JOIN, { input: { initiativeId: id, role: 'FUNDING' } });
    expect(joined.data.joinInitiative).toMatchObject({ role: 'FUNDING', lead: false, actor: { id: nakhonGovernment } });
    // The government centre is not a lead: it may not add a third actor, nor make itself a lead.
    expect(errorCodeOf(await as(viewers.government, JOIN, { input: { initiativeId: id, actorId: FACT.nakhonCommunityNetworks, role: 'IMPLEMENTING' } }))).toBe('FORBIDDEN');
    expect(errorCodeOf(await as(viewers.government, JOIN, { input: { initiativeId: id, role: 'ACCOUNTABLE', lead: true } }))).toBe('FORBIDDEN');
    // The lead may add it; joining twice in one role is a CONFLICT.
    const added = await as(viewers.peopleCentre, JOIN, { input: { initiativeId: id, actorId: FACT.nakhonCommunityNetworks, role: 'IMPLEMENTING' } });
    expect(added.errors).toBeUndefined();
    expect(errorCodeOf(await as(viewers.networks, JOIN, { input: { initiativeId: id, role: 'IMPLEMENTING' } }))).toBe('CONFLICT');
    expect((await participants(id)).map((p) => p.actor.id).sort()).toEqual([nakhonGovernment, FACT.nakhonCommunityNetworks, FACT.nakhonPeopleCentre].sort());

    // An actor leaves on its own; another actor may not make it leave.
    const LEAVE = `mutation ($id: ID!, $v: Int!) { leaveInitiative(participationId: $id, expectedVersion: $v) { archivedAt } }`;
    const government = joined.data.joinInitiative;
    expect(errorCodeOf(await as(viewers.networks, LEAVE, { id: government.id, v: government.version }))).toBe('FORBIDDEN');
    expect((await as(viewers.government, LEAVE, { id: government.id, v: government.version })).data.leaveInitiative.archivedAt).toBeTruthy();
    expect((await participants(id)).map((p) => p.actor.id)).not.toContain(nakhonGovernment);
    const actorInitiatives = await as(null, `{ actor(id: "${nakhonGovernment}") { initiatives { nodes { id } } } }`);
    expect(actorInitiatives.data.actor.initiatives.nodes.map((i: { id: string }) => i.id)).not.toContain(id);

    const trail = await subgraph.trailOf(id);
    expect(trail.map((e) => [e.action, e.agency])).toEqual([
      ['CREATE', FACT.nakhonPeopleCentre],
      ['UPDATE', FACT.nakhonPeopleCentre],
    ]);
  });

  it('links: editors of either end add and end them; others may not', async () => {
    const ADD = `mutation ($input: AddLinkInput!) { addLink(input: $input) { id type version endDate source { id } target { id } } }`;
    const input = { type: 'COUNTERPART', sourceId: FACT.nationalPeopleCentre, targetId: FACT.nakhonCommunityNetworks, startDate: '2026-01-01' };
    expect(errorCodeOf(await as(viewers.government, ADD, { input }))).toBe('FORBIDDEN');
    expect(errorCodeOf(await as(viewers.national, ADD, { input: { ...input, targetId: FACT.nationalPeopleCentre } }))).toBe('BAD_USER_INPUT');
    const added = await as(viewers.national, ADD, { input });
    expect(added.errors).toBeUndefined();
    expect(added.data.addLink).toMatchObject({ type: 'COUNTERPART', endDate: null, source: { id: FACT.nationalPeopleCentre }, target: { id: FACT.nakhonCommunityNetworks } });
    expect(errorCodeOf(await as(viewers.networks, ADD, { input }))).toBe('CONFLICT');

    const END = `mutation ($id: ID!, $v: Int!, $end: LocalDate) { endLink(id: $id, expectedVersion: $v, endDate: $end) { endDate version } }`;
    const { id, version } = added.data.addLink;
    expect(errorCodeOf(await as(viewers.networks, END, { id, v: version, end: '2025-12-31' }))).toBe('BAD_USER_INPUT');
    expect((await as(viewers.networks, END, { id, v: version, end: '2026-06-30' })).data.endLink).toEqual({ endDate: '2026-06-30', version: version + 1 });
  });
});

describe('text in mutation inputs', () => {
  const CREATE_INITIATIVE = /* GraphQL */ `
    mutation ($input: CreateInitiativeInput!) { createInitiative(input: $input) { id title description version } }
  `;
  const INITIATIVE = /* GraphQL */ `
    query ($id: ID!) {
      initiative(id: $id) { id title description version history { totalCount nodes { action } } }
    }
  `;

  it('refuses a title with a right-to-left override (U+202E), and writes nothing', async () => {
    // A title whose letters would display in another order than they are stored, searched and exported.
    const entries = await subgraph.auditEntries();
    const response = await as(viewers.peopleCentre, CREATE_INITIATIVE, { input: { title: 'ตลาดนัด\u202Eชุมชน', description: 'ตลาดนัดทุกวันเสาร์' } });
    expect(response.data.createInitiative).toBeNull();
    expect(refusedFields(response)).toEqual(['title']);
    expect(response.errors![0]!.message).toMatch(/title must be one line of plain text.*U\+202E/);
    expect(await subgraph.auditEntries()).toBe(entries);
  });

  it('accepts a description over several lines, with tabs', async () => {
    // A lead writes what the initiative does as a short list.
    const description = 'สิ่งที่ทำ:\n\t1. ตลาดนัดชุมชน\r\n\t2. ธนาคารข้าว';
    const response = await as(viewers.peopleCentre, CREATE_INITIATIVE, { input: { title: 'ตลาดนัดชุมชน', description } });
    expect(response.errors).toBeUndefined();
    const read = await as(viewers.peopleCentre, INITIATIVE, { id: response.data.createInitiative.id });
    expect(read.data.initiative.description).toBe(description);
    expect(read.data.initiative.history.totalCount).toBe(1);
  });
});
