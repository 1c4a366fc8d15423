import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph, routingUrl, SCHEMA_DIR } from '@hub/scripts/compose';
import { SUBGRAPHS } from '@hub/scripts/subgraphs';
import { startTestHub, type TestHub } from './support/hub.js';

/** Polls until `check` passes or the time is up. */
async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the gateway follows its supergraph file', () => {
  let hub: TestHub;
  let dir: string;
  let file: string;
  const log: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hub-supergraph-'));
    file = join(dir, 'supergraph.graphql');
    await copyFile(SCHEMA_DIR + 'supergraph.graphql', file);
    hub = await startTestHub({ supergraphPath: file, log: (m) => log.push(m) });
  });
  afterAll(async () => {
    await hub?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const roles = () => hub.query(`{ mandatedRoles { ordinal } }`);
  const province = () => hub.query(`{ province(code: "TH-80") { nameEn peopleOrganizations { totalCount } } }`);

  it('keeps serving the old supergraph when the new file does not load, and says why', async () => {
    await writeFile(file, 'this is not a supergraph');
    await eventually(async () => log.some((m) => m.includes('does not load')));
    expect((await roles()).data.mandatedRoles).toHaveLength(4);
  });

  it('switches to a changed supergraph without a restart and without failing a request in flight', async () => {
    // The people subgraph drops Query.mandatedRoles; compose that as its owner would publish it.
    const composed = await composeSupergraph();
    const services = SUBGRAPHS.map((definition) => {
      let sdl = composed.files.get(`${definition.name}.graphql`)!;
      if (definition.name === 'people') sdl = sdl.replace(/\n\s*"""Mandated roles[^"]*"""\n\s*mandatedRoles\([^)]*\): \[MandatedRole!\]( @\w+\([^)]*\))*/, '');
      return { name: definition.name, url: routingUrl(definition), typeDefs: parse(sdl) };
    });
    const next = composeServices(services);
    expect(next.errors).toBeUndefined();
    expect(next.supergraphSdl).not.toContain('mandatedRoles(');

    // Keep clients busy across the switch; every answer must be whole.
    let switching = true;
    const answers: unknown[] = [];
    const client = async () => {
      while (switching || answers.length < 40) answers.push(await province());
    };
    const traffic = Promise.all([client(), client(), client(), client()]);
    await writeFile(file, next.supergraphSdl!);
    await eventually(async () => (await roles()).errors?.[0]?.extensions?.code === 'GRAPHQL_VALIDATION_FAILED');
    switching = false;
    await traffic;

    for (const answer of answers) {
      expect(answer).toEqual({ data: { province: { nameEn: 'Nakhon Si Thammarat', peopleOrganizations: { totalCount: 2 } } } });
    }
    expect(log.some((m) => m.includes('now serving the new one'))).toBe(true);
    expect(await readFile(file, 'utf8')).toBe(next.supergraphSdl);
  });
});
