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
