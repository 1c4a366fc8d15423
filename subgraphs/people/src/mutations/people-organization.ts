import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { IsOptional } from 'class-validator';
import { badUserInput, forbidden, isAdminOf, requireActingFor, requireWriter } from '@hub/server';
import { IdOf, LocalDateResolver, newId, Text, WhenSent, write, type RecordWriter } from '@hub/toolkit';
import { ActorInputFields, applyActorChanges, EstablishmentStatus, newActorData, OrganisationType } from '@hub/domain';
import type { Context } from '../context.js';
import { PeopleOrganization, PeopleOrganizationKind } from '../entities/people-organization.js';

@InputType()
class PeopleOrganizationFields extends ActorInputFields {
  @Field(() => LocalDateResolver, { nullable: true })
  establishedOn?: string | null;

  @Field(() => ID, { nullable: true, description: 'The body it belongs under.' })
  @IsOptional()
  @IdOf('peo', "a people's organisation")
  parentId?: string | null;
}

@InputType({ description: "A new people's-sector body." })
class CreatePeopleOrganizationInput extends PeopleOrganizationFields {
  @Field({ description: 'Name, in Thai.' })
  @Text(300)
  name!: string;

  @Field(() => PeopleOrganizationKind)
  kind!: PeopleOrganizationKind;

  @Field(() => OrganisationType, { nullable: true })
  organisationType?: OrganisationType;

  @Field(() => EstablishmentStatus, { nullable: true })
  status?: EstablishmentStatus;
}

@InputType({ description: "Changes to a people's-sector body: fields left out keep their values." })
class UpdatePeopleOrganizationInput extends PeopleOrganizationFields {
  @Field(() => String, { nullable: true })
  @WhenSent()
  @Text(300)
  name?: string;

  @Field(() => PeopleOrganizationKind, { nullable: true })
  @WhenSent()
  kind?: PeopleOrganizationKind;

  @Field(() => OrganisationType, { nullable: true })
  @WhenSent()
  organisationType?: OrganisationType;

  @Field(() => EstablishmentStatus, { nullable: true })
  @WhenSent()
  status?: EstablishmentStatus;
}

/** A people's organisation that a change names, which must exist here: else BAD_USER_INPUT naming the field. */
export async function existingOrganization(writer: RecordWriter, id: string, field: string): Promise<PeopleOrganization> {
  const organization = await writer.em.findOne(PeopleOrganization, { id });
  if (!organization) throw badUserInput(`${field} "${id}" names no people's organisation.`, { field });
  return organization;
}

/** Every mutation is nullable: each commits on its own, and a failed one must not null the answer and hide those that did (a client would write them twice). */
@Resolver()
export class PeopleOrganizationMutations {
  @Mutation(() => PeopleOrganization, {
    nullable: true,
    description: "Records a new people's-sector body. Admins of the people subgraph may; so may editors of the body it belongs under (`parentId`).",
  })
  createPeopleOrganization(@Arg('input', () => CreatePeopleOrganizationInput) input: CreatePeopleOrganizationInput, @Ctx() context: Context) {
    const what = "record a people's organisation";
    if (!isAdminOf(context.viewer, context.subgraph)) {
      const identity = requireWriter(context.viewer, what);
      if (!input.parentId || input.parentId !== identity.agency) {
        throw forbidden(`Only admins of the people subgraph may ${what}, or editors of the body it belongs under: set parentId to ${identity.agency}.`);
      }
    }
    return write(context, what, async (writer) => {
      if (input.parentId) await existingOrganization(writer, input.parentId, 'parentId');
      return writer.create(PeopleOrganization, { ...newActorData(input), id: newId('peo') } as never);
    });
  }

  @Mutation(() => PeopleOrganization, { nullable: true, description: "Changes a people's-sector body: its own editors and the subgraph's admins may." })
  updatePeopleOrganization(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int, { description: 'The version you read; CONFLICT if the record has changed since.' }) expectedVersion: number,
    @Arg('input', () => UpdatePeopleOrganizationInput) input: UpdatePeopleOrganizationInput,
    @Ctx() context: Context,
  ) {
    const what = `change ${id}`;
    requireActingFor(context.viewer, context.subgraph, id, what);
    return write(context, what, async (writer) => {
      const organization = await writer.load(PeopleOrganization, id, "people's organisation");
      if (input.parentId) {
        if (input.parentId === id) throw badUserInput('A body cannot belong under itself.', { field: 'parentId' });
        await existingOrganization(writer, input.parentId, 'parentId');
      }
      return writer.update(organization, expectedVersion, (record) => applyActorChanges(record, input));
    });
  }

  @Mutation(() => PeopleOrganization, { nullable: true, description: "Archives a people's-sector body: it stays in the graph, marked archived, and changes no more." })
  archivePeopleOrganization(@Arg('id', () => ID) id: string, @Arg('expectedVersion', () => Int) expectedVersion: number, @Ctx() context: Context) {
    const what = `archive ${id}`;
    requireActingFor(context.viewer, context.subgraph, id, what);
    return write(context, what, async (writer) =>
      writer.archive(await writer.load(PeopleOrganization, id, "people's organisation"), expectedVersion),
    );
  }
}
