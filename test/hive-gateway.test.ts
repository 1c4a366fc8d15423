import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Kind, OperationTypeNode, parse } from 'graphql';
import { ParticipationRole } from '@hub/initiatives';
import { ContributionKind } from '@hub/partners';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContribution, createParticipation, createPrivatePartner } from './support/factories.js';
import { graphql } from '@hub/toolkit/testing';
import { startHiveGateway, type RunningHiveGateway } from './support/hive.js';
import { startTestHub, type TestHub } from './support/hub.js';

// Hive Gateway (MIT) serves the committed supergraph over the same running
// subgraphs as the hub's own gateway, and must answer every example alike:
// users can move to Hive Gateway (or Apollo Router) when one Node process is
// not enough, and their operations keep their answers.

const EXAMPLES_DIR = fileURLToPath(new URL('../examples/', import.meta.url));
const examples = (await readdir(EXAMPLES_DIR)).filter((f) => f.endsWith('.graphql')).sort();

/**
 * Every example must get exactly the hub's answer, with no exception list.
 *
 * Hive Gateway plans here with Hive Router's Rust query planner
 * (@graphql-hive/router-runtime, see support/hive.ts). Its default JS planner
 * (@graphql-tools/federation 4.5.2) cannot plan a selection of `name`, `sector` or
 * `province` through `Actor`: the initiatives subgraph owns the Actor interface and
 * declares those fields `@external` on key-only stubs of every implementation, while
 * their owners (people, government, partners) do not know the interface. That planner
 * stopped seven examples (collaborators, initiatives-by-theme, joint-initiative,
 * neighbourhood, province-network, shortest-path, who-works-with-whom) with
 * "Was not able to find any options for name: This shouldn't have happened."
 * The Rust planner plans them, and they answer as the hub does; so these seven
 * also show that the Rust planner, not the JS one, is the one planning.
 */

describe('Hive Gateway over the committed supergraph', () => {
  let hub: TestHub;
  let hive: RunningHiveGateway;

  beforeAll(async () => {
    hub = await startTestHub();
    // A private partner in TH-80 that funds a joint initiative, so the partner
    // branches of the examples (fragments, contributions, search) resolve something.
    const partner = await createPrivatePartner(hub.em('partners'), {
      name: 'บริษัท นครศรีทดสอบ จำกัด',
      provinceCode: 'TH-80',
      website: 'https://example.test',
    });
    await createContribution(hub.em('partners'), {
      partnerId: partner.id,
      initiativeId: 'ini_km_nakhon',
      kind: ContributionKind.FUNDING,
      amountThb: 250_000,
    });
    await createParticipation(hub.em('initiatives'), {
      initiativeId: 'ini_km_nakhon',
      actorId: partner.id,
      role: ParticipationRole.FUNDING,
    });
    hive = await startHiveGateway(Object.fromEntries(hub.subgraphs.map((s) => [s.name, s.url])));
  });

  afterAll(async () => {
    await hive?.stop();
    await hub?.stop();
  });

  it('has examples to compare', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples)('%s gets the same answer from Hive Gateway as from the hub', async (file) => {
    const source = await readFile(EXAMPLES_DIR + file, 'utf8');
    const operation = parse(source).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    expect(operation).toBeDefined();
    // A mutation would change what the other gateway then reads; compare queries only.
    if (operation!.operation !== OperationTypeNode.QUERY) return;

    const fromHub = await hub.query(source);
    expect(fromHub.errors).toBeUndefined();
    expect(fromHub.data).toBeTruthy();
    const fromHive = await graphql(hive.url, source);
    expect(fromHive).toEqual(fromHub);
  });

  it('sent its subgraph requests to the running subgraphs, not to the committed routing URLs', () => {
    expect(hive.fetched.length).toBeGreaterThan(0);
    expect([...new Set(hive.fetched)].sort()).toEqual(hub.subgraphs.map((s) => s.url).sort());
  });
});
