import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { IsOptional } from 'class-validator';
import { badUserInput, conflict, requireActingFor, requireWriter } from '@hub/server';
import { LocalDateResolver, newId, sentFields, Text, today, write } from '@hub/toolkit';
import { IsActorId } from '@hub/domain';
import type { Context } from '../context.js';
import { Link, LinkType } from '../entities/link.js';
import { checkDates } from './initiative.js';

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

/** Every mutation is nullable: each commits on its own, and a failed one must not null the answer and hide those that did (a client would write them twice). */
@Resolver()
export class LinkMutations {
  @Mutation(() => Link, { nullable: true, description: 'Records a standing link between two actors: editors of either end, or admins, may.' })
  addLink(@Arg('input', () => AddLinkInput) input: AddLinkInput, @Ctx() context: Context) {
    const what = 'record a link';
    requireActingFor(context.viewer, context.subgraph, [input.sourceId, input.targetId], what);
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
