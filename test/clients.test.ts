import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { composeServices } from '@apollo/composition';
import { generate } from '@graphql-codegen/cli';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseCache } from '@hub/gateway';
import { mintToken, Role } from '@hub/server';
import { FACT, PROVINCES } from '@hub/domain';
import { SCALAR_SPECIFICATIONS } from '@hub/toolkit';
import { routingUrl, SCHEMA_DIR } from '@hub/scripts/compose';
import { SUBGRAPHS } from '@hub/scripts/subgraphs';
import { codegenConfig } from '../codegen.js';
import { startTestHub, type TestHub } from './support/hub.js';

// What clients that nobody here wrote expect of the hub: scalars that say what
// they hold, HTTP answers a browser or CDN may keep, provinces a client cache
// can normalise, a typed client generated from the examples, and a log line
// when the gateway switches supergraphs.

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ARTIFACTS = join(ROOT, 'test/artifacts');
/** Over a second, so max-age is a whole number of seconds: 2. */
const TTL_MS = 2_500;
const PROVINCE = `{ province(code: "${FACT.nakhonProvince}") { code nameEn } }`;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

describe('what clients expect of the hub', () => {
  let hub: TestHub;
  let dir: string;
  let supergraphFile: string;
  let editor: string;
  const log: string[] = [];

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    dir = await mkdtemp(join(ARTIFACTS, 'clients-'));
    supergraphFile = join(dir, 'supergraph.graphql');
    await copyFile(SCHEMA_DIR + 'supergraph.graphql', supergraphFile);
    hub = await startTestHub({ supergraphPath: supergraphFile, log: (message) => log.push(message), responseCache: { ttlMs: TTL_MS, maxBytes: 1_000_000 } });
    editor = await mintToken({ user: 'editor', agency: FACT.nakhonPeopleCentre, sector: 'PEOPLE', role: Role.EDITOR, subgraphs: [] });
  });
  afterAll(async () => {
    await hub?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** A GET as urql or a CDN-fronted dashboard sends it: the preflight header proves it is no cross-site form. */
  const get = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${hub.gatewayUrl}?${new URLSearchParams({ query })}`, { headers: { 'apollo-require-preflight': 'true', ...headers } });
  const post = (query: string, headers: Record<string, string> = {}) =>
    fetch(hub.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });

  describe('custom scalars', () => {
    it('carry @specifiedBy in every subgraph SDL, the supergraph and the gateway introspection', async () => {
      // Each scalar links to the specification of its format, wherever a client or tool reads the schema.
      const files = [...SUBGRAPHS.map((subgraph) => `${subgraph.name}.graphql`), 'supergraph.graphql'];
      for (const file of files) {
        const sdl = await readFile(SCHEMA_DIR + file, 'utf8');
        for (const [scalar, url] of Object.entries(SCALAR_SPECIFICATIONS)) {
          if (!new RegExp(`^scalar ${scalar}\\b`, 'm').test(sdl)) continue;
          expect(sdl, `${file}: ${scalar}`).toMatch(new RegExp(`^scalar ${scalar}\\b[^"]*?@specifiedBy\\(url: "${url.replace(/[.?#]/g, '\\$&')}"\\)`, 'm'));
        }
      }
      const names = Object.keys(SCALAR_SPECIFICATIONS);
      const introspection = await hub.query(`{ ${names.map((name) => `${name}: __type(name: "${name}") { specifiedByURL }`).join(' ')} }`);
      expect(introspection).toEqual({ data: Object.fromEntries(names.map((name) => [name, { specifiedByURL: SCALAR_SPECIFICATIONS[name as keyof typeof SCALAR_SPECIFICATIONS] }])) });
    });
  });

  describe('HTTP caching', () => {
    it('lets browsers and CDNs keep an anonymous GET query answer, public, for the response cache\'s TTL', async () => {
      const response = await get(PROVINCE);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe(`public, max-age=${Math.floor(TTL_MS / 1000)}`);
      // A cache keys the answer by what changes it, so a signed-in request never gets an anonymous answer.
      expect(response.headers.get('vary')?.split(/,\s*/)).toEqual(expect.arrayContaining(['accept', 'authorization']));
      expect(((await response.json()) as any).data.province.code).toBe(FACT.nakhonProvince);
    });

    it('keeps a signed-in answer private and unstored', async () => {
      const response = await get(PROVINCE, { authorization: `Bearer ${editor}` });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('private, no-store');
    });

    it('never lets a POST, a mutation or an answer with errors be kept', async () => {
      const query = await post(PROVINCE);
      expect(query.headers.get('cache-control')).toBe('no-store');
      // A second POST comes from the gateway's own cache: still not for others to keep.
      const hit = await post(PROVINCE);
      expect([hit.headers.get('x-cache'), hit.headers.get('cache-control')]).toEqual(['hit', 'no-store']);

      const mutation = await post(`mutation { archivePeopleOrganization(id: "${FACT.nakhonPeopleCentre}", expectedVersion: 0) { id } }`, { authorization: `Bearer ${editor}` });
      expect(((await mutation.json()) as any).errors?.length).toBeGreaterThan(0);
      expect(mutation.headers.get('cache-control')).toBe('private, no-store');

      // Anonymous, a field that needs a token is null with UNAUTHENTICATED: the answer is partial, so not kept.
      const partial = await get(`{ peopleOrganization(id: "${FACT.nakhonPeopleCentre}") { id contact { email } } }`);
      expect(((await partial.json()) as any).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(partial.headers.get('cache-control')).toBe('no-store');

      const invalid = await get('{ province(code: "TH-80") { noSuchField } }');
      expect([invalid.status, invalid.headers.get('cache-control')]).toEqual([400, 'no-store']);

      const mutationByGet = await get(`mutation { archivePeopleOrganization(id: "${FACT.nakhonPeopleCentre}", expectedVersion: 0) { id } }`);
      expect([mutationByGet.status, mutationByGet.headers.get('cache-control')]).toEqual([405, 'no-store']);

      const withoutPreflight = await fetch(`${hub.gatewayUrl}?${new URLSearchParams({ query: PROVINCE })}`);
      expect([withoutPreflight.status, withoutPreflight.headers.get('cache-control')]).toEqual([400, 'no-store']);
    });

    it('never gives a max-age above the smallest cache hint, and keeps a private hint private', async () => {
      // Apollo's cache hints, on a schema that gives some: the response cache's TTL is one more hint, and the smallest wins.
      const server = new ApolloServer({
        typeDefs: /* GraphQL */ `
          enum CacheControlScope { PUBLIC PRIVATE }
          directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
          type Query {
            daily: String @cacheControl(maxAge: 86400)
            everySecond: String @cacheControl(maxAge: 1)
            mine: String @cacheControl(maxAge: 86400, scope: PRIVATE)
            unhinted: String
          }
        `,
        resolvers: { Query: { daily: () => 'd', everySecond: () => 's', mine: () => 'm', unhinted: () => 'u' } },
        plugins: [ApolloServerPluginCacheControl({ calculateHttpHeaders: false, defaultMaxAge: 3600 }), new ResponseCache({ ttlMs: 5_000, maxBytes: 1_000_000 }).plugin()],
      });
      await server.start();
      const cacheControl = async (query: string) => {
        const answer = await server.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: 'GET', headers: new HeaderMap([['apollo-require-preflight', 'true']]), search: `?${new URLSearchParams({ query })}`, body: undefined },
          context: async () => ({}),
        });
        return answer.headers.get('cache-control');
      };
      try {
        expect(await cacheControl('{ daily }')).toBe('public, max-age=5');
        expect(await cacheControl('{ unhinted }')).toBe('public, max-age=5');
        expect(await cacheControl('{ daily everySecond }')).toBe('public, max-age=1');
        expect(await cacheControl('{ daily mine }')).toBe('private, max-age=5');
      } finally {
        await server.stop();
      }
    });
  });

  describe('Province', () => {
    it('has an id, its code, so client caches normalise it without keyFields', async () => {
      // Every province, asked directly and through another owner's reference, answers id = code.
      const result = await hub.query(`{
        provinces { id code }
        initiative(id: "${FACT.nakhonKnowledgeInitiative}") { provinces { id code } }
      }`);
      expect(result.errors).toBeUndefined();
      const provinces = result.data.provinces as { id: string; code: string }[];
      expect(provinces.map((province) => province.code)).toEqual(PROVINCES.map((province) => province.code).sort());
      expect(provinces.filter((province) => province.id !== province.code)).toEqual([]);
      expect(result.data.initiative.provinces).toContainEqual({ id: FACT.nakhonProvince, code: FACT.nakhonProvince });
    });
  });

  describe('a typed client generated with @graphql-codegen from the examples', () => {
    const run = promisify(execFile);
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    /** The compiled client, as the test calls it (its own types were checked by the strict compile). */
    let client: {
      hubClient(options: { url: string; token?: string }): object;
      provinceCard(client: object, code: string): Promise<unknown>;
      updateCentre(client: object, id: string, expectedVersion: number): Promise<{ version: number; changedAt: Date; before: Record<string, unknown> | null } | null>;
    };

    it('compiles strictly, with every custom scalar typed as what the gateway sends, never unknown', async () => {
      // As `npm run codegen` does, into a directory of the test's own; then the client beside it, and a probe of the scalars' types.
      const clientDir = join(dir, 'client');
      await generate(codegenConfig(join(clientDir, 'generated/')), true);
      for (const file of await readdir(join(ROOT, 'examples/client'))) {
        if (file.endsWith('.ts') || file === 'tsconfig.json') await copyFile(join(ROOT, 'examples/client', file), join(clientDir, file));
      }
      await writeFile(join(clientDir, 'scalars.ts'), SCALAR_PROBE);
      const compiled = await run(process.execPath, [tsc, '-p', clientDir]).then(
        () => 'compiled',
        (error: { stdout: string }) => error.stdout,
      );
      expect(compiled).toBe('compiled');
      client = {
        ...(await import(pathToFileURL(join(clientDir, 'dist/hub-client.js')).href)),
        ...(await import(pathToFileURL(join(clientDir, 'dist/province-card.js')).href)),
      };
    }, 120_000);

    it('reads a province card by GET, as the hub answers it', async () => {
      const anonymous = client.hubClient({ url: hub.gatewayUrl });
      const fromClient = await client.provinceCard(anonymous, FACT.nakhonProvince);
      const direct = await hub.query(`{ province(code: "${FACT.nakhonProvince}") { code nameEn nameTh peopleOrganizations { totalCount } governmentCentres { totalCount } partners { totalCount } initiatives { nodes { title participants { nodes { lead } } } } } }`);
      const province = direct.data.province;
      expect(fromClient).toEqual({
        id: province.code,
        title: `${province.nameEn} (${province.nameTh})`,
        actors: { people: province.peopleOrganizations.totalCount, government: province.governmentCentres.totalCount, private: province.partners.totalCount },
        initiatives: province.initiatives.nodes.map((initiative: any) => ({ title: initiative.title, leads: initiative.participants.nodes.filter((p: any) => p.lead).length })),
        problems: [],
      });
    });

    it('writes with a token by POST, and reads the change\'s date-time and before-image as their scalar types', async () => {
      const before = await hub.query(`{ peopleOrganization(id: "${FACT.nakhonPeopleCentre}") { version } }`);
      const signedIn = client.hubClient({ url: hub.gatewayUrl, token: editor });
      const started = Date.now();
      const change = await client.updateCentre(signedIn, FACT.nakhonPeopleCentre, before.data.peopleOrganization.version);
      expect(change?.version).toBe(before.data.peopleOrganization.version + 1);
      // A DateTimeISO string that parses to the moment of the change (the database's clock, on this machine).
      expect(Math.abs(change!.changedAt.getTime() - started)).toBeLessThan(60_000);
      expect(change?.before).toEqual(expect.objectContaining({ id: FACT.nakhonPeopleCentre, version: before.data.peopleOrganization.version }));
    });
  });

  describe('supergraph switches', () => {
    it('logs the supergraph it serves, and each switch: file, hashes, the subgraphs before and after', async () => {
      const served = await readFile(supergraphFile, 'utf8');
      const names = SUBGRAPHS.map((subgraph) => subgraph.name).sort();
      expect(log).toContain(`supergraph ${supergraphFile} (sha256 ${sha256(served)}) loaded: serving ${names.length} subgraphs (${names.join(', ')}).`);

      // A new owner joins: the same subgraphs and one more.
      const services = await Promise.all(
        SUBGRAPHS.map(async (definition) => ({ name: definition.name, url: routingUrl(definition), typeDefs: parse(await readFile(`${SCHEMA_DIR}${definition.name}.graphql`, 'utf8')) })),
      );
      services.push({
        name: 'welfare',
        url: 'http://localhost:4006/graphql',
        typeDefs: parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"]) type Query { welfareStatus: String }`),
      });
      const next = composeServices(services);
      expect(next.errors).toBeUndefined();
      await writeFile(supergraphFile, next.supergraphSdl!);

      const after = [...names, 'welfare'].sort();
      const expected =
        `supergraph ${supergraphFile} changed (sha256 ${sha256(served)} → ${sha256(next.supergraphSdl!)}): now serving the new one, ` +
        `${after.length} subgraphs (${after.join(', ')}), was ${names.length}; added: welfare; removed: none.`;
      const until = Date.now() + 10_000;
      while (!log.includes(expected) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(log.filter((message) => message.startsWith(`supergraph ${supergraphFile} changed (`))).toEqual([expected]);
      const fields = await hub.query(`{ __type(name: "Query") { fields { name } } }`);
      expect(fields.data.__type.fields).toContainEqual({ name: 'welfareStatus' });
    });
  });
});

