import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Kind, OperationTypeNode, parse, valueFromASTUntyped } from 'graphql';

/** The checkout's examples/ folder, from src/peers or dist/peers alike. */
export const EXAMPLES_DIR = fileURLToPath(new URL('../../../examples/', import.meta.url));

/** One operation of the mix: a named query from examples/, sent with its default variables. */
export interface Operation {
  /** The operation's name, e.g. `ProvinceOverview`. */
  name: string;
  file: string;
  query: string;
  /** The exact request body every target gets: `{"query":...,"operationName":...}`. */
  body: string;
  /** The defaults of its variables, which every target answers with (the body sends none); a variable without one is absent. */
  variables: Record<string, unknown>;
}

/** Every query in examples/*.graphql, in file order; mutations are left out (they would change what the next target reads). */
export async function loadOperations(dir: string = EXAMPLES_DIR): Promise<Operation[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.graphql')).sort();
  const operations: Operation[] = [];
  for (const file of files) {
    const query = await readFile(dir + (dir.endsWith('/') ? '' : '/') + file, 'utf8');
    const definition = parse(query).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (!definition || definition.operation !== OperationTypeNode.QUERY) continue;
    const name = definition.name?.value ?? file.replace(/\.graphql$/, '');
    const variables = Object.fromEntries(
      (definition.variableDefinitions ?? []).flatMap((v) => (v.defaultValue ? [[v.variable.name.value, valueFromASTUntyped(v.defaultValue)]] : [])),
    );
    operations.push({ name, file, query, body: JSON.stringify({ query, operationName: name }), variables });
  }
  if (operations.length === 0) throw new Error(`no query operations in ${dir}`);
  return operations;
}
