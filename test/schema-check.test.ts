import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_DIR } from '@hub/scripts/compose';
import {
  checkSchemas,
  composeSubgraphSdls,
  explainCompositionError,
  formatReport,
  main,
  parseAcceptedChanges,
  readCommittedSchemas,
  type AcceptedChange,
  type CheckOptions,
  type CheckReport,
  type SchemaReport,
} from '@hub/scripts/schema-check';

/** The committed schema/ files: what every variant below is checked against. */
let committed: Map<string, string>;

beforeAll(async () => {
  committed = await readCommittedSchemas(SCHEMA_DIR);
});

type Edit = (sdl: string) => string;

/** Replaces `from` in `text`, which must occur exactly once (so a drifting SDL fails loudly here). */
function replaceOnce(text: string, from: string | RegExp, to: string): string {
  const count = typeof from === 'string' ? text.split(from).length - 1 : [...text.matchAll(new RegExp(from, 'g'))].length;
  if (count !== 1) throw new Error(`expected exactly one ${String(from)} in the SDL, found ${count}`);
  return text.replace(from, to);
}

/** Edits one definition (`type PrivatePartner`, `enum Sector`, ...) of an SDL, from its header to its closing brace. */
function inDefinition(header: string, edit: Edit): Edit {
  return (sdl) => {
    const start = sdl.indexOf(`\n${header} `);
    if (start < 0) throw new Error(`no ${header} in the SDL`);
    const end = sdl.indexOf('\n}\n', start) + 3;
    return sdl.slice(0, start) + edit(sdl.slice(start, end)) + sdl.slice(end);
  };
}

/** A field's line, with the description block before it if any. */
const fieldLine = (field: string, type: string) =>
  new RegExp(`(  """(?:(?!""")[\\s\\S])*"""\\n)?  ${field}: ${type.replace(/[!\[\]]/g, '\\$&')}\\n`);

/** Composes the committed subgraph SDL with some subgraphs edited, then checks it against the committed files. */
async function check(
  edits: Record<string, Edit>,
  accepted: AcceptedChange[] = [],
  options: CheckOptions = {},
): Promise<{ report: CheckReport; text: string }> {
  const subgraphs = new Map<string, string>();
  for (const [file, sdl] of committed) {
    if (file === 'supergraph.graphql') continue;
    const edit = edits[file.replace(/\.graphql$/, '')];
    const edited = edit ? edit(sdl) : sdl;
    if (edit) expect(edited, `the edit of ${file} changes it`).not.toBe(sdl);
    subgraphs.set(file, edited);
  }
  const report = await checkSchemas(committed, composeSubgraphSdls(subgraphs), accepted, options);
  return { report, text: formatReport(report) };
}

const schema = (report: CheckReport, name: string): SchemaReport => {
  const found = report.schemas.find((s) => s.name === name);
  if (!found) throw new Error(`no ${name} in the report`);
  return found;
};
const changesOf = (report: CheckReport, name: string) =>
  schema(report, name).changes.map(({ level, type, path }) => ({ level, type, path }));

const removeWebsite = { partners: inDefinition('type PrivatePartner', (block) => replaceOnce(block, fieldLine('website', 'String'), '')) };
const websiteRemoved = { level: 'BREAKING', type: 'FIELD_REMOVED', path: 'PrivatePartner.website' };

