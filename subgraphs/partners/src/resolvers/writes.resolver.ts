import { Arg, Ctx, Field, Float, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { IsNumber, IsOptional, MaxLength, Min } from 'class-validator';
import { badUserInput, requireActingFor, requireAdmin, requireWriter } from '@hub/server';
import { assignDefined, IdOf, IsWebAddress, newId, sentFields, Text, WhenSent, write, type RecordWriter } from '@hub/toolkit';
import { ActorInputFields, applyActorChanges, newActorData, OrganisationType } from '@hub/domain';
import type { Context } from '../context.js';
import { Contribution, ContributionKind } from '../entities/contribution.js';
import { PrivatePartner, PrivatePartnerKind } from '../entities/private-partner.js';

@InputType()
class PrivatePartnerFields extends ActorInputFields {
  @Field(() => String, { nullable: true, description: 'Public website, e.g. "https://example.co.th"; null clears it.' })
  @IsOptional()
  @MaxLength(500, { message: 'website must be at most 500 characters long.' })
  @IsWebAddress()
  website?: string | null;
}

@InputType({ description: 'A new private partner: a company, foundation, financial institution or social enterprise.' })
class CreatePrivatePartnerInput extends PrivatePartnerFields {
  @Field({ description: 'Registered name, in Thai where it has one.' })
  @Text(300)
  name!: string;

  @Field(() => PrivatePartnerKind)
  kind!: PrivatePartnerKind;

  @Field(() => OrganisationType, { nullable: true, description: 'Left out: PRIVATE_SECTOR.' })
  organisationType?: OrganisationType;
}

@InputType({ description: 'Changes to a private partner: fields left out keep their values.' })
class UpdatePrivatePartnerInput extends PrivatePartnerFields {
  @Field(() => String, { nullable: true })
  @WhenSent()
  @Text(300)
  name?: string;

  @Field(() => PrivatePartnerKind, { nullable: true })
  @WhenSent()
  kind?: PrivatePartnerKind;

  @Field(() => OrganisationType, { nullable: true })
  @WhenSent()
  organisationType?: OrganisationType;
}

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

const SUBGRAPH = 'partners';

/** A private partner that a change names, which must exist here and be in use: else BAD_USER_INPUT naming the field. */
async function existingPartner(writer: RecordWriter, id: string, field: string): Promise<PrivatePartner> {
  const partner = await writer.em.findOne(PrivatePartner, { id });
  if (!partner) throw badUserInput(`${field} "${id}" names no private partner.`, { field });
  if (partner.archivedAt) throw badUserInput(`${field} "${id}" names an archived private partner.`, { field });
  return partner;
}

/**
 * Every mutation here is nullable: an operation may hold several, each its own
 * transaction, and a failed one must not null the whole answer and hide those
 * before it that committed (a client would retry them and write them twice).
 */
@Resolver()
export class PartnersWritesResolver {
  @Mutation(() => PrivatePartner, { nullable: true, description: "Registers a new private partner. Admins of the partners subgraph only: the partners' stewards register new partners." })
  createPrivatePartner(@Arg('input', () => CreatePrivatePartnerInput) input: CreatePrivatePartnerInput, @Ctx() context: Context) {
    const what = 'register a private partner';
    requireAdmin(context.viewer, SUBGRAPH, what);
    return write(context, what, (writer) => {
      return writer.create(PrivatePartner, { ...newActorData(input), id: newId('prt') } as never);
    });
  }

  @Mutation(() => PrivatePartner, { nullable: true, description: "Changes a private partner: its own editors and the subgraph's admins may." })
  updatePrivatePartner(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int, { description: 'The version you read; CONFLICT if the record has changed since.' }) expectedVersion: number,
    @Arg('input', () => UpdatePrivatePartnerInput) input: UpdatePrivatePartnerInput,
    @Ctx() context: Context,
  ) {
    const what = `change ${id}`;
    requireActingFor(context.viewer, SUBGRAPH, id, what);
    return write(context, what, async (writer) => {
      const partner = await writer.load(PrivatePartner, id, 'private partner');
      return writer.update(partner, expectedVersion, (record) => applyActorChanges(record, input));
    });
  }

  @Mutation(() => PrivatePartner, { nullable: true, description: 'Archives a private partner: it stays in the graph, marked archived, and changes no more. Its own editors and admins may.' })
  archivePrivatePartner(@Arg('id', () => ID) id: string, @Arg('expectedVersion', () => Int) expectedVersion: number, @Ctx() context: Context) {
    const what = `archive ${id}`;
    requireActingFor(context.viewer, SUBGRAPH, id, what);
    return write(context, what, async (writer) => writer.archive(await writer.load(PrivatePartner, id, 'private partner'), expectedVersion));
  }

  @Mutation(() => Contribution, { nullable: true, description: 'Records what a private partner contributes. Editors of the partner (`partnerId`) and admins may.' })
  addContribution(@Arg('input', () => AddContributionInput) input: AddContributionInput, @Ctx() context: Context) {
    const what = 'record a contribution';
    requireActingFor(context.viewer, SUBGRAPH, input.partnerId, what);
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
