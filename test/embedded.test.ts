import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHub } from '@hub/scripts/hub';
import { startEmbeddedPostgres } from '@hub/toolkit';
import { createPrivatePartner } from './support/factories.js';
import { graphql } from '@hub/toolkit/testing';

describe('the embedded database (npm start without DATABASE_URL)', () => {
  let dataDir: string | undefined;
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function runHub<T>(dir: string, work: (hub: Awaited<ReturnType<typeof startHub>>) => Promise<T>): Promise<T> {
    const database = await startEmbeddedPostgres({ dataDir: dir });
    const hub = await startHub({ databaseUrl: database.url, port: 0, seed: true });
    try {
      return await work(hub);
    } finally {
      await hub.stop();
      await database.stop();
    }
  }

  it('keeps its data in a folder across a restart, and seeds the facts only once', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hub-pglite-'));
    await runHub(dataDir, async (hub) => {
      const partners = hub.subgraphs.find((s) => s.name === 'partners')!;
      await createPrivatePartner(partners.orm.em.fork(), { id: 'prt_test_survivor', provinceCode: 'TH-80' });
    });

    const answer = await runHub(dataDir, (hub) =>
      graphql(hub.gatewayUrl, /* GraphQL */ `{
        province(code: "TH-80") { partners { nodes { id } } peopleOrganizations { nodes { id } } }
        officialOrders { id }
      }`),
    );
    expect(answer).toEqual({
      data: {
        province: {
          partners: { nodes: [{ id: 'prt_test_survivor' }] },
          peopleOrganizations: { nodes: [{ id: 'peo_th80_centre' }, { id: 'peo_th80_networks' }] },
        },
        officialOrders: [{ id: 'ord_2006_02_28' }],
      },
    });
  });
});
