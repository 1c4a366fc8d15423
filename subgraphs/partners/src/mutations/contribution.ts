import { Arg, Ctx, Field, Float, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { IsNumber, IsOptional, Min } from 'class-validator';
import { badUserInput, requireActingFor, requireWriter } from '@hub/server';
import { assignDefined, IdOf, LocalDateResolver, newId, sentFields, Text, WhenSent, write, type RecordWriter } from '@hub/toolkit';
import type { Context } from '../context.js';
import { Contribution, ContributionKind } from '../entities/contribution.js';
import { PrivatePartner } from '../entities/private-partner.js';

@InputType()
class ContributionFields {
  @Field(() => ID, { nullable: true, description: 'The initiative it goes to, e.g. "ini_km_nakhon"; null for general support.' })
  @IsOptional()
  @IdOf('ini', 'an initiative')
  initiativeId?: string | null;

  @Field(() => Float, { nullable: true, description: 'Value in Thai baht, where known; null clears it.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'amountThb must be a finite number of baht.' })
  @Min(0, { message: 'amountThb must be 0 or more.' })
  amountThb?: number | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'When it starts, e.g. "2026-01-15"; null clears it.' })
  startDate?: string | null;
}

@InputType({ description: 'Something a private partner contributes, to an initiative or in general.' })
class AddContributionInput extends ContributionFields {
  @Field(() => ID, { description: 'The partner that gives it.' })
  @IdOf('prt', 'a private partner')
  partnerId!: string;

  @Field(() => ContributionKind)
  kind!: ContributionKind;

  @Field({ description: 'What is given, in a sentence.' })
  @Text(2000, { multiline: true })
  description!: string;
}

@InputType({ description: 'Changes to a contribution: fields left out keep their values. Its partner stays the same.' })
class UpdateContributionInput extends ContributionFields {
  @Field(() => ContributionKind, { nullable: true })
  @WhenSent()
  kind?: ContributionKind;

  @Field(() => String, { nullable: true })
  @WhenSent()
  @Text(2000, { multiline: true })
  description?: string;
}

/** A private partner that a change names, which must exist here and be in use: else BAD_USER_INPUT naming the field. */
async function existingPartner(writer: RecordWriter, id: string, field: string): Promise<PrivatePartner> {
  const partner = await writer.em.findOne(PrivatePartner, { id });
  if (!partner) throw badUserInput(`${field} "${id}" names no private partner.`, { field });
  if (partner.archivedAt) throw badUserInput(`${field} "${id}" names an archived private partner.`, { field });
  return partner;
}

/** Every mutation is nullable: each commits on its own, and a failed one must not null the answer and hide those that did (a client would write them twice). */
@Resolver()
export class ContributionMutations {
  @Mutation(() => Contribution, { nullable: true, description: 'Records what a private partner contributes. Editors of the partner (`partnerId`) and admins may.' })
  addContribution(@Arg('input', () => AddContributionInput) input: AddContributionInput, @Ctx() context: Context) {
    const what = 'record a contribution';
    requireActingFor(context.viewer, context.subgraph, input.partnerId, what);
    return write(context, what, async (writer) => {
      await existingPartner(writer, input.partnerId, 'partnerId');
      return writer.create(Contribution, { ...sentFields(input), id: newId('con') } as never);
    });
  }

  @Mutation(() => Contribution, { nullable: true, description: "Changes a contribution. Editors of the contribution's partner and admins may." })
  updateContribution(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int, { description: 'The version you read; CONFLICT if the record has changed since.' }) expectedVersion: number,
    @Arg('input', () => UpdateContributionInput) input: UpdateContributionInput,
    @Ctx() context: Context,
  ) {
    const what = `change contribution ${id}`;
    requireWriter(context.viewer, what);
    return write(context, what, async (writer) => {
      const contribution = await writer.loadOwned(Contribution, id, 'contribution', (c) => c.partnerId, what);
      return writer.update(contribution, expectedVersion, (record) => assignDefined(record, input));
    });
  }

  @Mutation(() => Contribution, { nullable: true, description: "Archives a contribution: it stays, marked archived, and changes no more. Editors of the contribution's partner and admins may." })
  archiveContribution(@Arg('id', () => ID) id: string, @Arg('expectedVersion', () => Int) expectedVersion: number, @Ctx() context: Context) {
    const what = `archive contribution ${id}`;
    requireWriter(context.viewer, what);
    return write(context, what, async (writer) => {
      const contribution = await writer.loadOwned(Contribution, id, 'contribution', (c) => c.partnerId, what);
      return writer.archive(contribution, expectedVersion);
    });
  }
}
