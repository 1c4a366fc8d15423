import { raw, type RawQueryFragment } from '@mikro-orm/core';
import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDateResolver } from './scalars.js';

/** How a source supports a fact: the difference between what a document says and what the hub reads into it. */
export enum SourceBasis {
  STATED = 'STATED',
  INFERRED = 'INFERRED',
  GENERATED = 'GENERATED',
}
registerEnumType(SourceBasis, {
  name: 'SourceBasis',
  description:
    "How a source supports a fact: STATED (the source says it; `passage` is where), INFERRED (the hub concluded it from what the source says; `passage` is what it rests on and `note` the reasoning, so a reader can disagree), GENERATED (demo data, which no source supports).",
});

/**
 * Where a fact comes from. Every record can carry its sources so an analyst
 * can check a claim; seeded facts cite the document they were taken from,
 * and say whether the document states the fact or the hub inferred it.
 */
@Directive('@shareable')
@ObjectType({ description: 'A source that supports a fact: a document, its address and its date, how it supports the fact, and the passage the fact rests on.' })
export class Source {
  @Field({ description: 'Title of the source, in its own language.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Where the source can be read.' })
  url?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'When the source was published (ISO 8601 date).' })
  publishedOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Who published or wrote it.' })
  publisher?: string | null;

  @Field(() => SourceBasis, { description: 'Whether the source states the fact or the fact was inferred from it.' })
  basis!: SourceBasis;

  @Field(() => String, {
    nullable: true,
    description:
      'The passage of the source the fact rests on, quoted verbatim in the source\'s language (runs of white space written as one space). Words the hub added are in square brackets, [like this]; "…" marks words left out. Null where the source as a whole supports the fact, as a standard does its codes.',
  })
  passage?: string | null;

  @Field(() => String, { nullable: true, description: 'What the fact takes from the source, in English; for an INFERRED fact, the reasoning.' })
  note?: string | null;
}

/** A document that facts can cite: what every citation of it repeats. */
export type SourceDocument = Pick<Source, 'title' | 'url' | 'publishedOn' | 'publisher'>;

/** A citation of a passage that states the fact. */
export function stated(document: Readonly<SourceDocument>, passage: string | null, note: string): Source {
  return { ...document, basis: SourceBasis.STATED, passage, note };
}

/** A citation of a passage the fact was inferred from, with the reasoning, so a reader can check it. */
export function inferred(document: Readonly<SourceDocument>, passage: string, reasoning: string): Source {
  return { ...document, basis: SourceBasis.INFERRED, passage, note: reasoning };
}

/**
 * SQL for a migration: gives a basis to every source, in one table's rows,
 * that was written before sources had one. Demo rows' sources are GENERATED;
 * any other source was cited as saying what its record says, so STATED.
 * Rows whose sources all have a basis are not touched.
 */
export function backfillSourceBasisSql(schema: string, table: string): string {
  return `update "${schema}"."${table}" as t set "sources" = (
  select jsonb_agg(case when s->'basis' is not null then s
    else s || jsonb_build_object('basis', case when t."demo" then '${SourceBasis.GENERATED}' else '${SourceBasis.STATED}' end) end order by n)
  from jsonb_array_elements(t."sources") with ordinality as e(s, n))
where exists (select 1 from jsonb_array_elements(t."sources") as e(s) where s->'basis' is null);`;
}

/** A seeded record as its seed writes it: its data, its id and the sources it cites. */
export type CitedRecord<Data = unknown> = Data & { id: string; sources: Source[] };

/**
 * SQL for a migration: sets the sources of seeded records, found by id, to
 * those the seed now writes, so a database seeded before a correction of the
 * facts tells the same as a fresh one. Records that are not there are skipped.
 */
export function restateSourcesSql(
  schema: string,
  table: string,
  records: readonly CitedRecord[],
): RawQueryFragment {
  const rows = records.map(() => '(?, ?::jsonb)').join(', ');
  const params = records.flatMap((record) => [record.id, JSON.stringify(record.sources)]);
  return raw(
    `update "${schema}"."${table}" as t set "sources" = v.sources from (values ${rows}) as v(id, sources) where t."id" = v.id;`,
    params,
  );
}

/**
 * SQL for a migration: changes the columns of a seeded record that a
 * correction of the facts changed. `where` names the record by its key and
 * the values the old seed wrote: an owner's later edit of them is kept.
 * Columns are named as in the table.
 */
export function correctSeededValuesSql(
  schema: string,
  table: string,
  where: Readonly<Record<string, unknown>>,
  set: Readonly<Record<string, unknown>>,
): RawQueryFragment {
  const assignments = Object.keys(set).map((column) => `"${column}" = ?`).join(', ');
  const conditions = Object.keys(where).map((column) => `"${column}" = ?`).join(' and ');
  return raw(`update "${schema}"."${table}" set ${assignments} where ${conditions};`, [...Object.values(set), ...Object.values(where)]);
}
