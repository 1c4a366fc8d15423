import type { GraphQLSchema } from 'graphql';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import {
  Args,
  ArgsType,
  buildSchema,
  Ctx,
  Field,
  ID,
  ObjectType,
  Query,
  Resolver,
  Root,
  Subscription,
  UseMiddleware,
  type MiddlewareFn,
  type PubSub,
} from 'type-graphql';
import { requireSignedIn, type Viewer } from '@hub/server';
import { ChangeAction } from './audit.js';
import { FeedEnded, type ChangeFeed, type FeedEntry } from './change-feed.js';
import { DateTimeISOResolver, JSONObjectResolver } from './scalars.js';

/** What the feed's resolvers receive: who subscribes (from the gateway's signed header, as for queries) and the feed. */
export type ChangeFeedContext = {
  viewer: Viewer;
  requestId: string;
  feed: ChangeFeed;
  /** Resolves when the subscriber's connection has room for more. */
  writable?: () => Promise<void>;
};

/** The fields of a change that may hold contact details or name people: signed-in subscribers only, as `history` is. */
const signedInOnly: MiddlewareFn<{ viewer: Viewer }> = ({ context, info }, next) => {
  requireSignedIn(context.viewer, `see the ${info.fieldName} of a change`);
  return next();
};

/**
 * Who made a change, and the values before and after: what a change holds
 * that only signed-in subscribers see, null with UNAUTHENTICATED otherwise.
 * Each subgraph's feed and the public `Subscription.changes` extend it, so
 * the rule is written once.
 */
@ObjectType()
export abstract class ChangeWhoAndValues {
  @UseMiddleware(signedInOnly)
  @Field(() => String, { nullable: true, description: 'The user who made the change (the subject of their token).' })
  user!: string | null;

  @UseMiddleware(signedInOnly)
  @Field(() => ID, { nullable: true, description: 'The agency the user acted for: an actor id.' })
  agency!: string | null;

  @UseMiddleware(signedInOnly)
  @Field(() => String, { nullable: true, description: 'The role the user held: viewer, editor or admin.' })
  role!: string | null;

  @UseMiddleware(signedInOnly)
  @Field(() => JSONObjectResolver, { nullable: true, description: 'The record before the change; null for CREATE.' })
  before!: Record<string, unknown> | null;

  @UseMiddleware(signedInOnly)
  @Field(() => JSONObjectResolver, { nullable: true, description: 'The record after the change.' })
  after!: Record<string, unknown> | null;

  @UseMiddleware(signedInOnly)
  @Field(() => String, { nullable: true, description: 'The id of the request that made the change, as in the logs.' })
  requestId!: string | null;
}

@ObjectType('Change', {
  description:
    'One committed change to a record of this subgraph, from its audit trail. Who made it and the values before and after are for signed-in subscribers: null, with UNAUTHENTICATED, without a token.',
})
class FeedChange extends ChangeWhoAndValues {
  @Field(() => ID, { description: 'Change id ("chg_" and a zero-padded number): subscribe again with it as `after` to resume after this change.' })
  id!: string;

  @Field(() => DateTimeISOResolver)
  at!: Date;

  @Field(() => ChangeAction)
  action!: ChangeAction;

  @Field({ description: 'The GraphQL type of the record, e.g. "PeopleOrganization".' })
  recordType!: string;

  @Field(() => ID)
  recordId!: string;

  @Field(() => [ID], {
    description: 'The provinces (ISO 3166-2:TH) the record names before or after the change; empty for a record that names none of its own.',
  })
  provinceCodes!: string[];

}

@ArgsType()
class ChangesArgs {
  @Field(() => ID, {
    nullable: true,
    description:
      'Replay every committed change after this one, then go live: the id of the last change received, or "chg_000000000000" for the whole trail. Without it, changes from now on.',
  })
  after?: string | null;

  @Field(() => [String], { nullable: true, description: 'Only changes to records of these types, e.g. ["PeopleOrganization"].' })
  recordTypes?: string[] | null;

  @Field(() => ID, { nullable: true, description: 'Only changes to records that name this province (ISO 3166-2:TH, e.g. "TH-80") before or after the change.' })
  provinceCode?: string | null;
}

@Resolver()
class ChangeFeedResolver {
  @Query(() => ID, {
    description:
      'The id of the last change every subscriber can see: read the records, then subscribe with this as `after` to get every change since, none missed. "chg_000000000000" while the trail is empty.',
  })
  latestChangeId(@Ctx() context: ChangeFeedContext): Promise<string> {
    return context.feed.latestId();
  }

  @Subscription(() => FeedChange, {
    description:
      "Every committed change to this subgraph's records, each once. A change is sent once every transaction older than it has ended, so none that commits later sorts before one already sent: resume with `after` and nothing is skipped.",
    subscribe: ({ args, context }) => (context as ChangeFeedContext).feed.subscribe({ ...(args as ChangesArgs), writable: (context as ChangeFeedContext).writable }),
  })
  changes(@Root() event: FeedEntry | FeedEnded, @Args() _filter: ChangesArgs): FeedEntry {
    // The feed's last event when the subgraph ends it (a subscriber too slow to keep up): its reason, as an error.
    if (event instanceof FeedEnded) throw event.error;
    return event;
  }
}

/**
 * type-graphql asks for a PubSub whenever a schema has a subscription, even
 * one that brings its own `subscribe`, as `changes` does (here and in the
 * search subgraph): this one is never used.
 */
export const unusedPubSub: PubSub = {
  publish() {},
  subscribe() {
    throw new Error('the change feed subscribes through its own `subscribe`');
  },
};

let built: Promise<GraphQLSchema> | undefined;

/**
 * The small schema every subgraph serves its change feed with, apart from
 * its federated schema: a subscription root field cannot be composed from
 * four subgraphs, so the gateway's `Subscription.changes` is owned elsewhere
 * and reads these feeds. The same for every subgraph.
 */
export function changeFeedSchema(): Promise<GraphQLSchema> {
  return (built ??= buildSchema({ resolvers: [ChangeFeedResolver], pubSub: unusedPubSub }));
}

/** The feed schema's SDL, as docs/change-feed.md shows it. */
export async function changeFeedSdl(): Promise<string> {
  return printSchemaWithDirectives(await changeFeedSchema());
}
