/** schema-check's report: a check's outcome as terminal text, with what to do next. */
import {
  ACCEPTED_CHANGES_FILE,
  acceptedChangeEntry,
  LEVEL_ORDER,
  sameChange,
  SUPERGRAPH,
  type CheckReport,
  type SchemaReport,
} from './check.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

function summary(schema: SchemaReport): string {
  switch (schema.status) {
    case 'unchanged':
      return 'no changes';
    case 'new':
      return `new: no committed schema/${schema.file} yet`;
    case 'removed':
      return `removed: schema/${schema.file} is committed but no longer in the code`;
    case 'not-composed':
      return 'not composed (see the composition errors above)';
    case 'changed': {
      const counts = LEVEL_ORDER.filter((level) => level !== 'SAFE')
        .map((level) => [level, schema.changes.filter((c) => c.level === level).length] as const)
        .filter(([, n]) => n > 0)
        .map(([level, n]) => `${n} ${level.toLowerCase()}`);
      return [plural(schema.changes.length, 'change'), ...counts].join(', ');
    }
  }
}

/** The report as terminal text. */
export function formatReport(report: CheckReport): string {
  const out: string[] = [];
  if (report.compositionErrors.length > 0) {
    out.push(
      `Composition failed: the subgraphs no longer fit together into one supergraph (${plural(report.compositionErrors.length, 'error')}).`,
      '',
    );
    report.compositionErrors.forEach((problem, index) => {
      const involved = problem.subgraphs.length > 0 ? problem.subgraphs.join(', ') : 'not named in the error';
      const cause =
        problem.changedSubgraphs.length > 0
          ? `${problem.changedSubgraphs.join(', ')} (changed since the committed schema/, so most likely the cause)`
          : 'none of them changed since the committed schema/';
      out.push(
        `${index + 1}. ${problem.code ? `${problem.code}: ` : ''}${problem.title}`,
        `   Subgraphs involved: ${involved}`,
        `   Caused by: ${cause}`,
        indent(`What happened: ${problem.message}`, '   '),
        `   What the rule is: ${problem.meaning}`,
        `   What to do: ${problem.whatToDo}`,
        '',
      );
    });
  }

  const width = Math.max(...report.schemas.map((s) => s.name.length)) + 2;
  for (const schema of report.schemas) {
    const note = schema.name === SUPERGRAPH && schema.status !== 'not-composed' ? ' (the API schema clients query)' : '';
    out.push(`${`${schema.name}:`.padEnd(width)}${summary(schema)}${note}`);
    for (const change of schema.changes) {
      const tag = change.level === 'BREAKING' && change.accepted ? 'ACCEPTED' : change.level;
      out.push(`  ${tag.padEnd(9)} ${change.message}`);
      if (change.level === 'BREAKING') {
        out.push(`            ${change.type} ${change.path ?? ''}`.trimEnd());
        if (change.reason && !change.accepted) out.push(`            ${change.reason}`);
      }
    }
  }
  out.push('');

  const accepted = report.schemas.flatMap((schema) =>
    schema.changes.filter((c) => c.accepted).map((change) => ({ schema: schema.name, change, acceptance: change.accepted! })),
  );
  if (accepted.length > 0) {
    out.push('Accepted breaking changes:');
    for (const { schema, change, acceptance } of accepted) {
      const by =
        acceptance.via === 'file'
          ? `accepted by ${acceptance.acceptedBy} in schema/${ACCEPTED_CHANGES_FILE}: ${acceptance.reason}`
          : acceptance.reason;
      out.push(`  ${schema}: ${change.message}`, `    ${by}`);
    }
    out.push('');
  }
  if (report.unusedAcceptances.length > 0 && report.outcome !== 'clean') {
    out.push(`Entries of schema/${ACCEPTED_CHANGES_FILE} that match no breaking change now:`);
    for (const entry of report.unusedAcceptances) out.push(`  ${entry.subgraph}: ${entry.type} ${entry.path}`);
    out.push('');
  }

  const unaccepted = report.schemas.flatMap((schema) =>
    schema.changes.filter((c) => c.level === 'BREAKING' && !c.accepted).map((change) => ({ schema: schema.name, change })),
  );
  const dangerous = report.schemas.reduce((n, s) => n + s.changes.filter((c) => c.level === 'DANGEROUS').length, 0);
  switch (report.outcome) {
    case 'composition-failed':
      out.push('Schema check FAILED: composition failed. Fix the errors above; `npm run compose` and the gateway cannot load these subgraphs either.');
      break;
    case 'breaking': {
      // Entries for the subgraphs' changes; a supergraph change needs its own entry only when no subgraph explains it.
      const entries = unaccepted
        .filter(({ schema, change }) => schema !== SUPERGRAPH || !unaccepted.some((u) => u.schema !== SUPERGRAPH && sameChange(u.change, change)))
        .map(({ schema, change }) => acceptedChangeEntry(schema, change));
      out.push(
        `Schema check FAILED: ${plural(unaccepted.length, 'breaking change')} not accepted. Clients using them would break.`,
        'Either avoid the break (keep the field or value and mark it @deprecated, make new arguments and input fields optional),',
        `or accept it on purpose: add these entries to schema/${ACCEPTED_CHANGES_FILE} with a reason (an entry for a subgraph also covers the same change in the supergraph),`,
        'or run again with --accept-breaking.',
        '',
        indent(JSON.stringify(entries, null, 2), '  '),
      );
      break;
    }
    case 'passed': {
      const changed = report.schemas.filter((s) => s.status !== 'unchanged').map((s) => s.name);
      const details = [
        accepted.length > 0 ? `${plural(accepted.length, 'breaking change')} accepted` : 'nothing breaking',
        dangerous > 0 ? `${dangerous} dangerous: clients may behave differently, e.g. on an enum value they do not expect` : null,
      ].filter((d) => d !== null);
      out.push(
        `Schema check passed: ${changed.join(', ')} changed (${details.join('; ')}).`,
        'Run `npm run compose` to commit the new SDL to schema/: the schema freshness test (test/schema.test.ts) fails until then.',
      );
      break;
    }
    case 'clean':
      out.push('No changes: every subgraph and the supergraph match the committed schema/ files.');
      if (report.textOnlyChanges.length > 0) {
        out.push(
          `The text of ${report.textOnlyChanges.map((file) => `schema/${file}`).join(', ')} differs without a schema change (order, routing URL, ...):`,
          'run `npm run compose` to rewrite it, or the schema freshness test (test/schema.test.ts) fails.',
        );
      }
      break;
  }
  return out.join('\n');
}
