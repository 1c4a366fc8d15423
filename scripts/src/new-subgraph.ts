import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run new:subgraph -- <name> [--owner "Team"]`: a new agency's subgraph,
 * working and tested from the first minute, in the shape every subgraph has:
 * an entity with its migration and audit trail, a list query, a reference
 * resolver with its loader, an extension of Province, a create and an update
 * mutation (validated, allowed to the record's own editors and the
 * subgraph's admins, versioned and audited), the record's history, and a test
 * of its reads and writes; joined to the hub's workspaces, build and
 * subgraph list.
 * Then: `npm install`, `npm run compose`, `npm start`.
 */

const USAGE = 'Usage: npm run new:subgraph -- <name> [--owner "Owning team"]   (name: lower case letters, e.g. welfare)';

interface Names {
  /** welfare */
  name: string;
  /** Welfare */
  pascal: string;
  /** WelfareRecord */
  type: string;
  /** welfare-record: the file name of the record's entity, resolvers and mutations */
  file: string;
  /** welfareRecord */
  one: string;
  /** welfareRecords */
  list: string;
  /** welfare_record */
  table: string;
  owner: string;
  port: number;
}

function template(n: Names): Record<string, string> {
  const { name, pascal, type, file, one, list, table } = n;
  return {
    'package.json': JSON.stringify(
      {
        name: `@hub/${name}`,
        version: '0.1.0',
        private: true,
        description: `${pascal}: records owned by ${n.owner}.`,
        type: 'module',
        scripts: { build: 'tsc -b', dev: 'tsc -b && node dist/main.js', test: `vitest run --root ../.. subgraphs/${name}/` },
        exports: { '.': { source: './src/subgraph.ts', types: './dist/subgraph.d.ts', default: './dist/subgraph.js' } },
        dependencies: {} as Record<string, string>,
      },
      null,
      2,
    ),
    'tsconfig.json': `{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "rootDir": "src", "outDir": "dist" },
  "include": ["src"],
  "references": [{ "path": "../../server" }, { "path": "../../toolkit" }, { "path": "../../domain" }]
}
`,
    [`src/entities/${file}.ts`]: `import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { HubEntity } from '@hub/toolkit';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A record of the ${name} subgraph, owned by ${n.owner}.' })
@Entity({ tableName: '${table}' })
export class ${type} extends HubEntity<'provinceCode'> {
  @Field(() => ID, { description: 'Record id; starts with "${name}_".' })
  @PrimaryKey({ type: 'string' })
  id!: string;

  @Field({ description: 'Name, in Thai.' })
  @Property({ type: 'text' })
  name!: string;

  @Field(() => ID, { description: 'The agency that keeps this record, an actor id such as "gov_th80_centre": its editors may change it.' })
  @Index()
  @Property({ type: 'string' })
  ownerId!: string;

  /** ISO 3166-2:TH code of its province, if it has one. */
  @Index()
  @Property({ type: 'string', length: 5, nullable: true })
  provinceCode: string | null = null;
}
`,
    'src/external.ts': `import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The government subgraph's Province, extended here with this subgraph's records. */
@Directive('@key(fields: "code")')
@ObjectType()
export class Province {
  @Field(() => ID)
  code!: string;
}
`,
    'src/loaders.ts': `import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader, groupedConnection } from '@hub/toolkit';
import { ${type} } from './entities/${file}.js';

