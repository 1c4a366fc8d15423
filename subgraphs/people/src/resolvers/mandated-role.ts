import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { findRows, ListSize } from '@hub/toolkit';
import type { Context } from '../context.js';
import { MandatedRole } from '../entities/mandated-role.js';
import { PeopleOrganization, PeopleOrganizationKind } from '../entities/people-organization.js';

/** Typically how many roles a kind of body has: the source gives a provincial centre four. */
const MANDATED_ROLES = 4;

@Resolver(() => MandatedRole)
export class MandatedRoleResolver {
  @ListSize(MANDATED_ROLES)
  @Query(() => [MandatedRole], { nullable: true, description: 'Mandated roles, of one kind of body or of all.' })
  mandatedRoles(
    @Arg('appliesTo', () => PeopleOrganizationKind, { nullable: true }) appliesTo: PeopleOrganizationKind | null,
    @Ctx() { em }: Context,
  ) {
    return findRows(em, MandatedRole, appliesTo ? { appliesTo } : {}, { orderBy: { appliesTo: 'asc', ordinal: 'asc' } });
  }
}

@Resolver(() => PeopleOrganization)
export class PeopleOrganizationRolesResolver {
  @ListSize(MANDATED_ROLES)
  @FieldResolver(() => [MandatedRole], { description: 'The roles a body of its kind is mandated to perform.' })
  mandatedRoles(@Root() organization: PeopleOrganization, @Ctx() { loaders }: Context) {
    return loaders.rolesByKind(null).load(organization.kind);
  }
}
