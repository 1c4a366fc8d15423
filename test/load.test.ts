import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@hub/toolkit/testing';
import { loadWithoutLoss, problemsOf, type LoadOutcome } from '@hub/bench/load';

// The short version of `npm run bench:load`, as a check of correctness, not of
// speed: a few seconds of concurrent reads and writes from a second process,
// then every acknowledged write looked up in the database and the audit trail.
// Nothing here is timed; the figures are the benchmark's.

describe('load without loss', () => {
  let database: TestDatabase;
  let outcome: LoadOutcome;
  const connections = 8;

  beforeAll(async () => {
    database = await createTestDatabase();
    outcome = await loadWithoutLoss({ databaseUrl: database.url, seconds: 3, connections });
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
  });

  it('served reads and writes, with no errors but the CONFLICTs racing updates are meant to get', () => {
    const { byKind } = outcome.report;
    for (const kind of ['readInitiative', 'readProvince', 'createInitiative', 'updateHot'] as const) {
      expect(byKind[kind].responses, kind).toBeGreaterThan(0);
    }
    expect(outcome.unexpectedErrors).toEqual({});
    expect(outcome.report.non2xx + outcome.report.transportErrors + outcome.report.timeouts).toBe(0);
    expect(byKind.updateHot.errorsByCode.CONFLICT ?? 0).toBeGreaterThan(0);
  });

  it('kept every acknowledged write, each audited once, and every accepted update in the record\'s version', () => {
    expect(outcome.report.created.length).toBeGreaterThan(0);
    expect(outcome.lost).toEqual([]);
    expect(outcome.unaudited).toEqual([]);
    expect(outcome.hot.acceptedUpdates).toBeGreaterThan(0);
    expect(outcome.hot.auditedUpdates).toBe(outcome.hot.version - 1);
    expect(problemsOf(outcome, connections)).toEqual([]);
  });
});
