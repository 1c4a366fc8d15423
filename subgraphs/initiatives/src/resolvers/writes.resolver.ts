import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { ArrayMaxSize, IsOptional } from 'class-validator';
import { LocalDateResolver } from 'graphql-scalars';
import { badUserInput, conflict, forbidden, isAdminOf, mayActFor, requireActingFor, requireWriter } from '@hub/server';
import { assignDefined, IdOf, newId, sentFields, Text, today, WhenSent, write, type RecordWriter } from '@hub/toolkit';
import { actorTypeOf, AreProvinceCodes, IsActorId, PovertyDimension, Theme } from '@hub/domain';
import type { Context } from '../context.js';
import { Initiative, InitiativeStatus } from '../entities/initiative.js';
import { Link, LinkType } from '../entities/link.js';
import { Participation, ParticipationRole } from '../entities/participation.js';

const SUBGRAPH = 'initiatives';

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

@InputType({ description: 'An actor taking part in an initiative.' })
class JoinInitiativeInput {
  @Field(() => ID)
  @IdOf('ini', 'an initiative')
  initiativeId!: string;

  @Field(() => ID, { nullable: true, description: 'Who joins: your own agency by default; leads may add others.' })
  @IsOptional()
  @IsActorId()
  actorId?: string;

  @Field(() => ParticipationRole)
  role!: ParticipationRole;

  @Field({ nullable: true, description: 'Join as a main host (เจ้าภาพหลัก): leads and admins only.' })
  lead?: boolean;
}

@InputType({ description: 'A standing link between two actors.' })
class AddLinkInput {
  @Field(() => LinkType)
  type!: LinkType;

  @Field(() => ID)
  @IsActorId()
  sourceId!: string;

  @Field(() => ID)
  @IsActorId()
  targetId!: string;

  @Field(() => LocalDateResolver, { nullable: true })
  startDate?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Text(2000, { multiline: true })
  note?: string | null;
}

/** The actors currently leading an initiative. */
async function leadsOf(writer: RecordWriter, initiativeId: string): Promise<string[]> {
  const leads = await writer.em.find(Participation, { initiativeId, lead: true, archivedAt: null }, { fields: ['actorId'] });
  return leads.map((p) => p.actorId);
}

function checkDates(start: string | null | undefined, end: string | null | undefined, field = 'endDate') {
  if (start && end && end < start) throw badUserInput(`${field} ${end} is before the start date ${start}.`, { field });
}

/**
 * Every mutation here is nullable: an operation may hold several, each its own
 * transaction, and a failed one must not null the whole answer and hide those
 * before it that committed (a client would retry them and write them twice).
 */
@Resolver()
export class InitiativeWritesResolver {
  @Mutation(() => Initiative, {
    nullable: true,
    description: 'Records a new joint initiative, with your agency as its lead. Any editor may; admins of the initiatives subgraph may name another lead.',
  })
  createInitiative(@Arg('input', () => CreateInitiativeInput) input: CreateInitiativeInput, @Ctx() context: Context) {
    const what = 'record an initiative';
    const identity = requireWriter(context.viewer, what);
    const lead = input.leadActorId ?? identity.agency;
    if (lead !== identity.agency && !isAdminOf(identity, SUBGRAPH)) {
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

  @Mutation(() => Participation, {
    nullable: true,
    description: 'An actor joins an initiative in a role: on its own behalf, or added by a lead of the initiative (or an admin).',
  })
  joinInitiative(@Arg('input', () => JoinInitiativeInput) input: JoinInitiativeInput, @Ctx() context: Context) {
    const what = `join initiative ${input.initiativeId}`;
    const identity = requireWriter(context.viewer, what);
    const actorId = input.actorId ?? identity.agency;
    return write(context, what, async (writer) => {
      const initiative = await writer.load(Initiative, input.initiativeId, 'initiative');
      if (initiative.archivedAt) throw conflict(`${initiative.id} is archived: no one can join it.`);
      const leads = await leadsOf(writer, initiative.id);
      const managesIt = mayActFor(identity, SUBGRAPH, leads);
      if (!managesIt && !(actorId === identity.agency && mayActFor(identity, SUBGRAPH, actorId))) {
        throw forbidden(`An actor joins an initiative only on its own behalf, or when a lead adds it; you act for ${identity.agency}, not ${actorId}, and do not lead ${initiative.id}.`);
      }
      if (input.lead && !managesIt) throw forbidden(`Only a lead of ${initiative.id} or an admin may add a lead.`);
      const existing = await writer.em.findOne(Participation, { initiativeId: initiative.id, actorId, role: input.role });
      if (existing && !existing.archivedAt) throw conflict(`${actorId} already takes part in ${initiative.id} as ${input.role}.`);
      // Rejoining in a role it left brings the same participation back, so its history stays in one place.
      if (existing) return writer.restore(existing, (record) => void (record.lead = input.lead ?? false));
      return writer.create(Participation, {
        id: newId('par'),
        initiativeId: initiative.id,
        actorId,
        sector: actorTypeOf(actorId)!.sector,
        role: input.role,
        lead: input.lead ?? false,
      });
    });
  }

  @Mutation(() => Participation, { nullable: true, description: 'An actor leaves an initiative: the participant itself, a lead, or an admin may record it.' })
  leaveInitiative(@Arg('participationId', () => ID) participationId: string, @Arg('expectedVersion', () => Int) expectedVersion: number, @Ctx() context: Context) {
    const what = `end participation ${participationId}`;
    requireWriter(context.viewer, what);
    return write(context, what, async (writer) => {
      // The participant itself, or a lead of the initiative.
      const participation = await writer.loadOwned(
        Participation,
        participationId,
        'participation',
        async (p) => [p.actorId, ...(await leadsOf(writer, p.initiativeId))],
        what,
      );
      return writer.archive(participation, expectedVersion);
    });
  }

  @Mutation(() => Link, { nullable: true, description: 'Records a standing link between two actors: editors of either end, or admins, may.' })
  addLink(@Arg('input', () => AddLinkInput) input: AddLinkInput, @Ctx() context: Context) {
    const what = 'record a link';
    requireActingFor(context.viewer, SUBGRAPH, [input.sourceId, input.targetId], what);
    if (input.sourceId === input.targetId) throw badUserInput('A link joins two different actors: sourceId and targetId are the same.', { field: 'targetId' });
    return write(context, what, async (writer) => {
      const same = await writer.em.findOne(Link, { type: input.type, sourceId: input.sourceId, targetId: input.targetId, endDate: null, archivedAt: null });
      if (same) throw conflict(`A ${input.type} link from ${input.sourceId} to ${input.targetId} is already in force (${same.id}).`);
      return writer.create(Link, { ...sentFields(input), id: newId('lnk') } as never);
    });
  }

  @Mutation(() => Link, { nullable: true, description: 'Ends a link on a date (today by default): editors of either end, or admins, may.' })
  endLink(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('endDate', () => LocalDateResolver, { nullable: true }) endDate: string | null,
    @Ctx() context: Context,
  ) {
    const what = `end link ${id}`;
    requireWriter(context.viewer, what);
    return write(context, what, async (writer) => {
      const link = await writer.loadOwned(Link, id, 'link', (l) => [l.sourceId, l.targetId], what);
      if (link.endDate) throw conflict(`${id} already ended on ${link.endDate}.`);
      const ended = endDate ?? today();
      checkDates(link.startDate, ended);
      return writer.update(link, expectedVersion, (record) => void (record.endDate = ended));
    });
  }
}
