import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { HubEntity, LocalDateResolver } from '@hub/toolkit';

export enum ContributionKind {
  FUNDING = 'FUNDING',
  IN_KIND = 'IN_KIND',
  EXPERTISE = 'EXPERTISE',
  MARKET_ACCESS = 'MARKET_ACCESS',
  VOLUNTEERING = 'VOLUNTEERING',
}
registerEnumType(ContributionKind, {
  name: 'ContributionKind',
  description:
    'What a private partner gives: money (FUNDING, as IATI transaction type "incoming funds" from the partner), goods or services in kind, expertise, access to markets, or volunteer time.',
});

@ObjectType({ description: 'Something a private partner contributes, to an initiative or in general.' })
@Entity({ tableName: 'contribution' })
@Index({ properties: ['partnerId', 'id'] })
export class Contribution extends HubEntity<'initiativeId' | 'amountThb' | 'startDate'> {
  @Field(() => ID, { description: 'Contribution id; starts with "con_".' })
  @PrimaryKey({ type: 'string' })
  id!: string;

  /** Id of the PrivatePartner that gives it. */
  @Property({ type: 'string' })
  partnerId!: string;

  /** Id of the Initiative it goes to (owned by the initiatives subgraph); null for general support. */
  @Index()
  @Property({ type: 'string', nullable: true })
  initiativeId: string | null = null;

  @Field(() => ContributionKind)
  @Enum({ items: () => ContributionKind })
  kind!: ContributionKind;

  @Field({ description: 'What is given, in a sentence.' })
  @Property({ type: 'text' })
  description!: string;

  @Field(() => Float, { nullable: true, description: 'Value in Thai baht, where known.' })
  @Property({ type: 'double', nullable: true })
  amountThb: number | null = null;

  @Field(() => LocalDateResolver, { nullable: true })
  @Property({ type: 'date', nullable: true })
  startDate: string | null = null;
}
