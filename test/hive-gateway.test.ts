import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Kind, OperationTypeNode, parse } from 'graphql';
import { ParticipationRole } from '@hub/initiatives';
import { ContributionKind } from '@hub/partners';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContribution, createParticipation, createPrivatePartner } from './support/factories.js';
import { graphql } from '@hub/toolkit/testing';
import { COST_HEADER, DEFAULT_LIMITS } from '@hub/gateway';
import { HOSTILE_OPERATIONS } from '@hub/bench/hostile';
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

describe('Hive Gateway\'s demand control over the committed supergraph', () => {
  // The prices travel in the supergraph: Hive Gateway, given only the budget and the size
  // of a list without @listSize, reads them and refuses the costly shapes the hub refuses.
  // Its estimator (gateway-runtime 2.12) departs from the IBM rules in two ways that the
  // hub follows (docs/demand-control.md): a list whose slicing argument is left out counts
  // 1 rather than its assumedSize, and a field's @cost is added to its type's cost rather
  // than replacing it. So its figures are compared where every page is given, and the
  // default-page shapes are left to the subgraphs' row budget behind it.
  let hub: TestHub;
  let hive: RunningHiveGateway;
  beforeAll(async () => {
    hub = await startTestHub();
    hive = await startHiveGateway(Object.fromEntries(hub.subgraphs.map((s) => [s.name, s.url])), {
      demandControl: { maxCost: DEFAULT_LIMITS.maxCost, listSize: 50, includeExtensionMetadata: true },
    });
  });
  afterAll(async () => {
    await hive?.stop();
    await hub?.stop();
  });

  const costs = async (query: string, variables: Record<string, unknown> = {}) => {
    const fromHub = await graphql(hub.gatewayUrl, query, variables, { [COST_HEADER]: 'true' });
    const fromHive = await graphql(hive.url, query, variables);
    const estimateOf = (answer: typeof fromHub) =>
      ((answer.extensions?.cost ?? answer.errors?.[0]?.extensions?.cost) as { estimated?: number } | undefined)?.estimated;
    return { hub: estimateOf(fromHub), hive: estimateOf(fromHive), hiveCodes: fromHive.errors?.map((e) => e.extensions?.code) };
  };

  it('charges what the hub charges for pages given explicitly, from the supergraph\'s @listSize', async () => {
    for (const first of [1, 10, 37]) {
      const query = `{ initiatives(first: ${first}) { nodes { id title provinces { code } } } peopleOrganizations(first: ${first}) { edges { node { id } } } }`;
      const { hub: fromHub, hive: fromHive } = await costs(query);
      expect(fromHive).toBe(fromHub);
    }
  });

  it.each(examples)('%s is answered by Hive Gateway within the same budget', async (file) => {
    const source = await readFile(EXAMPLES_DIR + file, 'utf8');
    const operation = parse(source).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (operation!.operation !== OperationTypeNode.QUERY) return;
    const { hub: fromHub, hive: fromHive, hiveCodes } = await costs(source);
    expect(fromHub).toBeLessThanOrEqual(DEFAULT_LIMITS.maxCost);
    expect(fromHive).toBeGreaterThan(0);
    expect(hiveCodes).toBeUndefined();
  });

  const explicitPages = ['nested lists, pages from a variable', 'the widest pages', 'aliased shortest paths', 'aliased province networks', 'nested lists behind fragments'];
  it.each(HOSTILE_OPERATIONS.filter((op) => explicitPages.includes(op.name)).map((op) => [op.name, op] as const))(
    'refuses "%s" as the hub does',
    async (_name, op) => {
      const { hiveCodes } = await costs(op.query, op.variables);
      expect(hiveCodes).toEqual(['COST_ESTIMATED_TOO_EXPENSIVE']);
    },
  );
});
