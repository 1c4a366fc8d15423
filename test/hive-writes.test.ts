import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityFor } from '@hub/domain';
import { mintToken, Role } from '@hub/server';
import { AuditEntry } from '@hub/toolkit';
import { errorCodeOf, graphql, type GraphQLResponse } from '@hub/toolkit/testing';
import { tokenFromArgs } from '../scripts/src/token.js';
import { mutationExamples } from './support/examples.js';
import { startHiveGateway, type RunningHiveGateway } from './support/hive.js';
import { startTestHub, type TestHub } from './support/hub.js';

// Writes through Hive Gateway (`npm run gateway:hive`), a standard gateway that
// knows nothing of the hub's users: it forwards the client's Authorization
// header unchanged and adds the deployment's gateway secret, and each subgraph
// verifies the token itself. Every example mutation must work through it for a
// user allowed to make it, be recorded in the audit trail as that user's, and
// be refused, with nothing written, to anyone else.


interface MutationExample {
  file: string;
  source: string;
  /** The arguments of the example's "# Token: npm run -s token -- ..." line. */
  tokenArgs: string[];
  agency: string;
}

// Each example that changes data names the token it needs (see test/examples.test.ts).
const mutations: MutationExample[] = (await mutationExamples()).map(({ file, source, tokenArgs }) => ({
  file,
  source,
  tokenArgs,
  agency: tokenArgs[tokenArgs.indexOf('--agency') + 1] ?? '',
}));
const cases = mutations.map((example) => [example.file, example] as const);

let hub: TestHub;
let hive: RunningHiveGateway;

/** Sends an operation to Hive Gateway with the token given, or none. */
const throughHive = (source: string, token?: string): Promise<GraphQLResponse> =>
  graphql(hive.url, source, {}, token ? { authorization: `Bearer ${token}` } : {});

/** The last audit entry of every subgraph so far: what a write adds comes after it. */
async function auditMarks(): Promise<Map<string, string>> {
  const marks = new Map<string, string>();
  for (const subgraph of hub.subgraphs) {
    const [last] = await hub.em(subgraph.name).find(AuditEntry, {}, { orderBy: { seq: 'desc' }, limit: 1 });
    marks.set(subgraph.name, last?.seq ?? '0');
  }
  return marks;
}

/** The audit entries written since `marks`, in every subgraph. */
async function auditedSince(marks: Map<string, string>): Promise<{ subgraph: string; user: string; agency: string; role: string; action: string }[]> {
  const entries = [];
  for (const subgraph of hub.subgraphs) {
    const added = await hub.em(subgraph.name).find(AuditEntry, { seq: { $gt: marks.get(subgraph.name)! } }, { orderBy: { seq: 'asc' } });
    entries.push(...added.map(({ user, agency, role, action }) => ({ subgraph: subgraph.name, user, agency, role, action })));
  }
  return entries;
}

beforeAll(async () => {
  hub = await startTestHub();
  hive = await startHiveGateway(Object.fromEntries(hub.subgraphs.map((s) => [s.name, s.url])));
});
afterAll(async () => {
  await hive?.stop();
  await hub?.stop();
});

it('has example mutations, each naming the token it needs', () => {
  expect(mutations.length).toBeGreaterThanOrEqual(3);
  for (const { file, agency } of mutations) expect(agency, `${file} names an agency in its "# Token:" line`).toMatch(/^[a-z]+_/);
});

// The refusals run first: had any of them written, the examples below would
// then meet a CONFLICT (a version moved on) or a duplicate instead of success.
describe('Hive Gateway refuses a write to anyone the subgraph does not let make it', () => {
  it.each(cases)('%s without a token: UNAUTHENTICATED, nothing written', async (_file, { source }) => {
    const marks = await auditMarks();
    const answer = await throughHive(source);
    expect(errorCodeOf(answer)).toBe('UNAUTHENTICATED');
    expect(Object.values(answer.data ?? {}).filter((value) => value !== null)).toEqual([]);
    expect(await auditedSince(marks)).toEqual([]);
  });

  it.each(cases)("%s with a viewer's token of the same agency: FORBIDDEN, nothing written", async (_file, { source, agency }) => {
    const marks = await auditMarks();
    const answer = await throughHive(source, await mintToken(identityFor(agency, Role.VIEWER)));
    expect(errorCodeOf(answer)).toBe('FORBIDDEN');
    expect(Object.values(answer.data ?? {}).filter((value) => value !== null)).toEqual([]);
    expect(await auditedSince(marks)).toEqual([]);
  });

  it.each(cases)('%s with a forged token (the right claims, another key): refused by the subgraph, nothing written', async (_file, { source, agency }) => {
    // Hive Gateway passes any token on; the subgraph that owns the record is the one that checks its signature.
    const forged = await mintToken(identityFor(agency, Role.ADMIN, ['people', 'government', 'partners', 'initiatives']), {
      secret: new TextEncoder().encode('a-key-that-is-not-the-deployment-one-0123456789'),
    });
    const marks = await auditMarks();
    const answer = await throughHive(source, forged);
    expect(errorCodeOf(answer)).toBe('UNAUTHENTICATED');
    expect(answer.errors![0]!.message).toMatch(/did not verify/);
    expect(Object.values(answer.data ?? {}).filter((value) => value !== null)).toEqual([]);
    expect(await auditedSince(marks)).toEqual([]);
  });
});

describe('Hive Gateway carries the user behind a write to the subgraph', () => {
  it.each(cases)('%s succeeds with the token it names, and the audit trail names that user', async (file, { source, tokenArgs, agency }) => {
    // The example's own token, for a user named after the example, so the trail can only have learnt the name from this token.
    const user = `hive-writer-${file.replace(/\.graphql$/, '')}`;
    const token = await tokenFromArgs([...tokenArgs, '--user', user]);
    const marks = await auditMarks();
    const answer = await throughHive(source, token);
    expect(answer.errors).toBeUndefined();
    for (const [field, value] of Object.entries(answer.data ?? {})) expect(value, `${field} of ${file}`).not.toBeNull();
    const audited = await auditedSince(marks);
    expect(audited.length).toBeGreaterThan(0);
    const role = tokenArgs[tokenArgs.indexOf('--role') + 1];
    for (const entry of audited) expect(entry).toMatchObject({ user, agency, role });
    // A mutation that reads its record's history back (update-people-centre) sees the same name in its answer.
    const history = Object.values(answer.data ?? {}).flatMap((record) => (record as { history?: { nodes: { user: string }[] } }).history?.nodes ?? []);
    if (history.length) expect(history.at(-1)!.user).toBe(user);
  });
});
