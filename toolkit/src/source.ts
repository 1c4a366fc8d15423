import { Directive, Field, ObjectType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';

/**
 * Where a fact comes from. Every record can carry its sources so an analyst
 * can check a claim; seeded facts cite the document they were taken from.
 */
@Directive('@shareable')
@ObjectType({ description: 'A source that supports a fact: a document, its address and its date.' })
export class Source {
  @Field({ description: 'Title of the source, in its own language.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Where the source can be read.' })
  url?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'When the source was published (ISO 8601 date).' })
  publishedOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Who published or wrote it.' })
  publisher?: string | null;

  @Field(() => String, { nullable: true, description: 'What the source says that supports the fact.' })
  note?: string | null;
}

/**
 * The document the hub grew from: a 2006 post by a CODI (พอช.) staff member
 * about the people's-sector anti-poverty centres.
 */
export const POST_50646: Readonly<Source> = Object.freeze({
  title: 'ศตจ.ปชช. ตอนที่ 3: ศตจ.ปชช.จังหวัด กลไกหลักในการขับเคลื่อนงาน',
  url: 'https://www.gotoknow.org/posts/50646',
  publishedOn: '2006-09-18',
  publisher: 'GotoKnow, record 50646 (พัช พอช.)',
  note: null,
});

/** A citation of the post, with what it says in support of this fact. */
export function citePost50646(note: string): Source {
  return { ...POST_50646, note };
}

/** Records made by the demo-data generator cite this instead of a real source. */
export const DEMO_SOURCE: Readonly<Source> = Object.freeze({
  title: 'Generated demo data (not a real record)',
  url: null,
  publishedOn: null,
  publisher: 'anti-poverty federation hub demo generator',
  note: null,
});
