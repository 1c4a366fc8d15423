import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { HubEntity, LocalDateResolver } from '@hub/toolkit';

export enum LinkType {
  COORDINATION = 'COORDINATION',
  MEMBERSHIP = 'MEMBERSHIP',
  FUNDING = 'FUNDING',
  COUNTERPART = 'COUNTERPART',
}
registerEnumType(LinkType, {
  name: 'LinkType',
  description:
    "A standing relationship between two actors, outside any one initiative: COORDINATION (they coordinate their work, e.g. a people's centre with its provincial government centre), MEMBERSHIP (source is a member of target, as a Popolo Membership), FUNDING (source funds target), COUNTERPART (source is target's counterpart in another sector).",
});

@ObjectType({ description: 'A standing link between two actors, directed from source to target.' })
@Entity({ tableName: 'link' })
@Index({ properties: ['sourceId', 'id'] })
@Index({ properties: ['targetId', 'id'] })
export class Link extends HubEntity<'startDate' | 'endDate' | 'note'> {
  @Field(() => ID, { description: 'Link id; starts with "lnk_".' })
  @PrimaryKey({ type: 'string' })
  id!: string;

  @Field(() => LinkType)
  @Index()
  @Enum({ items: () => LinkType })
  type!: LinkType;

  @Property({ type: 'string' })
  sourceId!: string;

  @Property({ type: 'string' })
  targetId!: string;

  @Field(() => LocalDateResolver, { nullable: true })
  @Property({ type: 'date', nullable: true })
  startDate: string | null = null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Null while the link lasts.' })
  @Property({ type: 'date', nullable: true })
  endDate: string | null = null;

  @Field(() => String, { nullable: true, description: 'What the link is, in a sentence.' })
  @Property({ type: 'text', nullable: true })
  note: string | null = null;
}
