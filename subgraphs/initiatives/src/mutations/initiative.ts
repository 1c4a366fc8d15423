import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { ArrayMaxSize, IsOptional } from 'class-validator';
import { badUserInput, forbidden, isAdminOf, requireWriter } from '@hub/server';
import { assignDefined, LocalDateResolver, newId, sentFields, Text, WhenSent, write, type RecordWriter } from '@hub/toolkit';
import { actorTypeOf, AreProvinceCodes, IsActorId, PovertyDimension, Theme } from '@hub/domain';
import type { Context } from '../context.js';
import { Initiative, InitiativeStatus } from '../entities/initiative.js';
import { Participation, ParticipationRole } from '../entities/participation.js';

@InputType()
class InitiativeFields {
  @Field(() => String, { nullable: true, description: 'Title in English; null clears it.' })
  @IsOptional()
  @Text(500)
  titleEn?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Text(5000, { multiline: true })
  description?: string | null;

  @Field(() => [Theme], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10, { message: 'themes may list at most 10 themes.' })
  themes?: Theme[];

  @Field(() => [PovertyDimension], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10, { message: 'povertyDimensions may list at most 10 dimensions.' })
  povertyDimensions?: PovertyDimension[];

  @Field(() => [String], { nullable: true, description: 'ISO 3166-2:TH codes of the provinces it works in, e.g. ["TH-80"].' })
  @IsOptional()
  @AreProvinceCodes()
  provinceCodes?: string[];

  @Field(() => LocalDateResolver, { nullable: true })
  startDate?: string | null;

  @Field(() => LocalDateResolver, { nullable: true })
  endDate?: string | null;
}

@InputType({ description: 'A new joint initiative. The agency creating it becomes its lead (a main host).' })
class CreateInitiativeInput extends InitiativeFields {
  @Field({ description: 'Title, in Thai.' })
  @Text(500)
  title!: string;

  @Field(() => InitiativeStatus, { nullable: true, description: 'PIPELINE by default.' })
  status?: InitiativeStatus;

  @Field(() => ParticipationRole, { nullable: true, description: "The lead's role; IMPLEMENTING by default." })
  leadRole?: ParticipationRole;

  @Field(() => ID, { nullable: true, description: "The lead, for admins recording another agency's initiative; your own agency by default." })
  @IsOptional()
  @IsActorId()
  leadActorId?: string;
}

@InputType({ description: 'Changes to an initiative: fields left out keep their values.' })
class UpdateInitiativeInput extends InitiativeFields {
  @Field(() => String, { nullable: true })
  @WhenSent()
  @Text(500)
  title?: string;

  @Field(() => InitiativeStatus, { nullable: true })
  @WhenSent()
  status?: InitiativeStatus;
}

/** The actors currently leading an initiative. */
export async function leadsOf(writer: RecordWriter, initiativeId: string): Promise<string[]> {
  const leads = await writer.em.find(Participation, { initiativeId, lead: true, archivedAt: null }, { fields: ['actorId'] });
  return leads.map((p) => p.actorId);
}

/** A start and an end date in order, or BAD_USER_INPUT naming the end's field. */
export function checkDates(start: string | null | undefined, end: string | null | undefined, field = 'endDate') {
  if (start && end && end < start) throw badUserInput(`${field} ${end} is before the start date ${start}.`, { field });
}

/** Every mutation is nullable: each commits on its own, and a failed one must not null the answer and hide those that did (a client would write them twice). */
@Resolver()
export class InitiativeMutations {
  @Mutation(() => Initiative, {
    nullable: true,
    description: 'Records a new joint initiative, with your agency as its lead. Any editor may; admins of the initiatives subgraph may name another lead.',
  })
  createInitiative(@Arg('input', () => CreateInitiativeInput) input: CreateInitiativeInput, @Ctx() context: Context) {
    const what = 'record an initiative';
    const identity = requireWriter(context.viewer, what);
    const lead = input.leadActorId ?? identity.agency;
    if (lead !== identity.agency && !isAdminOf(identity, context.subgraph)) {
      throw forbidden(`Only admins of the initiatives subgraph may record an initiative led by another agency; you act for ${identity.agency}.`);
    }
    checkDates(input.startDate, input.endDate);
    return write(context, what, (writer) => {
      const { leadRole, leadActorId: _lead, ...fields } = input;
      const initiative = writer.create(Initiative, { status: InitiativeStatus.PIPELINE, ...sentFields(fields), id: newId('ini') } as never);
      writer.create(Participation, {
        id: newId('par'),
        initiativeId: initiative.id,
        actorId: lead,
        sector: actorTypeOf(lead)!.sector,
        role: leadRole ?? ParticipationRole.IMPLEMENTING,
        lead: true,
      });
      return initiative;
    });
  }

  @Mutation(() => Initiative, { nullable: true, description: 'Changes an initiative: its leads and the subgraph\'s admins may.' })
  updateInitiative(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int, { description: 'The version you read; CONFLICT if the record has changed since.' }) expectedVersion: number,
    @Arg('input', () => UpdateInitiativeInput) input: UpdateInitiativeInput,
    @Ctx() context: Context,
  ) {
    const what = `change initiative ${id}`;
    requireWriter(context.viewer, what);
    return write(context, what, async (writer) => {
      const initiative = await writer.loadOwned(Initiative, id, 'initiative', (i) => leadsOf(writer, i.id), what);
      checkDates(input.startDate === undefined ? initiative.startDate : input.startDate, input.endDate === undefined ? initiative.endDate : input.endDate);
      return writer.update(initiative, expectedVersion, (record) => assignDefined(record, input));
    });
  }

  @Mutation(() => Initiative, { nullable: true, description: 'Archives an initiative: it stays in the graph, marked archived. Its leads and the subgraph\'s admins may.' })
  archiveInitiative(@Arg('id', () => ID) id: string, @Arg('expectedVersion', () => Int) expectedVersion: number, @Ctx() context: Context) {
    const what = `archive initiative ${id}`;
    requireWriter(context.viewer, what);
    return write(context, what, async (writer) => {
      const initiative = await writer.loadOwned(Initiative, id, 'initiative', (i) => leadsOf(writer, i.id), what);
      return writer.archive(initiative, expectedVersion);
    });
  }
}