/**
 * Compiled with the client: each assignment fails to compile unless the
 * scalar field's type is exactly the mapped one (an `unknown` or `any` fails).
 */
const SCALAR_PROBE = `import type { InitiativesFilteredQuery, InitiativesFilteredQueryVariables, PeopleCentresQuery, UpdatePeopleCentreMutation } from './generated/graphql.js';

type Exactly<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Change = NonNullable<NonNullable<NonNullable<UpdatePeopleCentreMutation['updatePeopleOrganization']>['history']>['nodes']>[number];
type Order = NonNullable<NonNullable<PeopleCentresQuery['officialOrders']>[number]>;
type Initiative = NonNullable<NonNullable<InitiativesFilteredQuery['initiatives']>['nodes']>[number];

export const dateTimeISO: Exactly<NonNullable<Change['at']>, string> = true;
export const jsonObject: Exactly<NonNullable<Change['before']>, Record<string, unknown>> = true;
export const localDate: Exactly<NonNullable<Order['issuedOn']>, string> = true;
export const localDateField: Exactly<NonNullable<Initiative['startDate']>, string> = true;
export const localDateVariable: Exactly<NonNullable<InitiativesFilteredQueryVariables['from']>, string> = true;

// @ts-expect-error: the probe tells unknown from string.
export const control: Exactly<unknown, string> = true;
`;
