import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { ArrayMaxSize, IsOptional, Max, Min } from 'class-validator';
import { badUserInput, forbidden, isAdminOf, requireActingFor, requireAdmin, requireWriter } from '@hub/server';
import { assignDefined, IdOf, newId, Text, today, WhenSent, write, type RecordWriter } from '@hub/toolkit';
import { ActorInputFields, applyActorChanges, EstablishmentStatus, newActorData, OrganisationType, Theme } from '@hub/domain';
import type { Context } from '../context.js';
import { MandatedRole } from '../entities/mandated-role.js';
import { Membership } from '../entities/membership.js';
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

@InputType({ description: 'A role every body of one kind is mandated to perform.' })
class MandatedRoleInput {
  @Field(() => PeopleOrganizationKind)
  appliesTo!: PeopleOrganizationKind;

  @Field(() => Int)
  @Min(1, { message: 'ordinal must be 1 or more.' })
  @Max(99, { message: 'ordinal must be at most 99.' })
  ordinal!: number;

  @Field()
  @Text(500)
  titleTh!: string;

  @Field()
  @Text(500)
  titleEn!: string;

  @Field(() => [Theme], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10)
  themes?: Theme[] | null;
}

const SUBGRAPH = 'people';

/** A people's organisation that a change names, which must exist here: else BAD_USER_INPUT naming the field. */
async function existingOrganization(writer: RecordWriter, id: string, field: string): Promise<PeopleOrganization> {
  const organization = await writer.em.findOne(PeopleOrganization, { id });
  if (!organization) throw badUserInput(`${field} "${id}" names no people's organisation.`, { field });
  return organization;
}

/**
 * Every mutation here is nullable: an operation may hold several, each its own
 * transaction, and a failed one must not null the whole answer and hide those
 * before it that committed (a client would retry them and write them twice).
 */
@Resolver()
export class PeopleWritesResolver {
  @Mutation(() => PeopleOrganization, {
    nullable: true,
    description: "Records a new people's-sector body. Admins of the people subgraph may; so may editors of the body it belongs under (`parentId`).",
  })
  createPeopleOrganization(@Arg('input', () => CreatePeopleOrganizationInput) input: CreatePeopleOrganizationInput, @Ctx() context: Context) {
    const what = "record a people's organisation";
    if (!isAdminOf(context.viewer, SUBGRAPH)) {
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
    requireActingFor(context.viewer, SUBGRAPH, id, what);
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
    requireActingFor(context.viewer, SUBGRAPH, id, what);
    return write(context, what, async (writer) =>
      writer.archive(await writer.load(PeopleOrganization, id, "people's organisation"), expectedVersion),
    );
  }

  @Mutation(() => Membership, { nullable: true, description: 'Records that one people\'s organisation is a member of another. Editors of either side may.' })
  addMembership(@Arg('input', () => AddMembershipInput) input: AddMembershipInput, @Ctx() context: Context) {
    const what = 'record a membership';
    requireActingFor(context.viewer, SUBGRAPH, [input.memberId, input.organizationId], what);
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

  @Mutation(() => MandatedRole, { nullable: true, description: 'Records a mandated role. Admins of the people subgraph only.' })
  createMandatedRole(@Arg('input', () => MandatedRoleInput) input: MandatedRoleInput, @Ctx() context: Context) {
    const what = 'record a mandated role';
    requireAdmin(context.viewer, SUBGRAPH, what);
    return write(context, what, (writer) => writer.create(MandatedRole, { ...input, themes: input.themes ?? [], id: newId('role') }));
  }

  @Mutation(() => MandatedRole, { nullable: true, description: 'Changes a mandated role. Admins of the people subgraph only.' })
  updateMandatedRole(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('input', () => MandatedRoleInput) input: MandatedRoleInput,
    @Ctx() context: Context,
  ) {
    const what = `change mandated role ${id}`;
    requireAdmin(context.viewer, SUBGRAPH, what);
    return write(context, what, async (writer) =>
      writer.update(await writer.load(MandatedRole, id, 'mandated role'), expectedVersion, (record) =>
        assignDefined(record, { ...input, themes: input.themes ?? [] }),
      ),
    );
  }
}

