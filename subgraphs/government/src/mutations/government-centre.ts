import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { IsOptional } from 'class-validator';
import { badUserInput, forbidden, isAdminOf, requireActingFor, requireWriter } from '@hub/server';
import { IdOf, newId, Text, WhenSent, write, type RecordWriter } from '@hub/toolkit';
import { ActorInputFields, applyActorChanges, newActorData, OrganisationType } from '@hub/domain';
import type { Context } from '../context.js';
import { GovernmentCentre, GovernmentCentreKind } from '../entities/government-centre.js';

@InputType()
class GovernmentCentreFields extends ActorInputFields {
  @Field(() => ID, { nullable: true, description: 'The body it reports to, e.g. the national centre for a provincial centre.' })
  @IsOptional()
  @IdOf('gov', 'a government body')
  parentId?: string | null;
}

@InputType({ description: 'A new government body: a centre, agency or public organisation.' })
class CreateGovernmentCentreInput extends GovernmentCentreFields {
  @Field({ description: 'Official name, in Thai.' })
  @Text(300)
  name!: string;

  @Field(() => GovernmentCentreKind)
  kind!: GovernmentCentreKind;

  @Field(() => OrganisationType, {
    nullable: true,
    description: 'Left out: GOVERNMENT, or OTHER_PUBLIC_SECTOR for a public organisation.',
  })
  organisationType?: OrganisationType;
}

@InputType({ description: 'Changes to a government body: fields left out keep their values.' })
class UpdateGovernmentCentreInput extends GovernmentCentreFields {
  @Field(() => String, { nullable: true })
  @WhenSent()
  @Text(300)
  name?: string;

  @Field(() => GovernmentCentreKind, { nullable: true })
  @WhenSent()
  kind?: GovernmentCentreKind;

  @Field(() => OrganisationType, { nullable: true })
  @WhenSent()
  organisationType?: OrganisationType;
}

/** A government body that a change names, which must exist here and be in use: else BAD_USER_INPUT naming the field. */
export async function existingCentre(writer: RecordWriter, id: string, field: string): Promise<GovernmentCentre> {
  const centre = await writer.em.findOne(GovernmentCentre, { id });
  if (!centre) throw badUserInput(`${field} "${id}" names no government body.`, { field });
  if (centre.archivedAt) throw badUserInput(`${field} "${id}" names an archived government body.`, { field });
  return centre;
}

/** Refuses a parent that would put a body under itself, directly or through the bodies above it. */
async function checkParent(writer: RecordWriter, id: string, parentId: string): Promise<void> {
  let above: string | null = parentId;
  for (let depth = 0; above && depth < 100; depth++) {
    if (above === id) throw badUserInput(`A body cannot belong under itself: ${parentId} is ${id} or belongs under it.`, { field: 'parentId' });
    const centre: GovernmentCentre | null = await writer.em.findOne(GovernmentCentre, { id: above });
    above = centre?.parentId ?? null;
  }
}

/** Every mutation is nullable: each commits on its own, and a failed one must not null the answer and hide those that did (a client would write them twice). */
@Resolver()
export class GovernmentCentreMutations {
  @Mutation(() => GovernmentCentre, {
    nullable: true,
    description: 'Records a new government body. Admins of the government subgraph may; so may editors of the body it reports to (`parentId`).',
  })
  createGovernmentCentre(@Arg('input', () => CreateGovernmentCentreInput) input: CreateGovernmentCentreInput, @Ctx() context: Context) {
    const what = 'record a government body';
    if (!isAdminOf(context.viewer, context.subgraph)) {
      const identity = requireWriter(context.viewer, what);
      if (!input.parentId || input.parentId !== identity.agency) {
        throw forbidden(`Only admins of the government subgraph may ${what}, or editors of the body it reports to: set parentId to ${identity.agency}.`);
      }
    }
    return write(context, what, async (writer) => {
      if (input.parentId) await existingCentre(writer, input.parentId, 'parentId');
      const organisationType =
        input.organisationType ??
        (input.kind === GovernmentCentreKind.PUBLIC_ORGANISATION ? OrganisationType.OTHER_PUBLIC_SECTOR : OrganisationType.GOVERNMENT);
      return writer.create(GovernmentCentre, { ...newActorData(input), organisationType, id: newId('gov') } as never);
    });
  }

  @Mutation(() => GovernmentCentre, { nullable: true, description: "Changes a government body: its own editors and the subgraph's admins may." })
  updateGovernmentCentre(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int, { description: 'The version you read; CONFLICT if the record has changed since.' }) expectedVersion: number,
    @Arg('input', () => UpdateGovernmentCentreInput) input: UpdateGovernmentCentreInput,
    @Ctx() context: Context,
  ) {
    const what = `change ${id}`;
    requireActingFor(context.viewer, context.subgraph, id, what);
    return write(context, what, async (writer) => {
      const centre = await writer.load(GovernmentCentre, id, 'government body');
      if (input.parentId && input.parentId !== centre.parentId) {
        if (input.parentId === id) throw badUserInput('A body cannot belong under itself.', { field: 'parentId' });
        await existingCentre(writer, input.parentId, 'parentId');
        await checkParent(writer, id, input.parentId);
      }
      return writer.update(centre, expectedVersion, (record) => applyActorChanges(record, input));
    });
  }

  @Mutation(() => GovernmentCentre, { nullable: true, description: 'Archives a government body: it stays in the graph, marked archived, and changes no more. Its own editors and admins may.' })
  archiveGovernmentCentre(@Arg('id', () => ID) id: string, @Arg('expectedVersion', () => Int) expectedVersion: number, @Ctx() context: Context) {
    const what = `archive ${id}`;
    requireActingFor(context.viewer, context.subgraph, id, what);
    return write(context, what, async (writer) => writer.archive(await writer.load(GovernmentCentre, id, 'government body'), expectedVersion));
  }
}