export function createLoaders(em: EntityManager) {
  return {
    record: byIdLoader(em, ${type}),
    recordsByProvince: groupedConnection(em, ${type}, { keyColumn: 'province_code' }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
`,
    'src/context.ts': `import type { SubgraphContext } from '@hub/toolkit';
import type { Loaders } from './loaders.js';

export type Context = SubgraphContext<Loaders>;
`,
    'src/references.ts': `import type { Context } from './context.js';

/** How the gateway turns \`{ id }\` references from other subgraphs into records: one batched SELECT. */
export const referenceResolvers = {
  ${type}: {
    __resolveReference: (reference: { id: string }, { loaders }: Context) => loaders.record.load(reference.id),
  },
};
`,
    [`src/resolvers/${file}.ts`]: `import { Arg, Args, Ctx, FieldResolver, ID, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType, PageArgs, Paged, paginate } from '@hub/toolkit';
import { checkProvinceCode } from '@hub/domain';
import type { Context } from '../context.js';
import { ${type} } from '../entities/${file}.js';
import { Province } from '../external.js';

@ObjectType()
export class ${type}Connection extends ConnectionType(${type}, '${type}') {}

@Resolver(() => ${type})
export class ${type}Resolver {
  @Query(() => ${type}, { nullable: true, description: 'A ${name} record by id.' })
  ${one}(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context) {
    return loaders.record.load(id);
  }

  @Paged()
  @Query(() => ${type}Connection, { nullable: true, description: '${pascal} records, in id order, a page at a time.' })
  ${list}(
    @Arg('provinceCode', () => ID, { nullable: true }) provinceCode: string | null,
    @Args() page: PageArgs,
    @Ctx() { em }: Context,
  ) {
    return paginate(em, ${type}, provinceCode ? { provinceCode: checkProvinceCode(provinceCode) } : {}, page);
  }

  @FieldResolver(() => Province, { nullable: true })
  province(@Root() record: ${type}): Province | null {
    return record.provinceCode ? { code: record.provinceCode } : null;
  }
}

/**
 * Nullable, as every field one subgraph adds to another's type: while this
 * subgraph is down, the province still answers with this field null and an
 * error naming this subgraph. A non-null one would null the whole province.
 */
@Resolver(() => Province)
export class Province${type}Resolver {
  @Paged()
  @FieldResolver(() => ${type}Connection, { nullable: true, description: '${pascal} records in this province.' })
  ${list}(@Root() province: Province, @Args() page: PageArgs, @Ctx() { loaders }: Context) {
    return loaders.recordsByProvince(province.code, page);
  }
}
`,
    [`src/mutations/${file}.ts`]: `import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { IsOptional } from 'class-validator';
import { requireActingFor, requireWriter } from '@hub/server';
import { assignDefined, newId, Text, WhenSent, write } from '@hub/toolkit';
import { IsActorId, IsProvinceCode } from '@hub/domain';
import type { Context } from '../context.js';
import { ${type} } from '../entities/${file}.js';

@InputType()
class ${type}Fields {
  @Field(() => String, { nullable: true, description: 'ISO 3166-2:TH code of its province, e.g. "TH-80"; null for none.' })
  @IsOptional()
  @IsProvinceCode()
  provinceCode?: string | null;
}

@InputType({ description: 'A new ${name} record.' })
class Create${type}Input extends ${type}Fields {
  @Field({ description: 'Name, in Thai.' })
  @Text(300)
  name!: string;

  @Field(() => ID, { nullable: true, description: 'The agency that keeps it, an actor id; left out: the agency you act for.' })
  @IsOptional()
  @IsActorId()
  ownerId?: string;
}

@InputType({ description: 'Changes to a ${name} record: fields left out keep their values. Its owner stays the same.' })
class Update${type}Input extends ${type}Fields {
  @Field(() => String, { nullable: true })
  @WhenSent()
  @Text(300)
  name?: string;
}

/**
 * Every mutation is nullable: each commits on its own, and a failed one must
 * not null the answer and hide those that did (a client would write them twice).
 * write() runs each as one transaction with its audit entry.
 */
@Resolver()
export class ${type}Mutations {
  @Mutation(() => ${type}, { nullable: true, description: "Records a new ${name} record. Editors of its owner (ownerId) and the subgraph's admins may." })
  create${type}(@Arg('input', () => Create${type}Input) input: Create${type}Input, @Ctx() context: Context) {
    const what = 'record a ${name} record';
    const ownerId = input.ownerId ?? requireWriter(context.viewer, what).agency;
    requireActingFor(context.viewer, context.subgraph, ownerId, what);
    return write(context, what, (writer) =>
      writer.create(${type}, { id: newId('${name}'), name: input.name, ownerId, provinceCode: input.provinceCode ?? null }),
    );
  }

  @Mutation(() => ${type}, { nullable: true, description: "Changes a ${name} record. Editors of its owner and the subgraph's admins may." })
  update${type}(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int, { description: 'The version you read; CONFLICT if the record has changed since.' }) expectedVersion: number,
    @Arg('input', () => Update${type}Input) input: Update${type}Input,
    @Ctx() context: Context,
  ) {
    const what = \`change \${id}\`;
    requireWriter(context.viewer, what);
    return write(context, what, async (writer) => {
      const record = await writer.loadOwned(${type}, id, '${name} record', (r) => r.ownerId, what);
      return writer.update(record, expectedVersion, (r) => assignDefined(r, input));
    });
  }
}
`,
    'src/seed/facts.ts': `import type { EntityManager } from '@mikro-orm/postgresql';

/** Facts this subgraph seeds into an empty database, each citing its source; none yet. */
export async function seedFacts(_em: EntityManager): Promise<number> {
  return 0;
}
`,
    'src/migrations/Migration00000000000000_initial.ts': `import { Migration } from '@mikro-orm/migrations';
import { auditTrailAppendOnlySql, changeFeedSql } from '@hub/toolkit';

export class Migration00000000000000_initial extends Migration {
  override name = 'Migration00000000000000_initial';

  override up(): void | Promise<void> {
    this.addSql(\`create schema if not exists "${name}";\`);
    this.addSql(\`create table "${name}"."${table}" ("id" varchar(255) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "archived_at" timestamptz null, "sources" jsonb not null default '[]', "demo" boolean not null default false, "name" text not null, "owner_id" varchar(255) not null, "province_code" varchar(5) null, primary key ("id"));\`);
    this.addSql(\`create index "${table}_owner_id_index" on "${name}"."${table}" ("owner_id");\`);
    this.addSql(\`create index "${table}_province_code_index" on "${name}"."${table}" ("province_code");\`);
    // The audit trail every subgraph keeps (toolkit/src/audit.ts), append-only.
    this.addSql(\`create table "${name}"."audit_entry" ("seq" bigserial primary key, "id" text generated always as ('chg_' || lpad(seq::text, 12, '0')) stored not null, "at" timestamptz not null default now(), "action" text not null check ("action" in ('CREATE', 'UPDATE', 'ARCHIVE')), "record_type" text not null, "record_id" text not null, "user" text not null, "agency" text not null, "role" text not null, "before" jsonb null, "after" jsonb null, "request_id" text null, constraint "audit_entry_id_unique" unique ("id"));\`);
    this.addSql(\`create index "audit_entry_record_id_id_index" on "${name}"."audit_entry" ("record_id", "id");\`);
    for (const sql of auditTrailAppendOnlySql('${name}')) this.addSql(sql);
    // ...and its change feed (toolkit/src/change-feed.ts).
    for (const sql of changeFeedSql('${name}')) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    this.addSql(\`drop table if exists "${name}"."audit_entry" cascade;\`);
    this.addSql(\`drop function if exists "${name}".audit_entry_append_only();\`);
    this.addSql(\`drop function if exists "${name}".audit_entry_notify();\`);
    this.addSql(\`drop function if exists "${name}".audit_entry_province_codes(jsonb, jsonb);\`);
    this.addSql(\`drop table if exists "${name}"."${table}" cascade;\`);
  }
}
`,
    'src/migrations/index.ts': `// Lists the migrations in the order they run; \`npm run migration:create\` keeps it up to date.
import { Migration00000000000000_initial } from './Migration00000000000000_initial.js';

export const migrations = [
  { name: 'Migration00000000000000_initial', class: Migration00000000000000_initial },
];
`,
    'src/subgraph.ts': `import 'reflect-metadata';
import { historyResolver, type SubgraphDefinition } from '@hub/toolkit';
import { AGENCIES } from '@hub/domain';
import { ${type} } from './entities/${file}.js';
import { createLoaders, type Loaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { ${type}Mutations } from './mutations/${file}.js';
import { referenceResolvers } from './references.js';
import { Province${type}Resolver, ${type}Resolver } from './resolvers/${file}.js';
import { seedFacts } from './seed/facts.js';

export { ${type} } from './entities/${file}.js';

/** The ${name} subgraph. */
export const ${name}: SubgraphDefinition<Loaders> = {
  name: '${name}',
  contact: { name: ${JSON.stringify(n.owner)}, description: 'Owns the ${name} records.' },
  defaultPort: ${n.port},
  agencies: AGENCIES,
  entities: [${type}],
  migrations,
  resolvers: [${type}Resolver, Province${type}Resolver, ${type}Mutations, historyResolver(${type})],
  referenceResolvers,
  createLoaders,
  seedFacts,
};
`,
    'src/main.ts': `import { runSubgraph } from '@hub/toolkit';
import { ${name} } from './subgraph.js';

await runSubgraph(${name});
`,
    [`test/${name}.test.ts`]: `import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, type Identity } from '@hub/server';
import { AuditEntry } from '@hub/toolkit';
import { startTestSubgraph, type TestSubgraph } from '@hub/toolkit/testing';
import { ${type}, ${name} } from '../src/subgraph.js';

describe('${name} subgraph', () => {
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(${name});
    const em = subgraph.em();
    em.create(${type}, { id: '${name}_test_1', name: 'ทดสอบ', ownerId: 'gov_th80_centre', provinceCode: 'TH-80' });
    await em.flush();
  });
  afterAll(() => subgraph?.stop());

  it('lists its records and resolves them and provinces through _entities', async () => {
    const result = await subgraph.query(
      /* GraphQL */ \`query ($representations: [_Any!]!) {
        ${list}(provinceCode: "TH-80") { totalCount nodes { id } }
        _entities(representations: $representations) {
          ... on ${type} { id name province { code } }
          ... on Province { ${list} { nodes { id } } }
        }
      }\`,
      { representations: [{ __typename: '${type}', id: '${name}_test_1' }, { __typename: 'Province', code: 'TH-80' }] },
    );
    expect(result).toEqual({
      data: {
        ${list}: { totalCount: 1, nodes: [{ id: '${name}_test_1' }] },
        _entities: [{ id: '${name}_test_1', name: 'ทดสอบ', province: { code: 'TH-80' } }, { ${list}: { nodes: [{ id: '${name}_test_1' }] } }],
      },
    });
  });

  // Users as the gateway vouches for them: an editor of the Nakhon Si Thammarat
  // provincial government centre, and one of the province's people's centre.
  const centreEditor: Identity = { user: 'editor@gov_th80_centre', agency: 'gov_th80_centre', sector: 'GOVERNMENT', role: Role.EDITOR, subgraphs: [] };
  const otherEditor: Identity = { user: 'editor@peo_th80_centre', agency: 'peo_th80_centre', sector: 'PEOPLE', role: Role.EDITOR, subgraphs: [] };
  const UPDATE = /* GraphQL */ \`mutation ($id: ID!, $version: Int!, $name: String) {
    update${type}(id: $id, expectedVersion: $version, input: { name: $name }) { name version }
  }\`;

  it('keeps a record its editors write, and each change in its history: who, and the values before and after', async () => {
    // The centre's editor records a savings group, then corrects its name.
    const created = await subgraph.query(
      /* GraphQL */ \`mutation { create${type}(input: { name: "กลุ่มออมทรัพย์", provinceCode: "TH-80" }) { id name ownerId version } }\`,
      {},
      centreEditor,
    );
    expect(created.errors).toBeUndefined();
    const { id, version } = created.data.create${type};
    expect(created.data.create${type}).toMatchObject({ name: 'กลุ่มออมทรัพย์', ownerId: 'gov_th80_centre', version: 1 });
    const updated = await subgraph.query(UPDATE, { id, version, name: 'กลุ่มออมทรัพย์บ้านนา' }, centreEditor);
    expect(updated.data.update${type}).toEqual({ name: 'กลุ่มออมทรัพย์บ้านนา', version: 2 });

    const read = await subgraph.query(\`query ($id: ID!) { ${one}(id: $id) { history { totalCount nodes { action user agency before after } } } }\`, { id }, centreEditor);
    expect(read.data.${one}.history.totalCount).toBe(2);
    expect(read.data.${one}.history.nodes[0]).toMatchObject({ action: 'CREATE', agency: 'gov_th80_centre', before: null });
    expect(read.data.${one}.history.nodes[1]).toMatchObject({
      action: 'UPDATE',
      user: 'editor@gov_th80_centre',
      agency: 'gov_th80_centre',
      before: { name: 'กลุ่มออมทรัพย์', version: 1 },
      after: { name: 'กลุ่มออมทรัพย์บ้านนา', version: 2 },
    });
  });

  it("refuses a change by another agency's editor, or a blank name, and writes nothing", async () => {
    // The people's centre's editor tries to rename the government centre's record; its own editor sends a blank name.
    const trail = () => subgraph.em().count(AuditEntry, { recordId: '${name}_test_1' });
    const before = await trail();
    const forbidden = await subgraph.query(UPDATE, { id: '${name}_test_1', version: 1, name: 'taken over' }, otherEditor);
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const blank = await subgraph.query(UPDATE, { id: '${name}_test_1', version: 1, name: '   ' }, centreEditor);
    expect(blank.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const read = await subgraph.query(\`{ ${one}(id: "${name}_test_1") { name version } }\`);
    expect(read.data.${one}).toEqual({ name: 'ทดสอบ', version: 1 });
    expect(await trail()).toBe(before);
  });
});
`,
  };
}

/** Inserts `line` into a file after the last line matching `after`. */
function insertAfterLast(text: string, after: RegExp, line: string): string {
  const lines = text.split('\n');
  const index = lines.map((l, i) => (after.test(l) ? i : -1)).filter((i) => i >= 0).at(-1);
  if (index === undefined) throw new Error(`cannot find where to add ${JSON.stringify(line)}`);
  lines.splice(index + 1, 0, line);
  return lines.join('\n');
}

/** Writes the subgraph into the checkout at `root` and joins it to the hub. */
export async function scaffoldSubgraph(root: string, name: string, owner: string): Promise<string[]> {
  if (!/^[a-z][a-z0-9]{1,30}$/.test(name)) throw new Error(`"${name}" is not a usable name: lower-case letters and digits, starting with a letter.`);
  const folder = join(root, 'subgraphs', name);
  if (existsSync(folder)) throw new Error(`subgraphs/${name} already exists.`);

  const rootPackage = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  const subgraphFolders = (await readdir(join(root, 'subgraphs'))).filter((f) => existsSync(join(root, 'subgraphs', f, 'src', 'subgraph.ts')));
  const ports = await Promise.all(
    subgraphFolders.map(async (f) => Number(/defaultPort: (\d+)/.exec(await readFile(join(root, 'subgraphs', f, 'src', 'subgraph.ts'), 'utf8'))?.[1] ?? 0)),
  );
  const pascal = name[0]!.toUpperCase() + name.slice(1);
  const names: Names = {
    name,
    pascal,
    type: `${pascal}Record`,
    file: `${name}-record`,
    one: `${name}Record`,
    list: `${name}Records`,
    table: `${name}_record`,
    owner,
    port: Math.max(4004, ...ports) + 1,
  };

  // Same dependencies, at the same versions, as an existing subgraph.
  const model = JSON.parse(await readFile(join(root, 'subgraphs', 'partners', 'package.json'), 'utf8'));
  const files = template(names);
  const pkg = JSON.parse(files['package.json']!);
  pkg.dependencies = model.dependencies;
  files['package.json'] = JSON.stringify(pkg, null, 2) + '\n';
  const written: string[] = [];
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(folder, path, '..'), { recursive: true });
    await writeFile(join(folder, path), content);
    written.push(`subgraphs/${name}/${path}`);
  }

  // The parts that depend on every subgraph come after them.
  const dependents = ['gateway', 'scripts', 'bench'];
  rootPackage.workspaces = [...rootPackage.workspaces.filter((w: string) => !dependents.includes(w)), `subgraphs/${name}`, ...dependents];
  await writeFile(join(root, 'package.json'), JSON.stringify(rootPackage, null, 2) + '\n');

  for (const [file, reference] of [
    ['tsconfig.json', `    { "path": "subgraphs/${name}" },`],
    ['scripts/tsconfig.json', `    { "path": "../subgraphs/${name}" },`],
  ] as const) {
    const text = await readFile(join(root, file), 'utf8');
    await writeFile(join(root, file), insertAfterLast(text, /"path": "(\.\.\/)?subgraphs\//, reference));
  }

  const scriptsPackage = JSON.parse(await readFile(join(root, 'scripts', 'package.json'), 'utf8'));
  scriptsPackage.dependencies[`@hub/${name}`] = '0.1.0';
  scriptsPackage.dependencies = Object.fromEntries(Object.entries(scriptsPackage.dependencies).sort(([a], [b]) => a.localeCompare(b)));
  await writeFile(join(root, 'scripts', 'package.json'), JSON.stringify(scriptsPackage, null, 2) + '\n');

  const listFile = join(root, 'scripts', 'src', 'subgraphs.ts');
  let list = await readFile(listFile, 'utf8');
  list = insertAfterLast(list, /^import \{ \w+ \} from '@hub\//, `import { ${name} } from '@hub/${name}';`);
  list = list.replace(/export const SUBGRAPHS = \[([^\]]*)\] as const;/, (_, items: string) => `export const SUBGRAPHS = [${items}, ${name}] as const;`);
  await writeFile(listFile, list);
  written.push('package.json', 'tsconfig.json', 'scripts/tsconfig.json', 'scripts/package.json', 'scripts/src/subgraphs.ts');
  return written;
}

async function main() {
  const args = process.argv.slice(2);
  const rootIndex = args.indexOf('--root');
  const root = rootIndex >= 0 ? args.splice(rootIndex, 2)[1]! : fileURLToPath(new URL('../../', import.meta.url));
  const ownerIndex = args.indexOf('--owner');
  const owner = ownerIndex >= 0 ? args.splice(ownerIndex, 2)[1]! : 'New agency team';
  const [name] = args;
  if (!name || args.length > 1) {
    console.error(USAGE);
    process.exit(2);
  }
  try {
    const written = await scaffoldSubgraph(root, name, owner);
    console.log(written.map((f) => `wrote ${f}`).join('\n'));
    console.log(`\nNext: npm install   (links @hub/${name})\n      npm test -w subgraphs/${name}\n      npm run compose   (adds it to the supergraph)\n      npm start`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
