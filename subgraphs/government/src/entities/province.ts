import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { HubEntity } from '@hub/toolkit';
import { Region } from '@hub/domain';

@Directive('@key(fields: "code")')
@ObjectType({
  description:
    'One of the 77 provinces of Thailand (76 changwat and Bangkok). Codes: ISO 3166-2:TH, DOPA (Department of Provincial Administration) and OCHA P-code.',
})
@Entity({ tableName: 'province' })
export class Province extends HubEntity {
  @Field(() => ID, { description: 'ISO 3166-2:TH subdivision code, e.g. "TH-80" for Nakhon Si Thammarat.' })
  @PrimaryKey({ type: 'string', length: 5 })
  code!: string;

  /** Client caches key records by `id` unless told otherwise; a province is known by its code, so that is its id. */
  @Field(() => ID, { description: 'The same as `code` ("TH-80"): an id under which client caches (Apollo Client, urql Graphcache) keep one copy of each province.' })
  get id(): string {
    return this.code;
  }

  @Field({ description: 'Two-digit province code of the Department of Provincial Administration (DOPA), e.g. "80".' })
  @Property({ type: 'string', length: 2, unique: true })
  dopaCode!: string;

  @Field({ description: 'OCHA common operational dataset P-code (admin level 1), e.g. "TH80".' })
  @Property({ type: 'string', length: 4, unique: true })
  pcode!: string;

  @Field({ description: 'Official Thai name, e.g. "นครศรีธรรมราช".' })
  @Property({ type: 'string' })
  nameTh!: string;

  @Field({ description: 'English name as ISO 3166-2:TH writes it, e.g. "Nakhon Si Thammarat".' })
  @Property({ type: 'string' })
  nameEn!: string;

  @Field(() => Region)
  @Index()
  @Enum({ items: () => Region })
  region!: Region;
}
