import type { MikroORM } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { Args, ArgsType, createUnionType, Directive, Field, ID, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import { ErrorCode } from '@hub/server';
import { ChangeAction, ChangeWhoAndValues, DateTimeISOResolver } from '@hub/toolkit';
import type { Context } from '../context.js';
import { GovernmentCentre, Initiative, PeopleOrganization, PrivatePartner, Province } from '../external.js';
import { decodeCursor } from '../live/cursor.js';
import { ChangesEnded, type LiveChanges, type OwnedChange } from '../live/fan-in.js';

/*
 * The public `Subscription.changes`: every owner's changes in one stream,
 * served here because this subgraph already follows all four feeds, and
 * composition lets only one subgraph own a subscription root field.
 *
 * `Change` is also every owner's audit entry (`history`), shareable. Here
 * it is an entity, keyed by fields every owner's entry has: a history entry
 * reached through an owner gets `record` and `cursor` from this subgraph
 * (the gateway sends the key), and a live change reached through this
 * subgraph has every field an owner's entry has, so every field is
 * reachable from either side and the supergraph composes.
 */

export const ChangedRecord = createUnionType({
  name: 'ChangedRecord',
  description: 'The record a change changed, from its owner: an actor of any sector, a joint initiative or a province.',
  types: () => [PeopleOrganization, GovernmentCentre, PrivatePartner, Initiative, Province] as const,
  resolveType: (record) => (record as unknown as { __typename: string }).__typename,
});

const RECORD_TYPES = new Set(['PeopleOrganization', 'GovernmentCentre', 'PrivatePartner', 'Initiative', 'Province']);

/** A change as this subgraph knows it: live from a feed, or a history entry's key. */
type ChangeSource = Pick<OwnedChange, 'subgraph' | 'id' | 'recordType' | 'recordId'> & Partial<OwnedChange>;

@Directive('@key(fields: "subgraph id recordType recordId")')
@Directive('@shareable')
@ObjectType('Change', { description: 'One change to a record: who made it, when, and the values before and after.' })
export class LiveChange extends ChangeWhoAndValues {
  @Field({ description: 'The subgraph that owns the record and keeps this change in its audit trail.' })
  subgraph!: string;

  @Field(() => ID, { description: 'Change id ("chg_" and a zero-padded number): later changes have greater ids.' })
  id!: string;

  @Field(() => DateTimeISOResolver)
  at!: Date;

  @Field(() => ChangeAction)
  action!: ChangeAction;

  @Field({ description: 'The GraphQL type of the record, e.g. "PeopleOrganization".' })
  recordType!: string;

  @Field(() => ID)
  recordId!: string;


  @Field(() => ChangedRecord, {
    nullable: true,
    description:
      'The changed record, resolved through the graph as a query would be: null for a record that is none of these types (a membership, a contribution, an order...).',
  })
  record(@Root() change: ChangeSource): { __typename: string; id?: string; code?: string } | null {
    if (!RECORD_TYPES.has(change.recordType)) return null;
    return change.recordType === 'Province' ? { __typename: 'Province', code: change.recordId } : { __typename: change.recordType, id: change.recordId };
  }

  @Field(() => String, {
    nullable: true,
    description:
      'Where `changes` stands after this change, in every owner: subscribe again with it as `after` to get every later change once. Null outside `changes` (in a history).',
  })
  cursor(@Root() change: ChangeSource): string | null {
    return change.cursor ?? null;
  }
}

const PROVINCE_CODE = /^TH-\d{2}$/;
const NAME = /^[A-Za-z]{1,64}$/;

@ArgsType()
class ChangesArgs {
  @Field(() => String, {
    nullable: true,
    description: 'Resume after this change: the `cursor` of the last change received. Without it, changes from now on.',
  })
  after?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only changes to records that name this province (ISO 3166-2:TH, e.g. "TH-80") before or after the change.' })
  province?: string | null;

  @Field(() => String, { nullable: true, description: 'Only changes to records of this owner: "people", "government", "partners" or "initiatives".' })
  subgraph?: string | null;

  @Field(() => String, { nullable: true, description: 'Only changes to records of this GraphQL type, e.g. "PeopleOrganization".' })
  recordType?: string | null;
}

function badArgument(argumentName: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, argumentName } });
}

/**
 * The fan-in of each running search subgraph, by its ORM's configuration
 * (the one thing a request's context shares with the background work that
 * starts it).
 */
const fanIns = new WeakMap<object, LiveChanges>();

export function serveLiveChanges(orm: MikroORM, live: LiveChanges): void {
  fanIns.set(orm.config, live);
}

async function subscribe(args: ChangesArgs, context: Context): Promise<AsyncIterable<OwnedChange | ChangesEnded>> {
  const live = fanIns.get(context.em.config);
  if (!live) throw new GraphQLError('Live changes are not running in this subgraph.', { extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'search' } });
  if (args.province != null && !PROVINCE_CODE.test(args.province)) throw badArgument('province', '`province` is a province code such as "TH-80".');
  if (args.subgraph != null && !live.owners.includes(args.subgraph)) {
    throw badArgument('subgraph', `\`subgraph\` is one of ${live.owners.map((owner) => `"${owner}"`).join(', ')}.`);
  }
  if (args.recordType != null && !NAME.test(args.recordType)) throw badArgument('recordType', '`recordType` is a GraphQL type name such as "PeopleOrganization".');
  const from = args.after == null ? undefined : decodeCursor(args.after, live.owners);
  return live.subscribe(from, { province: args.province ?? null, subgraph: args.subgraph ?? null, recordType: args.recordType ?? null });
}

@Resolver()
export class ChangesResolver {
  @Subscription(() => LiveChange, {
    description:
      "Every committed change to every owner's records, as it commits, each once; filtered by province, owner and record type. " +
      'Resume with the `cursor` of the last change received as `after`: nothing missed, nothing twice. Who made a change and its values are for signed-in subscribers.',
    subscribe: ({ args, context }) => subscribe(args as ChangesArgs, context as Context),
  })
  changes(@Root() change: OwnedChange | ChangesEnded, @Args() _filter: ChangesArgs): Omit<OwnedChange, 'at'> & { at: Date } {
    // The last event of a stream the fan-in ended (a subscriber too slow to keep up): its reason, as an error.
    if (change instanceof ChangesEnded) throw change.error;
    return { ...change, at: new Date(change.at) };
  }
}
