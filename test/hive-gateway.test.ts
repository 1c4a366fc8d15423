import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Kind, OperationTypeNode, parse } from 'graphql';
import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { SCHEMA_DIR } from '@hub/scripts/compose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from './support/hub.js';
import { graphql } from './support/graphql.js';
import { createContribution, createParticipation, createPrivatePartner } from './support/factories.js';
import { ContributionKind } from '@hub/partners';
import { ParticipationRole } from '@hub/initiatives';

// Hive Gateway (MIT) serves the committed supergraph over the same running
// subgraphs as the hub's own gateway, and must answer every example alike:
// users can swap the Node gateway for Hive Gateway (or Apollo Router) when one
// process is not enough, without their operations changing answers.

const EXAMPLES_DIR = fileURLToPath(new URL('../examples/', import.meta.url));
const examples = (await readdir(EXAMPLES_DIR)).filter((f) => f.endsWith('.graphql')).sort();

describe('Hive Gateway over the committed supergraph', () => {
  let hub: TestHub;
  let runtime: GatewayRuntime | undefined;
  let server: Server | undefined;
  let hiveUrl: string;
  /** Every URL Hive Gateway fetched, to prove it went to the running subgraphs and nowhere else. */
  const fetched = new Set<string>();

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

    const subgraphUrls = Object.fromEntries(hub.subgraphs.map((s) => [s.name, s.url]));
    runtime = createGatewayRuntime({
      // The committed file as it is; its routing URLs (http://localhost:400N/graphql)
      // are overridden per subgraph below, as one would in production.
      supergraph: await readFile(SCHEMA_DIR + 'supergraph.graphql', 'utf8'),
      transportEntries: Object.fromEntries(
        Object.entries(subgraphUrls).map(([name, url]) => [name, { location: url }]),
      ),
      plugins: () => [
        {
          onFetch({ url }) {
            fetched.add(url);
          },
        },
      ],
      // Nothing that phones home or serves pages: no usage reporting (none configured),
      // no GraphiQL, no landing page, no logs.
      graphiql: false,
      landingPage: false,
      logging: false,
      maskedErrors: false,
    });
    server = createServer(runtime);
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(0, '127.0.0.1', resolve);
    });
    hiveUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    await runtime?.dispose();
    await hub?.stop();
  });

  it('has examples to compare', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples)('%s gets the same answer from Hive Gateway as from the hub', async (file) => {
    const source = await readFile(EXAMPLES_DIR + file, 'utf8');
    const operation = parse(source).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    expect(operation).toBeDefined();
    // Mutations would change the data the other gateway then reads; compare queries only.
    if (operation!.operation !== OperationTypeNode.QUERY) return;

    const fromHub = await hub.query(source);
    const fromHive = await graphql(hiveUrl, source);
    expect(fromHub.errors).toBeUndefined();
    expect(fromHub.data).toBeTruthy();
    expect(fromHive).toEqual(fromHub);
  });

  it('sent every subgraph request to the running subgraphs, not the committed routing URLs', () => {
    const running = new Set(hub.subgraphs.map((s) => s.url));
    expect(fetched.size).toBeGreaterThan(0);
    for (const url of fetched) expect(running, url).toContain(url);
    // Every subgraph took part in at least one example.
    expect([...fetched].sort()).toEqual([...running].sort());
  });
});
