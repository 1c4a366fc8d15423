import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kind, parse, type FieldDefinitionNode, type ObjectTypeDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, serveGateway } from '@hub/gateway';
import { scaffoldSubgraph } from '@hub/scripts/new-subgraph';
import { mintToken, Role, type Served } from '@hub/server';
import { createTestDatabase, graphql, type TestDatabase } from '@hub/toolkit/testing';
import { deadUrl } from './support/dead-url.js';

const exec = promisify(execFile);

/** Runs a command; when it fails, the error says what it printed. */
async function run(file: string, args: string[], options: { cwd?: string } = {}) {
  try {
    return await exec(file, args, options);
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const WORKSPACES = ['server', 'toolkit', 'domain', 'gateway', 'scripts', 'subgraphs/people', 'subgraphs/government', 'subgraphs/partners', 'subgraphs/initiatives', 'subgraphs/search', 'bench'];

/**
 * A copy of the checkout to scaffold into: sources only, sharing this
 * checkout's installed packages except the hub's own, which point into the copy.
 */
async function copyOfCheckout(): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), 'hub-scaffold-'));
  await cp(ROOT, copy, {
    recursive: true,
    filter: (source) => !/\/(node_modules|dist|\.data|\.git|coverage)(\/|$)|\.tsbuildinfo$/.test(source.slice(ROOT.length - 1)),
  });
  await mkdir(join(copy, 'node_modules', '@hub'), { recursive: true });
  for (const entry of await readdir(join(ROOT, 'node_modules'))) {
    if (entry !== '@hub') await symlink(join(ROOT, 'node_modules', entry), join(copy, 'node_modules', entry));
  }
  // Packages npm could not hoist (other versions than the root's) stay beside their workspace.
  for (const workspace of WORKSPACES) {
    const nested = join(ROOT, workspace, 'node_modules');
    if (existsSync(nested)) await symlink(nested, join(copy, workspace, 'node_modules'));
  }
  return copy;
}

