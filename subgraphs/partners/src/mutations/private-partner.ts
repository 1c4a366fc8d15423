import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { IsOptional, MaxLength } from 'class-validator';
import { requireActingFor, requireAdmin } from '@hub/server';
import { IsWebAddress, newId, Text, WhenSent, write } from '@hub/toolkit';
import { ActorInputFields, applyActorChanges, newActorData, OrganisationType } from '@hub/domain';
import type { Context } from '../context.js';
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

/** Every mutation is nullable: each commits on its own, and a failed one must not null the answer and hide those that did (a client would write them twice). */
@Resolver()
export class PrivatePartnerMutations {
  @Mutation(() => PrivatePartner, { nullable: true, description: "Registers a new private partner. Admins of the partners subgraph only: the partners' stewards register new partners." })
  createPrivatePartner(@Arg('input', () => CreatePrivatePartnerInput) input: CreatePrivatePartnerInput, @Ctx() context: Context) {
    const what = 'register a private partner';
    requireAdmin(context.viewer, context.subgraph, what);
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
    requireActingFor(context.viewer, context.subgraph, id, what);
    return write(context, what, async (writer) => {
      const partner = await writer.load(PrivatePartner, id, 'private partner');
      return writer.update(partner, expectedVersion, (record) => applyActorChanges(record, input));
    });
  }

  @Mutation(() => PrivatePartner, { nullable: true, description: 'Archives a private partner: it stays in the graph, marked archived, and changes no more. Its own editors and admins may.' })
  archivePrivatePartner(@Arg('id', () => ID) id: string, @Arg('expectedVersion', () => Int) expectedVersion: number, @Ctx() context: Context) {
    const what = `archive ${id}`;
    requireActingFor(context.viewer, context.subgraph, id, what);
    return write(context, what, async (writer) => writer.archive(await writer.load(PrivatePartner, id, 'private partner'), expectedVersion));
  }
}
