import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { HubEntity } from '@hub/toolkit';
import { Theme } from '@hub/domain';
import { PeopleOrganizationKind } from './people-organization.js';

@ObjectType({
  description:
    "A role that every body of one kind is mandated to perform (a Popolo Post held by the organisation), e.g. the four roles of a provincial people's centre.",
})
@Entity({ tableName: 'mandated_role' })
export class MandatedRole extends HubEntity<'themes'> {
  @Field(() => ID, { description: 'Role id; starts with "role_".' })
  @PrimaryKey({ type: 'string' })
  id!: string;

  @Field(() => PeopleOrganizationKind, { description: 'The kind of body that holds this role.' })
  @Index()
  @Enum({ items: () => PeopleOrganizationKind })
  appliesTo!: PeopleOrganizationKind;

  @Field(() => Int, { description: 'Its number in the source (1 to 4 for the provincial centre).' })
  @Property({ type: 'integer' })
  ordinal!: number;

  @Field({ description: 'The role as the source states it, in Thai.' })
  @Property({ type: 'text' })
  titleTh!: string;

  @Field({ description: 'The role in English.' })
  @Property({ type: 'text' })
  titleEn!: string;

  @Field(() => [Theme], { description: 'Themes of work the role names.' })
  @Enum({ items: () => Theme, array: true, default: [] })
  themes: Theme[] = [];
}
