import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { IsOptional } from 'class-validator';
import { conflict, forbidden, mayActFor, requireWriter } from '@hub/server';
import { IdOf, newId, write } from '@hub/toolkit';
import { actorTypeOf, IsActorId } from '@hub/domain';
import type { Context } from '../context.js';
import { Initiative } from '../entities/initiative.js';
import { Participation, ParticipationRole } from '../entities/participation.js';
import { leadsOf } from './initiative.js';

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

/** Every mutation is nullable: each commits on its own, and a failed one must not null the answer and hide those that did (a client would write them twice). */
@Resolver()
export class ParticipationMutations {
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
      const managesIt = mayActFor(identity, context.subgraph, leads);
      if (!managesIt && !(actorId === identity.agency && mayActFor(identity, context.subgraph, actorId))) {
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
}
