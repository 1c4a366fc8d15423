import { readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createSubgraphOrm, databaseUrlFor, migrate, startEmbeddedPostgres } from '@hub/toolkit';
import { SUBGRAPHS } from './subgraphs.js';

/**
 * `npm run migration:create -- <subgraph> [name]`: diffs the subgraph's
 * entities against its migrated schema and writes the difference as a new
 * migration under subgraphs/<subgraph>/src/migrations, then lists it in the
 * folder's index so the ORM runs it without globbing the file system.
 */
async function main() {
  const [name, label] = process.argv.slice(2);
  const definition = SUBGRAPHS.find((s) => s.name === name);
  if (!definition) {
    console.error(`Usage: npm run migration:create -- <${SUBGRAPHS.map((s) => s.name).join('|')}> [name]`);
    process.exit(2);
  }
  const folder = fileURLToPath(new URL(`../../subgraphs/${name}/src/migrations/`, import.meta.url));
  const external = databaseUrlFor(definition.name);
  const embedded = external ? undefined : await startEmbeddedPostgres();
  const orm = await createSubgraphOrm(definition, { databaseUrl: external ?? embedded!.url });
  try {
    await migrate(orm);
    const result = label ? await orm.migrator.create(folder, false, false, label) : await orm.migrator.create(folder);
    if (!result.fileName) {
      console.log(`${name}: entities and migrations agree; nothing to write.`);
      return;
    }
    await keepAuditTrailTriggers(folder + result.fileName);
    console.log(`${name}: wrote src/migrations/${result.fileName}`);
    await writeIndex(folder);
  } finally {
    await orm.close();
    await embedded?.stop();
  }
}

/**
 * The audit trail's append-only trigger, and its change feed's trigger and
 * province function, are created by the subgraph's own migrations
 * (toolkit/src/audit.ts, toolkit/src/change-feed.ts), not declared to the ORM,
 * so every schema diff would drop them: a new migration that did would let
 * the trail be rewritten, or silence the feed. Their statements are left out
 * of what the diff writes.
 */
const KEPT_OUT_OF_DIFFS = ['audit_entry_append_only', 'audit_entry_notify', 'audit_entry_province_codes'];

async function keepAuditTrailTriggers(file: string) {
  const source = await readFile(file, 'utf8');
  const kept = source
    .split('\n')
    .filter((line) => !(line.includes('addSql(') && KEPT_OUT_OF_DIFFS.some((name) => line.includes(name))))
    .join('\n');
  if (kept !== source) await writeFile(file, kept);
}

async function writeIndex(folder: string) {
  const files = (await readdir(folder)).filter((f) => /^Migration\d+.*\.ts$/.test(f)).sort();
  const names = files.map((f) => f.replace(/\.ts$/, ''));
  const source = [
    '// Lists the migrations in the order they run; `npm run migration:create` keeps it up to date.',
    ...names.map((n) => `import { ${n} } from './${n}.js';`),
    '',
    'export const migrations = [',
    ...names.map((n) => `  { name: '${n}', class: ${n} },`),
    '];',
    '',
  ].join('\n');
  await writeFile(folder + 'index.ts', source);
}

await main();
