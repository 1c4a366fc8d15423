import { Args, Ctx, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import { ConnectionType, PageArgs, Paged } from '@hub/toolkit';
import type { Context } from '../context.js';
import { Membership } from '../entities/membership.js';
import { PeopleOrganization } from '../entities/people-organization.js';

@ObjectType()
export class MembershipConnection extends ConnectionType(Membership, 'Membership') {}

@Resolver(() => Membership)
export class MembershipResolver {
  @FieldResolver(() => PeopleOrganization, { nullable: true, description: 'The member.' })
  member(@Root() membership: Membership, @Ctx() { loaders }: Context) {
    return loaders.organization.load(membership.memberId);
  }

  @FieldResolver(() => PeopleOrganization, { nullable: true, description: 'The organisation it is a member of.' })
  organization(@Root() membership: Membership, @Ctx() { loaders }: Context) {
    return loaders.organization.load(membership.organizationId);
  }
}

@Resolver(() => PeopleOrganization)
export class PeopleOrganizationMembershipsResolver {
  @Paged()
  @FieldResolver(() => MembershipConnection, { description: 'Organisations it is a member of (Popolo memberships).' })
  memberOf(
    @Root() organization: PeopleOrganization,
    @Args() page: PageArgs,
    @Ctx() { loaders }: Context,
  ) {
    return loaders.membershipsOfMember(organization.id, page);
  }

  @Paged()
  @FieldResolver(() => MembershipConnection, { description: 'Its members (Popolo memberships).' })
  members(
    @Root() organization: PeopleOrganization,
    @Args() page: PageArgs,
    @Ctx() { loaders }: Context,
  ) {
    return loaders.membershipsOfOrganization(organization.id, page);
  }
}
