import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse, OperationTypeNode, Kind } from 'graphql';
import { graphql } from '@hub/toolkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFromArgs } from '../scripts/src/token.js';
import { startTestHub, type TestHub } from './support/hub.js';

const EXAMPLES_DIR = fileURLToPath(new URL('../examples/', import.meta.url));

/**
 * Examples that change data say which token they need, as the command that
 * mints it: "# Token: npm run -s token -- --agency <id> --role <role> ...".
 * The test mints the same token; a mutation without that line is a mistake.
 */
async function tokenHeaderFor(file: string, source: string): Promise<Record<string, string>> {
  const args = /^# Token: npm run -s token -- (.+)$/m.exec(source)?.[1];
  const isQuery = parse(source).definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === OperationTypeNode.QUERY);
  if (!args) {
    expect(isQuery, `${file} changes data, so it must say which token it needs`).toBe(true);
    return {};
  }
  return { authorization: `Bearer ${await tokenFromArgs(args.split(/\s+/))}` };
}

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

  it.each(examples)('%s runs through the gateway with its default variables (and the token it names), without errors', async (file) => {
    const source = await readFile(EXAMPLES_DIR + file, 'utf8');
    const operations = parse(source).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    expect(operations).toHaveLength(1);
    expect(operations[0]!.name?.value, 'every example is a named operation').toBeTruthy();
    const result = await graphql(hub.gatewayUrl, source, {}, await tokenHeaderFor(file, source));
    expect(result.errors).toBeUndefined();
    for (const [field, value] of Object.entries(result.data ?? {})) {
      expect(value, `${field} of ${file}`).not.toBeNull();
    }
  });
});
