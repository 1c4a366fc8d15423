import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { HubEntity, LocalDateResolver } from '@hub/toolkit';

@ObjectType({
  description:
    "A people's organisation's membership of another, e.g. a community organisation in a community network (Popolo Membership: member, organization, role, start and end dates).",
})
@Entity({ tableName: 'membership' })
@Index({ properties: ['organizationId', 'id'] })
export class Membership extends HubEntity<'role' | 'startDate' | 'endDate'> {
  @Field(() => ID, { description: 'Membership id; starts with "mem_".' })
  @PrimaryKey({ type: 'string' })
  id!: string;

  /** Id of the member PeopleOrganization. */
  @Index()
  @Property({ type: 'string' })
  memberId!: string;

  /** Id of the PeopleOrganization it is a member of. */
  @Property({ type: 'string' })
  organizationId!: string;

  @Field({ description: 'The role of the member in the organisation (Popolo Membership.role), e.g. "member", "coordinator".' })
  @Property({ type: 'string' })
  role: string = 'member';

  @Field(() => LocalDateResolver, { nullable: true })
  @Property({ type: 'date', nullable: true })
  startDate: string | null = null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Null while the membership lasts.' })
  @Property({ type: 'date', nullable: true })
  endDate: string | null = null;
}
