import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { HubEntity, LocalDateResolver, SearchWordStarts, searchTextSql } from '@hub/toolkit';
import { EstablishmentStatus, OrganisationType, Sector, type ContactDetails } from '@hub/domain';

export enum PeopleOrganizationKind {
  NATIONAL_CENTRE = 'NATIONAL_CENTRE',
  PROVINCIAL_CENTRE = 'PROVINCIAL_CENTRE',
  COMMUNITY_NETWORK = 'COMMUNITY_NETWORK',
  COMMUNITY_ORGANISATION = 'COMMUNITY_ORGANISATION',
}
registerEnumType(PeopleOrganizationKind, {
  name: 'PeopleOrganizationKind',
  description:
    "What kind of people's-sector body an actor is: the national people's centre (ศตจ.ปชช.), a provincial people's centre (ศตจ.ปชช.จังหวัด), a community network (เครือข่ายชุมชน) or a community organisation (องค์กรชุมชน). Popolo Organization classification.",
});

@Directive('@key(fields: "id")')
@ObjectType({
  description:
    "A people's-sector actor: the people's anti-poverty centres (ศตจ.ปชช.), community networks and community organisations (a Popolo Organization). Implements Actor in the joint graph.",
})
@Entity({ tableName: 'people_organization' })
export class PeopleOrganization extends HubEntity<'contact' | 'nameEn' | 'sector' | 'organisationType' | 'status' | 'establishedOn' | 'provinceCode' | 'parentId'> {
  @Field(() => ID, { description: 'Globally unique actor id; people\'s-sector actors start with "peo_".' })
  @PrimaryKey({ type: 'string' })
  id!: string;

  @Field({ description: 'Name, in Thai.' })
  @Property({ type: 'text' })
  name!: string;

  /** name and name_en, folded for search (see searchTextSql); PostgreSQL keeps it up to date. */
  @Index({
    name: 'people_organization_search_index',
    expression: 'create index "people_organization_search_index" on "people"."people_organization" using gin ("search_text" gin_trgm_ops)',
  })
  @Property({ type: 'text', lazy: true, hidden: true, generated: `(${searchTextSql('name', 'name_en')}) stored` })
  searchText?: string;

  /** Where each word of searchText starts, found when the record is written (see searchWordStarts). */
  @SearchWordStarts('name', 'nameEn')
  searchWordStarts?: number[] | null;

  @Field(() => String, { nullable: true, description: 'Name in English, where one is in use.' })
  @Property({ type: 'text', nullable: true })
  nameEn: string | null = null;

  @Field(() => Sector, { description: 'Always PEOPLE.' })
  get sector(): Sector {
    return Sector.PEOPLE;
  }

  @Field(() => PeopleOrganizationKind)
  @Index()
  @Enum({ items: () => PeopleOrganizationKind })
  kind!: PeopleOrganizationKind;

  @Field(() => OrganisationType)
  @Enum({ items: () => OrganisationType })
  organisationType: OrganisationType = OrganisationType.NATIONAL_NGO;

  @Field(() => EstablishmentStatus)
  @Enum({ items: () => EstablishmentStatus })
  status: EstablishmentStatus = EstablishmentStatus.ESTABLISHED;

  @Field(() => LocalDateResolver, { nullable: true, description: 'When it was formally established, where known.' })
  @Property({ type: 'date', nullable: true })
  establishedOn: string | null = null;

  /** ISO 3166-2:TH code of its province; null for national bodies. */
  @Index()
  @Property({ type: 'string', length: 5, nullable: true })
  provinceCode: string | null = null;

  /** The body it belongs under, e.g. a provincial people's centre under the national one. */
  @Index()
  @Property({ type: 'string', nullable: true })
  parentId: string | null = null;

  /** Personal data: served only to signed-in users, through `contact` (contactResolver). */
  @Property({ type: 'json', nullable: true })
  contact: ContactDetails | null = null;
}
