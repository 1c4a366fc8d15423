import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { HubEntity, SearchWordStarts, searchTextSql } from '@hub/toolkit';
import { OrganisationType, Sector, type ContactDetails } from '@hub/domain';

export enum GovernmentCentreKind {
  NATIONAL_CENTRE = 'NATIONAL_CENTRE',
  PROVINCIAL_CENTRE = 'PROVINCIAL_CENTRE',
  AGENCY = 'AGENCY',
  PUBLIC_ORGANISATION = 'PUBLIC_ORGANISATION',
}
registerEnumType(GovernmentCentreKind, {
  name: 'GovernmentCentreKind',
  description:
    'What kind of government body an actor is: the national anti-poverty centre (ศตจ.ชาติ), a provincial centre (ศตจ.จังหวัด, one per province), a government agency, or a public organisation (องค์การมหาชน) such as CODI (พอช.).',
});

@Directive('@key(fields: "id")')
@ObjectType({
  description:
    'A government actor: the national and provincial anti-poverty operations centres (ศูนย์อำนวยการต่อสู้เพื่อเอาชนะความยากจน, ศตจ.), agencies and public organisations. Implements Actor in the joint graph.',
})
@Entity({ tableName: 'government_centre' })
export class GovernmentCentre extends HubEntity<'contact' | 'nameEn' | 'sector' | 'provinceCode' | 'parentId'> {
  @Field(() => ID, { description: 'Globally unique actor id; government actors start with "gov_".' })
  @PrimaryKey({ type: 'string' })
  id!: string;

  @Field({ description: 'Official name, in Thai.' })
  @Property({ type: 'text' })
  name!: string;

  /** name and name_en, folded for search (see searchTextSql); PostgreSQL keeps it up to date. */
  @Index({
    name: 'government_centre_search_index',
    expression: 'create index "government_centre_search_index" on "government"."government_centre" using gin ("search_text" gin_trgm_ops)',
  })
  @Property({ type: 'text', lazy: true, hidden: true, generated: `(${searchTextSql('name', 'name_en')}) stored` })
  searchText?: string;

  /** Where each word of searchText starts, found when the record is written (see searchWordStarts). */
  @SearchWordStarts('name', 'nameEn')
  searchWordStarts?: number[] | null;

  @Field(() => String, { nullable: true, description: 'Name in English, where one is in use.' })
  @Property({ type: 'text', nullable: true })
  nameEn: string | null = null;

  @Field(() => Sector, { description: 'Always GOVERNMENT.' })
  get sector(): Sector {
    return Sector.GOVERNMENT;
  }

  @Field(() => GovernmentCentreKind)
  @Index()
  @Enum({ items: () => GovernmentCentreKind })
  kind!: GovernmentCentreKind;

  @Field(() => OrganisationType)
  @Enum({ items: () => OrganisationType })
  organisationType!: OrganisationType;

  /** ISO 3166-2:TH code of the province it serves; null for national bodies. */
  @Index()
  @Property({ type: 'string', length: 5, nullable: true })
  provinceCode: string | null = null;

  /** The body it reports to, e.g. a provincial centre to the national centre. */
  @Index()
  @Property({ type: 'string', nullable: true })
  parentId: string | null = null;

  /** Personal data: served only to signed-in users, through `contact` (contactResolver). */
  @Property({ type: 'json', nullable: true })
  contact: ContactDetails | null = null;
}