describe('npm run schema:check', () => {
  it('finds no changes between the committed files and themselves composed again', async () => {
    const { report, text } = await check({});
    expect(report.outcome).toBe('clean');
    expect(report.exitCode).toBe(0);
    expect(report.compositionErrors).toEqual([]);
    expect(report.schemas.map((s) => [s.name, s.status])).toEqual([
      ['government', 'unchanged'],
      ['initiatives', 'unchanged'],
      ['partners', 'unchanged'],
      ['people', 'unchanged'],
      ['search', 'unchanged'],
      ['supergraph', 'unchanged'],
    ]);
    expect(report.textOnlyChanges).toEqual([]);
    expect(text).toContain('No changes');
  });

  it('says when a file would be rewritten without a schema change', async () => {
    const moved = new Map(committed);
    moved.set('supergraph.graphql', committed.get('supergraph.graphql')!.replace('http://localhost:4003/graphql', 'http://partners.internal/graphql'));
    const subgraphs = new Map([...committed].filter(([file]) => file !== 'supergraph.graphql'));
    const report = await checkSchemas(moved, composeSubgraphSdls(subgraphs));
    expect(report.outcome).toBe('clean');
    expect(report.textOnlyChanges).toEqual(['supergraph.graphql']);
    expect(formatReport(report)).toContain('run `npm run compose` to rewrite it');
  });

  it('fails on a removed field, in the subgraph and in the supergraph clients see', async () => {
    const { report, text } = await check(removeWebsite);
    expect(report.outcome).toBe('breaking');
    expect(report.exitCode).toBe(1);
    expect(changesOf(report, 'partners')).toEqual([websiteRemoved]);
    expect(changesOf(report, 'supergraph')).toEqual([websiteRemoved]);
    for (const name of ['people', 'government', 'initiatives']) expect(schema(report, name).status).toBe('unchanged');
    expect(text).toContain('partners:    1 change, 1 breaking');
    expect(text).toContain("  BREAKING  Field 'website' was removed from object type 'PrivatePartner'");
    expect(text).toContain('Schema check FAILED: 2 breaking changes not accepted');
    // The ready-to-paste entry: one, for the subgraph (it covers the supergraph too).
    const json = text.slice(text.indexOf('\n  [\n'));
    expect(JSON.parse(json)).toEqual([
      expect.objectContaining({ subgraph: 'partners', type: 'FIELD_REMOVED', path: 'PrivatePartner.website' }),
    ]);
  });

  it('passes a removed field accepted in schema/accepted-changes.json, and shows who accepted it and why', async () => {
    const accepted = parseAcceptedChanges(
      JSON.stringify([
        {
          subgraph: 'partners',
          type: 'FIELD_REMOVED',
          path: 'PrivatePartner.website',
          // The message is for people: a library rewording it does not matter.
          message: 'an older wording of the message',
          reason: 'Websites moved to sources; the dashboards team was told on 2026-01-05.',
          acceptedBy: 'Private partners team',
        },
        { subgraph: 'people', type: 'FIELD_REMOVED', path: 'PeopleOrganization.gone', reason: 'old', acceptedBy: 'someone' },
      ]),
    );
    const { report, text } = await check(removeWebsite, accepted);
    expect(report.outcome).toBe('passed');
    expect(report.exitCode).toBe(0);
    for (const name of ['partners', 'supergraph']) {
      expect(schema(report, name).changes.map((c) => c.accepted)).toEqual([
        { via: 'file', reason: 'Websites moved to sources; the dashboards team was told on 2026-01-05.', acceptedBy: 'Private partners team' },
      ]);
    }
    expect(report.unusedAcceptances.map((entry) => entry.path)).toEqual(['PeopleOrganization.gone']);
    expect(text).toContain("  ACCEPTED  Field 'website' was removed from object type 'PrivatePartner'");
    expect(text).toContain('Accepted breaking changes:');
    expect(text).toContain(
      'accepted by Private partners team in schema/accepted-changes.json: Websites moved to sources; the dashboards team was told on 2026-01-05.',
    );
    expect(text).toContain('Schema check passed: partners, supergraph changed (2 breaking changes accepted).');
    expect(text).toContain('npm run compose');
  });

  it('does not let an entry for another change or another subgraph accept it', async () => {
    const entry = { type: 'FIELD_REMOVED', path: 'PrivatePartner.website', reason: 'r', acceptedBy: 'a' };
    for (const accepted of [
      [{ ...entry, subgraph: 'people' }],
      [{ ...entry, subgraph: 'partners', type: 'FIELD_TYPE_CHANGED' }],
      [{ ...entry, subgraph: 'partners', path: 'PrivatePartner.name' }],
    ]) {
      expect((await check(removeWebsite, accepted)).report.outcome).toBe('breaking');
    }
    // An entry for the supergraph alone accepts only the supergraph's change.
    const { report } = await check(removeWebsite, [{ ...entry, subgraph: 'supergraph' }]);
    expect(report.outcome).toBe('breaking');
    expect(schema(report, 'supergraph').changes[0]?.accepted?.via).toBe('file');
    expect(schema(report, 'partners').changes[0]?.accepted).toBeNull();
  });

  it('passes breaking changes with --accept-breaking', async () => {
    const { report, text } = await check(removeWebsite, [], { acceptBreaking: true });
    expect(report.outcome).toBe('passed');
    expect(report.exitCode).toBe(0);
    expect(schema(report, 'partners').changes[0]?.accepted).toEqual({ via: 'flag', reason: 'accepted with --accept-breaking', acceptedBy: null });
    expect(text).toContain('accepted with --accept-breaking');
  });

  it('rejects a malformed accepted-changes file with the entry at fault', () => {
    expect(() => parseAcceptedChanges('{')).toThrow(/not valid JSON/);
    expect(() => parseAcceptedChanges('{}')).toThrow(/must be a JSON array/);
    expect(() => parseAcceptedChanges('[{"subgraph":"partners","type":"FIELD_REMOVED","path":"X.y","acceptedBy":"me"}]')).toThrow(
      /entry 1: "reason" must be a string/,
    );
    expect(() =>
      parseAcceptedChanges('[{"subgraph":"partners","type":"FIELD_REMOVED","path":"X.y","reason":" ","acceptedBy":"me"}]'),
    ).toThrow(/entry 1: "reason" must not be empty/);
  });

  it('passes a new optional field as SAFE, and reminds to compose', async () => {
    const addPhone = inDefinition('type PrivatePartner', (block) =>
      replaceOnce(block, '  website: String\n', '  website: String\n  """Public phone number."""\n  phone: String\n'),
    );
    const { report, text } = await check({ partners: addPhone });
    expect(report.outcome).toBe('passed');
    expect(report.exitCode).toBe(0);
    const added = [
      { level: 'SAFE', type: 'FIELD_ADDED', path: 'PrivatePartner.phone' },
      { level: 'SAFE', type: 'FIELD_DESCRIPTION_ADDED', path: 'PrivatePartner.phone' },
    ];
    expect(changesOf(report, 'partners')).toEqual(added);
    expect(changesOf(report, 'supergraph')).toEqual(added);
    expect(text).toContain("partners:    2 changes\n  SAFE      Field 'phone' was added to object type 'PrivatePartner'");
    expect(text).toContain('Run `npm run compose` to commit the new SDL to schema/');
    expect(text).toContain('test/schema.test.ts');
  });

  it('fails on an argument made non-null', async () => {
    const requireKind = inDefinition('type Query', (block) => replaceOnce(block, '    kind: PrivatePartnerKind\n', '    kind: PrivatePartnerKind!\n'));
    const { report } = await check({ partners: requireKind });
    expect(report.outcome).toBe('breaking');
    const narrowed = { level: 'BREAKING', type: 'FIELD_ARGUMENT_TYPE_CHANGED', path: 'Query.privatePartners.kind' };
    expect(changesOf(report, 'partners')).toEqual([narrowed]);
    expect(changesOf(report, 'supergraph')).toEqual([narrowed]);
  });

  it('fails on a removed enum value', async () => {
    const removeValue = inDefinition('enum PrivatePartnerKind', (block) => replaceOnce(block, '  SOCIAL_ENTERPRISE\n', ''));
    const { report } = await check({ partners: removeValue });
    expect(report.outcome).toBe('breaking');
    const removed = { level: 'BREAKING', type: 'ENUM_VALUE_REMOVED', path: 'PrivatePartnerKind.SOCIAL_ENTERPRISE' };
    expect(changesOf(report, 'partners')).toEqual([removed]);
    expect(changesOf(report, 'supergraph')).toEqual([removed]);
  });

  it('explains subgraphs that disagree on the shared enum Sector, naming the one that changed', async () => {
    const dropPrivate = inDefinition('enum Sector', (block) => replaceOnce(block, '  PRIVATE\n', ''));
    const { report, text } = await check({ partners: dropPrivate });
    expect(report.outcome).toBe('composition-failed');
    expect(report.exitCode).toBe(1);
    expect(report.compositionErrors).toHaveLength(1);
    const [problem] = report.compositionErrors;
    expect(problem?.code).toBe('ENUM_VALUE_MISMATCH');
    expect(problem?.subgraphs).toEqual(['government', 'initiatives', 'partners', 'people']);
    expect(problem?.changedSubgraphs).toEqual(['partners']);
    expect(problem?.whatToDo).toMatch(/same values in every subgraph/);
    // What partners changed is still listed; the supergraph could not be built.
    expect(changesOf(report, 'partners')).toEqual([{ level: 'BREAKING', type: 'ENUM_VALUE_REMOVED', path: 'Sector.PRIVATE' }]);
    expect(schema(report, 'supergraph').status).toBe('not-composed');
    expect(text).toContain('Composition failed');
    expect(text).toContain('1. ENUM_VALUE_MISMATCH: the subgraphs disagree on the values of a shared enum');
    expect(text).toContain('Subgraphs involved: government, initiatives, partners, people');
    expect(text).toContain('Caused by: partners (changed since the committed schema/');
    expect(text).toContain('Schema check FAILED: composition failed');
  });

  it("explains an owner changing the type of an Actor field that initiatives relies on", async () => {
    const nameToInt = inDefinition('type PrivatePartner', (block) => replaceOnce(block, '\n  name: String!\n', '\n  name: Int!\n'));
    const { report, text } = await check({ partners: nameToInt });
    expect(report.outcome).toBe('composition-failed');
    const codes = report.compositionErrors.map((p) => p.code);
    expect(codes).toContain('EXTERNAL_TYPE_MISMATCH');
    const problem = report.compositionErrors.find((p) => p.code === 'EXTERNAL_TYPE_MISMATCH')!;
    expect(problem.subgraphs).toEqual(['initiatives', 'partners']);
    expect(problem.changedSubgraphs).toEqual(['partners']);
    expect(text).toContain('a field another subgraph relies on (@external) changed type');
    expect(text).toContain('PrivatePartner.name');
  });

  it('names subgraphs from a composition message alone, as `npm run compose` reports it', () => {
    const problem = explainCompositionError(
      'Type of field "PrivatePartner.name" is incompatible across subgraphs (where marked @external): it has type "Int!" in subgraph "partners" but type "String!" in subgraph "initiatives"',
      ['people', 'government', 'partners', 'initiatives'],
      ['partners'],
    );
    expect(problem.subgraphs).toEqual(['partners', 'initiatives']);
    expect(problem.changedSubgraphs).toEqual(['partners']);
    expect(problem.whatToDo).not.toBe('');
  });
});

