import { Entity, Enum, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { HubEntity } from '@hub/toolkit';
import { Sector } from '@hub/domain';

export enum ParticipationRole {
  FUNDING = 'FUNDING',
  ACCOUNTABLE = 'ACCOUNTABLE',
  EXTENDING = 'EXTENDING',
  IMPLEMENTING = 'IMPLEMENTING',
}
registerEnumType(ParticipationRole, {
  name: 'ParticipationRole',
  description:
    'The role an actor plays in an initiative, from the IATI OrganisationRole codelist: 1 funding, 2 accountable (oversees, answers for it), 3 extending (manages on behalf of funders), 4 implementing (does the work).',
});

@ObjectType({ description: "An actor's part in an initiative: its IATI role, and whether it is a main host (เจ้าภาพหลัก)." })
@Entity({ tableName: 'participation' })
@Unique({ properties: ['initiativeId', 'actorId', 'role'] })
@Index({ properties: ['actorId', 'initiativeId'] })
export class Participation extends HubEntity<'lead'> {
  @Field(() => ID, { description: 'Participation id; starts with "par_".' })
  @PrimaryKey({ type: 'string' })
  id!: string;

  @Property({ type: 'string' })
  initiativeId!: string;

  /** Id of the actor, owned by the people, government or partners subgraph. */
  @Property({ type: 'string' })
  actorId!: string;

  @Field(() => Sector, { description: "The participant's sector (known from its id)." })
  @Index()
  @Enum({ items: () => Sector })
  sector!: Sector;

  @Field(() => ParticipationRole)
  @Index()
  @Enum({ items: () => ParticipationRole })
  role!: ParticipationRole;

  @Field({ description: 'True for a main host (เจ้าภาพหลัก) of the initiative; an initiative can have several.' })
  @Property({ default: false })
  lead: boolean = false;
}
