import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { HubEntity, LocalDateResolver, SearchWordStarts, searchTextSql } from '@hub/toolkit';
import { PovertyDimension, Theme } from '@hub/domain';

export enum InitiativeStatus {
  PIPELINE = 'PIPELINE',
  IMPLEMENTATION = 'IMPLEMENTATION',
  FINALISATION = 'FINALISATION',
  CLOSED = 'CLOSED',
  CANCELLED = 'CANCELLED',
  SUSPENDED = 'SUSPENDED',
}
registerEnumType(InitiativeStatus, {
  name: 'InitiativeStatus',
  description:
    'Stage of an initiative, from the IATI ActivityStatus codelist: 1 pipeline/identification, 2 implementation, 3 finalisation, 4 closed, 5 cancelled, 6 suspended.',
});

@Directive('@key(fields: "id")')
@ObjectType({
  description:
    'A joint initiative (โครงการ): work that actors of one or more sectors do together, with the role each plays in it. Modelled on an IATI activity.',
})
@Entity({ tableName: 'initiative' })
export class Initiative extends HubEntity<'titleEn' | 'description' | 'themes' | 'povertyDimensions' | 'provinceCodes' | 'startDate' | 'endDate'> {
  @Field(() => ID, { description: 'Initiative id; starts with "ini_".' })
  @PrimaryKey({ type: 'string' })
  id!: string;

  @Field({ description: 'Title, in Thai.' })
  @Property({ type: 'text' })
  title!: string;

  /** title and title_en, folded for search (see searchTextSql); PostgreSQL keeps it up to date. */
  @Index({
    name: 'initiative_search_index',
    expression: 'create index "initiative_search_index" on "initiatives"."initiative" using gin ("search_text" gin_trgm_ops)',
  })
  @Property({ type: 'text', lazy: true, hidden: true, generated: `(${searchTextSql('title', 'title_en')}) stored` })
  searchText?: string;

  /** Where each word of searchText starts, found when the record is written (see searchWordStarts). */
  @SearchWordStarts('title', 'titleEn')
  searchWordStarts?: number[] | null;

  @Field(() => String, { nullable: true, description: 'Title in English.' })
  @Property({ type: 'text', nullable: true })
  titleEn: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Field(() => InitiativeStatus)
  @Index()
  @Enum({ items: () => InitiativeStatus })
  status!: InitiativeStatus;

  @Field(() => [Theme], { description: 'Themes the initiative works on.' })
  @Index({ type: 'gin' })
  @Enum({ items: () => Theme, array: true, default: [] })
  themes: Theme[] = [];

  @Field(() => [PovertyDimension], { description: 'TPMAP poverty dimensions it addresses.' })
  @Enum({ items: () => PovertyDimension, array: true, default: [] })
  povertyDimensions: PovertyDimension[] = [];

  /** ISO 3166-2:TH codes of the provinces it works in. */
  @Index({ type: 'gin' })
  @Property({ type: 'text[]', defaultRaw: "'{}'" })
  provinceCodes: string[] = [];

  @Field(() => LocalDateResolver, { nullable: true })
  @Property({ type: 'date', nullable: true })
  startDate: string | null = null;

  @Field(() => LocalDateResolver, { nullable: true })
  @Property({ type: 'date', nullable: true })
  endDate: string | null = null;
}