describe('a new agency joins: npm run new:subgraph', () => {
  let copy: string;
  let database: TestDatabase;
  let hub: ChildProcess | undefined;
  let gatewayWithoutWelfare: Served | undefined;

  beforeAll(async () => {
    copy = await copyOfCheckout();
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await gatewayWithoutWelfare?.close();
    hub?.kill('SIGINT');
    await database?.drop();
    if (copy) await rm(copy, { recursive: true, force: true });
  });

  it('creates a subgraph that builds, passes its own test, composes, answers through the gateway, takes writes from a token, and costs only its own fields while down', async () => {
    const node = process.execPath;
    await scaffoldSubgraph(copy, 'welfare', 'Welfare agency');
    // What `npm install` does for a new workspace: link it.
    for (const workspace of [...WORKSPACES, 'subgraphs/welfare']) {
      await symlink(join(copy, workspace), join(copy, 'node_modules', '@hub', workspace.split('/').pop()!));
    }
    await run(node, [join(copy, 'node_modules/typescript/bin/tsc'), '-b'], { cwd: copy });

    const ownTest = await run(node, [join(copy, 'node_modules/vitest/vitest.mjs'), 'run', 'subgraphs/welfare/'], { cwd: copy });
    expect(ownTest.stdout).toMatch(/1 passed/);
    expect(ownTest.stdout).toMatch(/3 passed/);

    const composed = await run(node, ['scripts/dist/compose.js'], { cwd: copy });
    expect(composed.stdout).toContain('wrote schema/welfare.graphql');
    expect(composed.stdout).toContain('wrote schema/supergraph.graphql');

    // What the new agency adds to another owner's type, and what needs a token, is nullable.
    const sdl = parse(await readFile(join(copy, 'schema', 'welfare.graphql'), 'utf8'));
    const fieldOf = (type: string, field: string): FieldDefinitionNode | undefined =>
      sdl.definitions
        .filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === type)
        .flatMap((d) => d.fields ?? [])
        .find((f) => f.name.value === field);
    for (const [type, field] of [['Province', 'welfareRecords'], ['WelfareRecord', 'province'], ['WelfareRecord', 'history']] as const) {
      expect(fieldOf(type, field)?.type.kind, `${type}.${field} in schema/welfare.graphql`).toBe(Kind.NAMED_TYPE);
    }

    const port = 20_000 + Math.floor(Math.random() * 20_000);
    hub = spawn(node, ['scripts/dist/start.js'], { cwd: copy, env: { ...process.env, DATABASE_URL: database.url, PORT: String(port) } });
    const started = await new Promise<string>((resolve, reject) => {
      let output = '';
      hub!.stdout!.on('data', (chunk) => {
        output += chunk;
        if (output.includes('Ctrl-C stops the hub')) resolve(output);
      });
      hub!.on('exit', (code) => reject(new Error(`the hub exited with ${code}: ${output}`)));
    });
    // The hub prints each subgraph and its address.
    const subgraphUrls = Object.fromEntries(
      [...started.matchAll(/^\s+(\w+)\s+http:\/\/localhost(:\d+\/graphql)$/gm)].map(([, name, rest]) => [name!, `http://127.0.0.1${rest!}`]),
    );

    const gateway = `http://127.0.0.1:${port}/graphql`;
    const answer = await graphql(gateway, /* GraphQL */ `{
      welfareRecords { totalCount }
      province(code: "TH-80") { nameEn welfareRecords { totalCount } peopleOrganizations { totalCount } }
    }`);
    expect(answer).toEqual({
      data: {
        welfareRecords: { totalCount: 0 },
        province: { nameEn: 'Nakhon Si Thammarat', welfareRecords: { totalCount: 0 }, peopleOrganizations: { totalCount: 2 } },
      },
    });

    // An editor of the provincial government centre records one through the gateway; an anonymous caller may not.
    const CREATE = /* GraphQL */ `mutation { createWelfareRecord(input: { name: "กองทุนสวัสดิการชุมชน", provinceCode: "TH-80" }) { id ownerId version } }`;
    const refused = await graphql(gateway, CREATE);
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const token = await mintToken({ user: 'editor@gov_th80_centre', agency: 'gov_th80_centre', sector: 'GOVERNMENT', role: Role.EDITOR, subgraphs: [] });
    const signedIn = { authorization: `Bearer ${token}` };
    const created = await graphql(gateway, CREATE, {}, signedIn);
    expect(created.errors).toBeUndefined();
    expect(created.data.createWelfareRecord).toMatchObject({ ownerId: 'gov_th80_centre', version: 1 });
    const { id } = created.data.createWelfareRecord;
    const read = await graphql(
      gateway,
      /* GraphQL */ `query ($id: ID!) {
        welfareRecord(id: $id) { history { nodes { action agency } } }
        province(code: "TH-80") { welfareRecords { nodes { id } } }
      }`,
      { id },
      signedIn,
    );
    expect(read).toEqual({
      data: {
        welfareRecord: { history: { nodes: [{ action: 'CREATE', agency: 'gov_th80_centre' }] } },
        province: { welfareRecords: { nodes: [{ id }] } },
      },
    });

    // While the new agency is down, a province still answers, with only its field null and an error naming it.
    expect(Object.keys(subgraphUrls)).toContain('welfare');
    gatewayWithoutWelfare = await serveGateway(
      createGateway({
        supergraph: { path: join(copy, 'schema', 'supergraph.graphql'), watch: false },
        subgraphUrls: { ...subgraphUrls, welfare: await deadUrl() },
        log: () => {},
      }),
      { port: 0 },
    );
    const withoutWelfare = await graphql(gatewayWithoutWelfare.url, /* GraphQL */ `{
      province(code: "TH-80") { nameEn welfareRecords { totalCount } peopleOrganizations { totalCount } }
    }`);
    expect(withoutWelfare).toEqual({
      data: { province: { nameEn: 'Nakhon Si Thammarat', welfareRecords: null, peopleOrganizations: { totalCount: 2 } } },
      errors: [
        {
          message: 'The welfare subgraph is unavailable; the rest of the answer is complete.',
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'welfare' },
        },
      ],
    });
  }, 240_000);
});
