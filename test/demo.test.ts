import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestDemo, generateDemo, planDemo, type DemoResult } from '@hub/scripts/demo';
import { startHub, type RunningHub } from '@hub/scripts/hub';
import { createTestDatabase, graphql, type TestDatabase } from '@hub/toolkit/testing';

describe('the demo-data generator', () => {
  it('plans the same data for the same scale and seed, and other data for another seed', () => {
    expect(digestDemo(planDemo(300))).toBe(digestDemo(planDemo(300)));
    expect(digestDemo(planDemo(300, 7))).not.toBe(digestDemo(planDemo(300)));
  });

  describe('written to a database', () => {
    let database: TestDatabase;
    let first: DemoResult;
    let second: DemoResult;
    let hub: RunningHub;
    const count = async (table: string, where = 'true') => {
      const [row] = await hub.subgraphs[0]!.orm.em.getConnection().execute(`select count(*)::int as n from ${table} where ${where}`);
      return Number(row!.n);
    };

    beforeAll(async () => {
      database = await createTestDatabase();
      first = await generateDemo({ scale: 'tiny' }, database.url);
      second = await generateDemo({ scale: 'tiny' }, database.url);
      hub = await startHub({ databaseUrl: database.url, port: 0, seed: true });
    });
    afterAll(async () => {
      await hub?.stop();
      await database?.drop();
    });

    it('fills all 77 provinces with demo actors of every sector, marked as demo, and replaces them on a rerun', async () => {
      expect(second.digest).toBe(first.digest);
      expect(second.counts).toEqual(first.counts);
      expect(await count('initiatives.participation', 'demo')).toBe(first.counts.participation);
      for (const table of ['people.people_organization', 'government.government_centre', 'partners.private_partner']) {
        expect(await count(table, 'demo and province_code is not null')).toBeGreaterThan(0);
        const [row] = await hub.subgraphs[0]!.orm.em
          .getConnection()
          .execute(`select count(distinct province_code)::int as n from ${table} where demo`);
        expect(Number(row!.n), table).toBe(77);
      }
    });

    it('keeps the seeded facts', async () => {
      expect(await count('government.government_centre', 'not demo')).toBe(79);
      expect(await count('initiatives.initiative', `id = 'ini_km_nakhon'`)).toBe(1);
    });

    it('is served through the gateway: the counts match the tables', async () => {
      const result = await graphql(hub.gatewayUrl, /* GraphQL */ `{
        initiativeStats { total }
        partnerStats { total }
        initiatives(first: 500) { totalCount }
      }`);
      const initiatives = await count('initiatives.initiative');
      expect(result).toEqual({
        data: {
          initiativeStats: { total: initiatives },
          partnerStats: { total: await count('partners.private_partner') },
          initiatives: { totalCount: initiatives },
        },
      });
    });
  });
});
