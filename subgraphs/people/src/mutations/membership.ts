import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { IsOptional } from 'class-validator';
import { badUserInput, requireActingFor, requireWriter } from '@hub/server';
import { IdOf, LocalDateResolver, newId, Text, today, write } from '@hub/toolkit';
import type { Context } from '../context.js';
import { Membership } from '../entities/membership.js';
import { existingOrganization } from './people-organization.js';

@InputType({ description: 'A membership of one people\'s organisation in another (Popolo Membership).' })
class AddMembershipInput {
  @Field(() => ID)
  @IdOf('peo', "a people's organisation")
  memberId!: string;

  @Field(() => ID)
  @IdOf('peo', "a people's organisation")
  organizationId!: string;

  @Field(() => String, { nullable: true, description: 'e.g. "member" (the default), "coordinator".' })
  @IsOptional()
  @Text(100)
  role?: string | null;

  @Field(() => LocalDateResolver, { nullable: true })
  startDate?: string | null;
}

/** Every mutation is nullable: each commits on its own, and a failed one must not null the answer and hide those that did (a client would write them twice). */
@Resolver()
export class MembershipMutations {
  @Mutation(() => Membership, { nullable: true, description: 'Records that one people\'s organisation is a member of another. Editors of either side may.' })
  addMembership(@Arg('input', () => AddMembershipInput) input: AddMembershipInput, @Ctx() context: Context) {
    const what = 'record a membership';
    requireActingFor(context.viewer, context.subgraph, [input.memberId, input.organizationId], what);
    if (input.memberId === input.organizationId) throw badUserInput('An organisation cannot be a member of itself.', { field: 'memberId' });
    return write(context, what, async (writer) => {
      await existingOrganization(writer, input.memberId, 'memberId');
      await existingOrganization(writer, input.organizationId, 'organizationId');
      return writer.create(Membership, {
        id: newId('mem'),
        memberId: input.memberId,
        organizationId: input.organizationId,
        role: input.role?.trim() || 'member',
        startDate: input.startDate ?? null,
      });
    });
  }

  @Mutation(() => Membership, { nullable: true, description: 'Ends a membership on a date (today by default). Editors of either side may.' })
  endMembership(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('endDate', () => LocalDateResolver, { nullable: true }) endDate: string | null,
    @Ctx() context: Context,
  ) {
    const what = `end membership ${id}`;
    requireWriter(context.viewer, what);
    return write(context, what, async (writer) => {
      const membership = await writer.loadOwned(Membership, id, 'membership', (m) => [m.memberId, m.organizationId], what);
      const ended = endDate ?? today();
      if (membership.startDate && ended < membership.startDate) {
        throw badUserInput(`endDate ${ended} is before the membership started (${membership.startDate}).`, { field: 'endDate' });
      }
      return writer.update(membership, expectedVersion, (record) => void (record.endDate = ended));
    });
  }
}
