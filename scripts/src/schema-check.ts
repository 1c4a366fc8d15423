/**
 * `npm run schema:check`: the local equivalent of a hosted schema registry check.
 *
 * Composes the subgraphs' current code in memory and checks it against the committed
 * files in schema/. The parts live in schema-check/: check.ts compares the schemas and
 * applies accepted changes, advice.ts explains composition errors, report.ts prints the
 * outcome. This file is the command; it reads the real files and re-exports the parts,
 * so `@hub/scripts/schema-check` is the one import for tests and tools.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { composeSupergraph, SCHEMA_DIR, type ComposedFiles } from './compose.js';
import {
  ACCEPTED_CHANGES_FILE,
  checkSchemas,
  composeSubgraphSdls,
  isSubgraphFile,
  parseAcceptedChanges,
  type CurrentSchemas,
} from './schema-check/check.js';
import { formatReport } from './schema-check/report.js';

export * from './schema-check/check.js';
export * from './schema-check/advice.js';
export * from './schema-check/report.js';

const USAGE = 'Usage: npm run schema:check [-- --accept-breaking]';

export interface MainOptions {
  /** Where the committed files are: schema/ by default. */
  schemaDir?: string;
  /** What composes the current code: composeSupergraph by default. */
  compose?: () => Promise<ComposedFiles>;
  log?: (text: string) => void;
  error?: (text: string) => void;
}

/** Reads the committed *.graphql files of a schema directory. */
export async function readCommittedSchemas(schemaDir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const names = await readdir(schemaDir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith('.graphql')).sort()) {
    files.set(name, await readFile(schemaDir + name, 'utf8'));
  }
  return files;
}

/** The CLI: returns the exit code. */
export async function main(argv: readonly string[] = process.argv.slice(2), options: MainOptions = {}): Promise<number> {
  const log = options.log ?? ((text) => console.log(text));
  const error = options.error ?? ((text) => console.error(text));
  const schemaDir = options.schemaDir ?? SCHEMA_DIR;
  if (argv.includes('--help') || argv.includes('-h')) {
    log(USAGE);
    return 0;
  }
  const unknown = argv.filter((arg) => arg !== '--accept-breaking');
  if (unknown.length > 0) {
    error(`Unknown argument ${unknown.join(' ')}\n${USAGE}`);
    return 2;
  }
  try {
    const composed = await (options.compose ?? composeSupergraph)();
    let current: CurrentSchemas = composed;
    if (composed.errors.length > 0) {
      // Compose the printed SDL again to get the errors with their codes and subgraph names.
      const again = composeSubgraphSdls(new Map([...composed.files].filter(([file]) => isSubgraphFile(file))));
      if (again.errors.length > 0) current = again;
    }
    const acceptedJson = await readFile(schemaDir + ACCEPTED_CHANGES_FILE, 'utf8').catch(() => null);
    const accepted = acceptedJson === null ? [] : parseAcceptedChanges(acceptedJson);
    const report = await checkSchemas(await readCommittedSchemas(schemaDir), current, accepted, {
      acceptBreaking: argv.includes('--accept-breaking'),
    });
    log(formatReport(report));
    return report.exitCode;
  } catch (e) {
    error(`Schema check failed: ${(e as Error).message}`);
    return 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main();
