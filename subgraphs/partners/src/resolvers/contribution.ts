import { Args, Ctx, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import { ConnectionType, PageArgs, Paged } from '@hub/toolkit';
import type { Context } from '../context.js';
import { Contribution } from '../entities/contribution.js';
import { PrivatePartner } from '../entities/private-partner.js';
import { Initiative } from '../external.js';

@ObjectType()
export class ContributionConnection extends ConnectionType(Contribution, 'Contribution') {}

@Resolver(() => Contribution)
export class ContributionResolver {
  @FieldResolver(() => PrivatePartner, { nullable: true, description: 'The partner that gives it.' })
  partner(@Root() contribution: Contribution, @Ctx() { loaders }: Context) {
    return loaders.partner.load(contribution.partnerId);
  }

  @FieldResolver(() => Initiative, { nullable: true, description: 'The initiative it goes to; null for general support.' })
  initiative(@Root() contribution: Contribution): Initiative | null {
    return contribution.initiativeId ? { id: contribution.initiativeId } : null;
  }
}

@Resolver(() => PrivatePartner)
export class PrivatePartnerContributionsResolver {
  @Paged()
  @FieldResolver(() => ContributionConnection, { description: 'What it contributes.' })
  contributions(
    @Root() partner: PrivatePartner,
    @Args() page: PageArgs,
    @Ctx() { loaders }: Context,
  ) {
    return loaders.contributionsByPartner(partner.id, page);
  }
}

@Resolver(() => Initiative)
export class InitiativeContributionsResolver {
  @Paged()
  // Nullable: the initiative's own fields come from the initiatives subgraph, and this one must not take them down with it.
  @FieldResolver(() => ContributionConnection, { nullable: true, description: 'What private partners contribute to this initiative.' })
  contributions(
    @Root() initiative: Initiative,
    @Args() page: PageArgs,
    @Ctx() { loaders }: Context,
  ) {
    return loaders.contributionsByInitiative(initiative.id, page);
  }
}