describe('the schema:check command', () => {
  it('finds no changes in the clean tree and exits 0', async () => {
    const out: string[] = [];
    const code = await main([], { log: (t) => out.push(t), error: (t) => out.push(t) });
    expect(out.join('\n')).toContain('No changes');
    expect(code).toBe(0);
  });

  it('explains composition errors that `npm run compose` only gives as messages', async () => {
    const subgraphs = new Map([...committed].filter(([file]) => file !== 'supergraph.graphql'));
    subgraphs.set('partners.graphql', inDefinition('enum Sector', (block) => replaceOnce(block, '  PRIVATE\n', ''))(subgraphs.get('partners.graphql')!));
    const out: string[] = [];
    const code = await main([], {
      compose: async () => ({ files: subgraphs, errors: ['Enum type "Sector" is used as both input type and output type, but ...'] }),
      log: (t) => out.push(t),
      error: (t) => out.push(t),
    });
    expect(code).toBe(1);
    const text = out.join('\n');
    expect(text).toContain('1. ENUM_VALUE_MISMATCH: the subgraphs disagree on the values of a shared enum');
    expect(text).toContain('Caused by: partners');
  });

  it('reads schema/accepted-changes.json from the schema directory', async () => {
    // A schema directory whose committed partners schema still has a field the code no longer has.
    const subgraphs = new Map([...committed].filter(([file]) => file !== 'supergraph.graphql'));
    subgraphs.set(
      'partners.graphql',
      inDefinition('type PrivatePartner', (block) => replaceOnce(block, '  website: String\n', '  website: String\n  faxNumber: String\n'))(
        subgraphs.get('partners.graphql')!,
      ),
    );
    const older = composeSubgraphSdls(subgraphs);
    expect(older.errors).toEqual([]);
    const dir = (await mkdtemp(join(tmpdir(), 'schema-check-'))) + '/';
    try {
      for (const [file, sdl] of older.files) await writeFile(dir + file, sdl);
      const run = async (argv: string[] = []) => {
        const out: string[] = [];
        const code = await main(argv, { schemaDir: dir, log: (t) => out.push(t), error: (t) => out.push(t) });
        return { code, text: out.join('\n') };
      };

      const failing = await run();
      expect(failing.code).toBe(1);
      expect(failing.text).toContain("BREAKING  Field 'faxNumber' was removed from object type 'PrivatePartner'");

      expect((await run(['--accept-breaking'])).code).toBe(0);
      expect((await run(['--bogus'])).code).toBe(2);

      const entry = { subgraph: 'partners', type: 'FIELD_REMOVED', path: 'PrivatePartner.faxNumber', reason: 'Nobody has a fax.', acceptedBy: 'Private partners team' };
      await writeFile(dir + 'accepted-changes.json', JSON.stringify([entry], null, 2));
      const passing = await run();
      expect(passing.code).toBe(0);
      expect(passing.text).toContain('accepted by Private partners team in schema/accepted-changes.json: Nobody has a fax.');

      await writeFile(dir + 'accepted-changes.json', '[{"subgraph": "partners"}]');
      const malformed = await run();
      expect(malformed.code).toBe(1);
      expect(malformed.text).toContain('entry 1: "type" must be a string');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
