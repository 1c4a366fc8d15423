import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, type Viewer } from '@hub/server';
import { FACT, identityFor, provincialGovernmentCentreId } from '@hub/domain';
import { errorCodeOf, refusedFields, startTestSubgraph, type TestSubgraph } from '@hub/toolkit/testing';
import { government } from '@hub/government';

// The government subgraph's writes, access rules and audit trail, through its
// own server on real PostgreSQL, called as the gateway calls it for each identity.

const nakhonGovernment = provincialGovernmentCentreId(FACT.nakhonProvince);

const viewers = {
  government: identityFor(nakhonGovernment),
  peopleAdmin: identityFor(FACT.nationalPeopleCentre, Role.ADMIN, ['people']),
};

let subgraph: TestSubgraph;
/** Sends an operation to the subgraph as the gateway would for `viewer` (null: anonymous). */
const as = (viewer: Viewer, query: string, variables?: Record<string, unknown>) => subgraph.query(query, variables, viewer);

beforeAll(async () => {
  subgraph = await startTestSubgraph(government);
});
afterAll(async () => {
  await subgraph?.stop();
});

describe('a government centre', () => {
  it('changes its own record, not another centre\'s; an admin of another subgraph may not either', async () => {
    const CENTRE = `query ($id: ID!) { governmentCentre(id: $id) { version nameEn } }`;
    const UPDATE_CENTRE = `mutation ($id: ID!, $v: Int!, $nameEn: String) { updateGovernmentCentre(id: $id, expectedVersion: $v, input: { nameEn: $nameEn }) { version nameEn } }`;
    const own = (await as(null, CENTRE, { id: nakhonGovernment })).data.governmentCentre;
    const changed = await as(viewers.government, UPDATE_CENTRE, { id: nakhonGovernment, v: own.version, nameEn: 'Nakhon Si Thammarat Provincial Centre' });
    expect(changed.data.updateGovernmentCentre).toEqual({ version: own.version + 1, nameEn: 'Nakhon Si Thammarat Provincial Centre' });

    const national = (await as(null, CENTRE, { id: FACT.nationalGovernmentCentre })).data.governmentCentre;
    for (const viewer of [viewers.government, viewers.peopleAdmin]) {
      const refused = await as(viewer, UPDATE_CENTRE, { id: FACT.nationalGovernmentCentre, v: national.version, nameEn: 'x' });
      expect(errorCodeOf(refused)).toBe('FORBIDDEN');
    }
    expect((await as(null, CENTRE, { id: FACT.nationalGovernmentCentre })).data.governmentCentre).toEqual(national);
    expect((await subgraph.trailOf(nakhonGovernment)).map((e) => e.user)).toEqual([`editor@${nakhonGovernment}`]);
  });
});

describe('text in mutation inputs', () => {
  it('refuses DEL, C1 controls and bidirectional isolates even where line breaks are allowed', async () => {
    // The government centre records an order whose summary, title and English title each carry one.
    const entries = await subgraph.auditEntries();
    const response = await as(
      viewers.government,
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
    expect(await subgraph.auditEntries()).toBe(entries);
  });
});
