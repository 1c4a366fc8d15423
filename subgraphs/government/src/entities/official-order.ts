import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { HubEntity, LocalDateResolver } from '@hub/toolkit';

@ObjectType({
  description:
    'An official order (คำสั่ง) of a government body, such as the order of the national centre of 28 February 2549 B.E. (2006) to establish provincial people\'s centres in pilot provinces.',
})
@Entity({ tableName: 'official_order' })
export class OfficialOrder extends HubEntity<'titleEn' | 'summary' | 'pilotProvinceCount' | 'pilotProvinceCodes'> {
  @Field(() => ID, { description: 'Order id; starts with "ord_".' })
  @PrimaryKey({ type: 'string' })
  id!: string;

  @Field({ description: 'Title of the order, in Thai.' })
  @Property({ type: 'text' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Title in English.' })
  @Property({ type: 'text', nullable: true })
  titleEn: string | null = null;

  @Field(() => LocalDateResolver, { description: 'Date the order was issued (ISO 8601, Common Era).' })
  @Index()
  @Property({ type: 'date' })
  issuedOn!: string;

  @Field(() => String, { nullable: true, description: 'What the order does, in a sentence.' })
  @Property({ type: 'text', nullable: true })
  summary: string | null = null;

  /** Id of the GovernmentCentre that issued it. */
  @Index()
  @Property({ type: 'string' })
  issuedById!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'How many pilot provinces the order names, where it sets up a pilot programme (42 for the 2006 order).',
  })
  @Property({ type: 'integer', nullable: true })
  pilotProvinceCount: number | null = null;

  /**
   * Provinces a source names as pilots. Only provinces a source names are
   * listed: the 2006 order's 42 pilots are not named in any seeded source.
   */
  @Property({ type: 'text[]', defaultRaw: "'{}'" })
  pilotProvinceCodes: string[] = [];
}
