import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse, OperationTypeNode, Kind } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from './support/hub.js';

const EXAMPLES_DIR = fileURLToPath(new URL('../examples/', import.meta.url));
const examples = (await readdir(EXAMPLES_DIR)).filter((f) => f.endsWith('.graphql')).sort();

describe('the named operations in examples/', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub?.stop());

  it('has some', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples)('%s runs through the gateway with its default variables, without errors', async (file) => {
    const source = await readFile(EXAMPLES_DIR + file, 'utf8');
    const operations = parse(source).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    expect(operations).toHaveLength(1);
    expect(operations[0]!.name?.value, 'every example is a named operation').toBeTruthy();
    if (operations[0]!.operation !== OperationTypeNode.QUERY) return;

    const result = await hub.query(source);
    expect(result.errors).toBeUndefined();
    for (const [field, value] of Object.entries(result.data ?? {})) {
      expect(value, `${field} of ${file}`).not.toBeNull();
    }
  });
});
