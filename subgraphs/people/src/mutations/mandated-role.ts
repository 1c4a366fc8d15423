import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { ArrayMaxSize, IsOptional, Max, Min } from 'class-validator';
import { requireAdmin } from '@hub/server';
import { assignDefined, newId, Text, write } from '@hub/toolkit';
import { Theme } from '@hub/domain';
import type { Context } from '../context.js';
import { MandatedRole } from '../entities/mandated-role.js';
import { PeopleOrganizationKind } from '../entities/people-organization.js';

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

/** Every mutation is nullable: each commits on its own, and a failed one must not null the answer and hide those that did (a client would write them twice). */
@Resolver()
export class MandatedRoleMutations {
  @Mutation(() => MandatedRole, { nullable: true, description: 'Records a mandated role. Admins of the people subgraph only.' })
  createMandatedRole(@Arg('input', () => MandatedRoleInput) input: MandatedRoleInput, @Ctx() context: Context) {
    const what = 'record a mandated role';
    requireAdmin(context.viewer, context.subgraph, what);
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
    requireAdmin(context.viewer, context.subgraph, what);
    return write(context, what, async (writer) =>
      writer.update(await writer.load(MandatedRole, id, 'mandated role'), expectedVersion, (record) =>
        assignDefined(record, { ...input, themes: input.themes ?? [] }),
      ),
    );
  }
}
