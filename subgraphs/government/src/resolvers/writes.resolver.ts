import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { badUserInput, forbidden, isAdminOf, requireActingFor, requireWriter } from '@hub/server';
import { assignDefined, IdOf, newId, sentFields, Text, WhenSent, write, type RecordWriter } from '@hub/toolkit';
import { ActorInputFields, applyActorChanges, AreProvinceCodes, newActorData, OrganisationType } from '@hub/domain';
import type { Context } from '../context.js';
import { GovernmentCentre, GovernmentCentreKind } from '../entities/government-centre.js';
import { OfficialOrder } from '../entities/official-order.js';

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

@InputType()
class OfficialOrderFields {
  @Field(() => String, { nullable: true, description: 'Title in English; null clears it.' })
  @IsOptional()
  @Text(500)
  titleEn?: string | null;

  @Field(() => String, { nullable: true, description: 'What the order does, in a sentence; null clears it.' })
  @IsOptional()
  @Text(2000, { multiline: true })
  summary?: string | null;

  @Field(() => Int, { nullable: true, description: 'How many pilot provinces the order names, 0 to 77; null clears it.' })
  @IsOptional()
  @IsInt({ message: 'pilotProvinceCount must be a whole number.' })
  @Min(0, { message: 'pilotProvinceCount must be 0 or more.' })
  @Max(77, { message: 'pilotProvinceCount must be at most 77, the number of provinces.' })
  pilotProvinceCount?: number | null;

  @Field(() => [String], {
    nullable: true,
    description: 'ISO 3166-2:TH codes of the pilot provinces a source names, e.g. ["TH-80"]; null or [] clears them.',
  })
  @IsOptional()
  @AreProvinceCodes()
  pilotProvinceCodes?: string[] | null;
}

@InputType({ description: 'A new official order (คำสั่ง) of a government body.' })
class CreateOfficialOrderInput extends OfficialOrderFields {
  @Field({ description: 'Title of the order, in Thai.' })
  @Text(500)
  title!: string;

  @Field(() => LocalDateResolver, { description: 'Date the order was issued (ISO 8601, Common Era), e.g. "2006-02-28".' })
  issuedOn!: string;

  @Field(() => ID, { description: 'The government body that issued it.' })
  @IdOf('gov', 'a government body')
  issuedById!: string;
}

@InputType({ description: 'Changes to an official order: fields left out keep their values.' })
class UpdateOfficialOrderInput extends OfficialOrderFields {
  @Field(() => String, { nullable: true })
  @WhenSent()
  @Text(500)
  title?: string;

  @Field(() => LocalDateResolver, { nullable: true })
  @WhenSent()
  issuedOn?: string;

  @Field(() => ID, { nullable: true, description: 'Moves the order to another issuer: you must be able to act for both.' })
  @WhenSent()
  @IdOf('gov', 'a government body')
  issuedById?: string;
}

const SUBGRAPH = 'government';

/** A government body that a change names, which must exist here and be in use: else BAD_USER_INPUT naming the field. */
async function existingCentre(writer: RecordWriter, id: string, field: string): Promise<GovernmentCentre> {
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

/** Pilot provinces named cannot outnumber the pilot provinces the order counts. */
function checkPilotProvinces(count: number | null, codes: readonly string[]): void {
  if (count !== null && codes.length > count) {
    throw badUserInput(`pilotProvinceCodes names ${codes.length} provinces, more than pilotProvinceCount (${count}).`, { field: 'pilotProvinceCodes' });
  }
}

/**
 * Every mutation here is nullable: an operation may hold several, each its own
 * transaction, and a failed one must not null the whole answer and hide those
 * before it that committed (a client would retry them and write them twice).
 */
@Resolver()
export class GovernmentWritesResolver {
  @Mutation(() => GovernmentCentre, {
    nullable: true,
    description: 'Records a new government body. Admins of the government subgraph may; so may editors of the body it reports to (`parentId`).',
  })
  createGovernmentCentre(@Arg('input', () => CreateGovernmentCentreInput) input: CreateGovernmentCentreInput, @Ctx() context: Context) {
    const what = 'record a government body';
    if (!isAdminOf(context.viewer, SUBGRAPH)) {
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
    requireActingFor(context.viewer, SUBGRAPH, id, what);
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
    requireActingFor(context.viewer, SUBGRAPH, id, what);
    return write(context, what, async (writer) => writer.archive(await writer.load(GovernmentCentre, id, 'government body'), expectedVersion));
  }

  @Mutation(() => OfficialOrder, { nullable: true, description: 'Records an official order. Editors of the body that issued it (`issuedById`) and admins may.' })
  createOfficialOrder(@Arg('input', () => CreateOfficialOrderInput) input: CreateOfficialOrderInput, @Ctx() context: Context) {
    const what = 'record an official order';
    requireActingFor(context.viewer, SUBGRAPH, input.issuedById, what);
    checkPilotProvinces(input.pilotProvinceCount ?? null, input.pilotProvinceCodes ?? []);
    return write(context, what, async (writer) => {
      await existingCentre(writer, input.issuedById, 'issuedById');
      return writer.create(OfficialOrder, { ...sentFields(input), id: newId('ord') } as never);
    });
  }

  @Mutation(() => OfficialOrder, { nullable: true, description: 'Changes an official order. Editors of the body that issued it and admins may.' })
  updateOfficialOrder(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int, { description: 'The version you read; CONFLICT if the record has changed since.' }) expectedVersion: number,
    @Arg('input', () => UpdateOfficialOrderInput) input: UpdateOfficialOrderInput,
    @Ctx() context: Context,
  ) {
    const what = `change official order ${id}`;
    requireWriter(context.viewer, what);
    return write(context, what, async (writer) => {
      const order = await writer.loadOwned(OfficialOrder, id, 'official order', (o) => o.issuedById, what);
      if (input.issuedById && input.issuedById !== order.issuedById) {
        requireActingFor(context.viewer, SUBGRAPH, input.issuedById, `move official order ${id} to ${input.issuedById}`);
        await existingCentre(writer, input.issuedById, 'issuedById');
      }
      const { pilotProvinceCodes, ...fields } = input;
      checkPilotProvinces(
        fields.pilotProvinceCount !== undefined ? fields.pilotProvinceCount : order.pilotProvinceCount,
        pilotProvinceCodes !== undefined ? (pilotProvinceCodes ?? []) : order.pilotProvinceCodes,
      );
      return writer.update(order, expectedVersion, (record) => {
        assignDefined(record, fields);
        if (pilotProvinceCodes !== undefined) record.pilotProvinceCodes = pilotProvinceCodes ?? [];
      });
    });
  }

  @Mutation(() => OfficialOrder, { nullable: true, description: 'Archives an official order: it stays, marked archived, and changes no more. Editors of the body that issued it and admins may.' })
  archiveOfficialOrder(@Arg('id', () => ID) id: string, @Arg('expectedVersion', () => Int) expectedVersion: number, @Ctx() context: Context) {
    const what = `archive official order ${id}`;
    requireWriter(context.viewer, what);
    return write(context, what, async (writer) => {
      const order = await writer.loadOwned(OfficialOrder, id, 'official order', (o) => o.issuedById, what);
      return writer.archive(order, expectedVersion);
    });
  }
}
