import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { HubEntity, SearchWordStarts, searchTextSql } from '@hub/toolkit';
import { OrganisationType, Sector, type ContactDetails } from '@hub/domain';

export enum PrivatePartnerKind {
  COMPANY = 'COMPANY',
  FOUNDATION = 'FOUNDATION',
  FINANCIAL_INSTITUTION = 'FINANCIAL_INSTITUTION',
  SOCIAL_ENTERPRISE = 'SOCIAL_ENTERPRISE',
}
registerEnumType(PrivatePartnerKind, {
  name: 'PrivatePartnerKind',
  description:
    'What kind of private partner an actor is: a company, a foundation, a financial institution (bank, cooperative, community fund) or a social enterprise. Maps to IATI OrganisationType 70 (private sector) or 60 (foundation).',
});

@Directive('@key(fields: "id")')
@ObjectType({
  description: 'A private partner: a company, foundation, financial institution or social enterprise. Implements Actor in the joint graph.',
})
@Entity({ tableName: 'private_partner' })
export class PrivatePartner extends HubEntity<'contact' | 'nameEn' | 'sector' | 'organisationType' | 'website' | 'provinceCode'> {
  @Field(() => ID, { description: 'Globally unique actor id; private partners start with "prt_".' })
  @PrimaryKey({ type: 'string' })
  id!: string;

  @Field({ description: 'Registered name, in Thai where it has one.' })
  @Property({ type: 'text' })
  name!: string;

  /** name and name_en, folded for search (see searchTextSql); PostgreSQL keeps it up to date. */
  @Index({
    name: 'private_partner_search_index',
    expression: 'create index "private_partner_search_index" on "partners"."private_partner" using gin ("search_text" gin_trgm_ops)',
  })
  @Property({ type: 'text', lazy: true, hidden: true, generated: `(${searchTextSql('name', 'name_en')}) stored` })
  searchText?: string;

  /** Where each word of searchText starts, found when the record is written (see searchWordStarts). */
  @SearchWordStarts('name', 'nameEn')
  searchWordStarts?: number[] | null;

  @Field(() => String, { nullable: true, description: 'Name in English, where one is in use.' })
  @Property({ type: 'text', nullable: true })
  nameEn: string | null = null;

  @Field(() => Sector, { description: 'Always PRIVATE.' })
  get sector(): Sector {
    return Sector.PRIVATE;
  }

  @Field(() => PrivatePartnerKind)
  @Index()
  @Enum({ items: () => PrivatePartnerKind })
  kind!: PrivatePartnerKind;

  @Field(() => OrganisationType)
  @Enum({ items: () => OrganisationType })
  organisationType: OrganisationType = OrganisationType.PRIVATE_SECTOR;

  @Field(() => String, { nullable: true, description: 'Public website.' })
  @Property({ type: 'text', nullable: true })
  website: string | null = null;

  /** ISO 3166-2:TH code of the province it is based in; null for national partners. */
  @Index()
  @Property({ type: 'string', length: 5, nullable: true })
  provinceCode: string | null = null;

  /** Personal data: served only to signed-in users, through `contact` (contactResolver). */
  @Property({ type: 'json', nullable: true })
  contact: ContactDetails | null = null;
}
