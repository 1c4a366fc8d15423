import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { badUserInput, requireActingFor, requireWriter } from '@hub/server';
import { assignDefined, IdOf, LocalDateResolver, newId, sentFields, Text, WhenSent, write } from '@hub/toolkit';
import { AreProvinceCodes } from '@hub/domain';
import type { Context } from '../context.js';
import { OfficialOrder } from '../entities/official-order.js';
import { existingCentre } from './government-centre.js';

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

/** Pilot provinces named cannot outnumber the pilot provinces the order counts. */
function checkPilotProvinces(count: number | null, codes: readonly string[]): void {
  if (count !== null && codes.length > count) {
    throw badUserInput(`pilotProvinceCodes names ${codes.length} provinces, more than pilotProvinceCount (${count}).`, { field: 'pilotProvinceCodes' });
  }
}

/** Every mutation is nullable: each commits on its own, and a failed one must not null the answer and hide those that did (a client would write them twice). */
@Resolver()
export class OfficialOrderMutations {
  @Mutation(() => OfficialOrder, { nullable: true, description: 'Records an official order. Editors of the body that issued it (`issuedById`) and admins may.' })
  createOfficialOrder(@Arg('input', () => CreateOfficialOrderInput) input: CreateOfficialOrderInput, @Ctx() context: Context) {
    const what = 'record an official order';
    requireActingFor(context.viewer, context.subgraph, input.issuedById, what);
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
        requireActingFor(context.viewer, context.subgraph, input.issuedById, `move official order ${id} to ${input.issuedById}`);
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
