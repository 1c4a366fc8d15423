import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Kind, OperationTypeNode, parse } from 'graphql';
import { tokenFromArgs } from '../../scripts/src/token.js';

export const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/', import.meta.url));

/** One file of examples/: its text, and what kind of operation it is. */
export interface Example {
  file: string;
  source: string;
  operation: OperationTypeNode;
}

/** Every examples/*.graphql, in name order. */
export async function loadExamples(): Promise<Example[]> {
  const files = (await readdir(EXAMPLES_DIR)).filter((file) => file.endsWith('.graphql')).sort();
  return Promise.all(
    files.map(async (file) => {
      const source = await readFile(EXAMPLES_DIR + file, 'utf8');
      const operation = parse(source).definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
      return { file, source, operation: operation?.kind === Kind.OPERATION_DEFINITION ? operation.operation : OperationTypeNode.QUERY };
    }),
  );
}

/** The arguments of an example's `# Token: npm run -s token -- …` line, the token it needs; undefined when it names none. */
export function tokenArgsOf(source: string): string[] | undefined {
  return /^# Token: npm run -s token -- (.+)$/m.exec(source)?.[1]?.split(/\s+/);
}

/** The Authorization header of the token an example names, or no header. */
export async function tokenHeaderOf(source: string): Promise<Record<string, string>> {
  const args = tokenArgsOf(source);
  return args ? { authorization: `Bearer ${await tokenFromArgs(args)}` } : {};
}

/** The examples that change data, each with the token it names: one that names none is a mistake in the example. */
export async function mutationExamples(): Promise<(Example & { tokenArgs: string[] })[]> {
  return (await loadExamples())
    .filter((example) => example.operation === OperationTypeNode.MUTATION)
    .map((example) => {
      const tokenArgs = tokenArgsOf(example.source);
      if (!tokenArgs) throw new Error(`examples/${example.file} changes data but does not say which token it needs`);
      return { ...example, tokenArgs };
    });
}
