import { readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse, OperationTypeNode, Kind } from 'graphql';
import { graphql } from '@hub/toolkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COST_HEADER, DEFAULT_LIMITS, type CostExtension } from '@hub/gateway';
import { HOSTILE_OPERATIONS, type HostileOperation } from '@hub/bench/hostile';
import { tokenArgsOf, tokenHeaderOf } from './support/examples.js';
import { startTestHub, type TestHub } from './support/hub.js';

const EXAMPLES_DIR = fileURLToPath(new URL('../examples/', import.meta.url));
const DEMAND_CONTROL_DOC = fileURLToPath(new URL('../docs/demand-control.md', import.meta.url));
/**
 * Each query's answer, as recorded: a change that alters an answer fails here
 * unless it re-records them on purpose (UPDATE_ANSWERS=1). Beside them, queries
 * that are no longer examples but must still answer as they did: shapes kept
 * deprecated for a release.
 */
const ANSWERS_DIR = fileURLToPath(new URL('./fixtures/answers/', import.meta.url));

/** Questions dashboards ask beside the examples: the budget must let them through. */
const DASHBOARD_QUESTIONS = [
  {
    name: 'a province card: 50 initiatives × 50 participants',
    query: `{ province(code: "TH-80") { initiatives(first: 50) { nodes { title participants(first: 50) { nodes { role actor { name } } } } } } }`,
  },
  {
    name: '77 province cards with their counts',
    query: `{ provinces { code nameEn peopleOrganizations { totalCount } governmentCentres { totalCount } partners { totalCount } initiatives { totalCount } } }`,
  },
  { name: 'a depth-2 neighbourhood', query: `{ neighbourhood(actorId: "gov_th80_centre", depth: 2) { nodes { depth actor { id name } } edges { kind source { id } target { id } } } }` },
];

/**
 * Examples that change data say which token they need, as the command that
 * mints it: "# Token: npm run -s token -- --agency <id> --role <role> ...".
 * The test mints the same token; a mutation without that line is a mistake.
 */
async function tokenHeaderFor(file: string, source: string): Promise<Record<string, string>> {
  const isQuery = parse(source).definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === OperationTypeNode.QUERY);
  if (!tokenArgsOf(source)) expect(isQuery, `${file} changes data, so it must say which token it needs`).toBe(true);
  return tokenHeaderOf(source);
}

const allExamples = (await readdir(EXAMPLES_DIR)).filter((f) => f.endsWith('.graphql')).sort();
/**
 * Subscriptions answer on a stream, not a JSON POST, and only when something
 * changes: test/live-changes.test.ts runs them, with a change to deliver.
 * Here they are only checked to be refused as a plain POST is.
 */
const subscriptionExamples: string[] = [];
for (const file of allExamples) {
  const source = await readFile(EXAMPLES_DIR + file, 'utf8');
  if (parse(source).definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === OperationTypeNode.SUBSCRIPTION)) subscriptionExamples.push(file);
}
const examples = allExamples.filter((file) => !subscriptionExamples.includes(file));
const deprecatedShapes = (await readdir(ANSWERS_DIR)).filter((f) => f.endsWith('.graphql')).sort();

/** The recorded answer of a query, or (UPDATE_ANSWERS=1) records it. */
async function expectRecordedAnswer(file: string, data: unknown) {
  const path = ANSWERS_DIR + file.replace(/\.graphql$/, '.json');
  if (process.env.UPDATE_ANSWERS === '1') await writeFile(path, JSON.stringify(data, null, 2) + '\n');
  const recorded: unknown = JSON.parse(await readFile(path, 'utf8').catch(() => 'null'));
  expect(data, `${file} answers as recorded in test/fixtures/answers/ (UPDATE_ANSWERS=1 records it afresh)`).toEqual(recorded);
}

describe('the named operations in examples/', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub?.stop());

  it('has some', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  /** Estimated cost of each operation sent, for the price table of docs/demand-control.md. */
  const prices = new Map<string, number>();

  it.each(examples)('%s runs through the gateway with its default variables (and the token it names), without errors', async (file) => {
    const source = await readFile(EXAMPLES_DIR + file, 'utf8');
    const operations = parse(source).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    expect(operations).toHaveLength(1);
    expect(operations[0]!.name?.value, 'every example is a named operation').toBeTruthy();
    const result = await graphql(hub.gatewayUrl, source, {}, { ...(await tokenHeaderFor(file, source)), [COST_HEADER]: 'true' });
    expect(result.errors).toBeUndefined();
    prices.set(`\`examples/${file}\``, (result.extensions?.cost as CostExtension).estimated);
    for (const [field, value] of Object.entries(result.data ?? {})) {
      expect(value, `${field} of ${file}`).not.toBeNull();
    }
    if (operations[0]!.kind === Kind.OPERATION_DEFINITION && operations[0]!.operation === OperationTypeNode.QUERY) {
      await expectRecordedAnswer(file, result.data);
    }
  });

  it.each(subscriptionExamples)('%s, a subscription, is refused as a plain JSON POST and left to test/live-changes.test.ts', async (file) => {
    const result = await graphql(hub.gatewayUrl, await readFile(EXAMPLES_DIR + file, 'utf8'));
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['SUBSCRIPTION_STREAM_REQUIRED']);
  });

  it.each(deprecatedShapes)('%s, a deprecated shape, still answers as it did', async (file) => {
    const result = await graphql(hub.gatewayUrl, await readFile(ANSWERS_DIR + file, 'utf8'));
    expect(result.errors).toBeUndefined();
    await expectRecordedAnswer(file, result.data);
  });

  it('docs/demand-control.md gives the price of every example, dashboard question and hostile shape, as the gateway estimates it', async () => {
    const rows = ['| operation | estimated cost | answered or refused |', '| --- | ---: | --- |'];
    for (const file of examples) {
      const price = prices.get(`\`examples/${file}\``);
      expect(price, `${file} ran above`).toBeDefined();
      rows.push(`| \`examples/${file}\` | ${price!.toLocaleString('en')} | answered |`);
    }
    const questions: HostileOperation[] = [...DASHBOARD_QUESTIONS.map((q) => ({ ...q, refused: false })), ...HOSTILE_OPERATIONS];
    for (const question of questions) {
      const result = await graphql(hub.gatewayUrl, question.query, question.variables ?? {}, { [COST_HEADER]: 'true' });
      const cost = (result.extensions?.cost ?? result.errors?.[0]?.extensions?.cost) as CostExtension;
      const refused = result.errors?.[0]?.extensions?.code === 'COST_ESTIMATED_TOO_EXPENSIVE';
      expect(refused, question.name).toBe(question.refused);
      expect(cost.estimated > DEFAULT_LIMITS.maxCost, question.name).toBe(refused);
      rows.push(`| ${question.name} | ${cost.estimated.toLocaleString('en')} | ${refused ? 'refused' : 'answered'} |`);
    }
    const doc = await readFile(DEMAND_CONTROL_DOC, 'utf8');
    const block = /(<!-- prices:[^\n]*-->\n)([\s\S]*?)(<!-- \/prices -->)/;
    const written = doc.replace(block, (_all, open: string, _old: string, close: string) => `${open}${rows.join('\n')}\n${close}`);
    if (process.env.UPDATE_DOCS === '1') await writeFile(DEMAND_CONTROL_DOC, written);
    expect(doc, 'the price table is stale: run this test with UPDATE_DOCS=1').toBe(written);
  });
});
