import type { EntityManager } from '@mikro-orm/postgresql';
import { createClient, type Client } from 'graphql-sse';
import { tableOf, type ChangeAction } from '@hub/toolkit';
import { FeedPosition } from './entities/feed-position.js';
import { CALL_TIMEOUT_MS, OwnerUnavailable, type OwnerApi } from './owner-api.js';

/*
 * Each owner serves its change feed at its own /graphql over GraphQL over
 * SSE (graphql-sse, one request per subscription; toolkit/src/change-feed-http.ts),
 * to the same signed identity its queries take. The index follows the feed
 * of every owner it reads, from the last change it applied; the public
 * `changes` follows the same feeds again, with more of each change
 * (live/fan-in.ts).
 */

const LATEST = /* GraphQL */ `query SearchIndexFeedHead { latestChangeId }`;
/** The fields of a feed's change the index needs; `followFeed` callers that need more name them (live/fan-in.ts). */
const INDEX_FIELDS = 'id action recordType recordId';

function changesQuery(fields: string): string {
  return /* GraphQL */ `subscription SearchFeedChanges($after: ID, $recordTypes: [String!]) {
  changes(after: $after, recordTypes: $recordTypes) { ${fields} }
}`;
}

/** A change as the index reads it off a feed. */
export interface FeedChange {
  id: string;
  action: `${ChangeAction}`;
  recordType: string;
  recordId: string;
}

/** A client of one owner's feed; `timeoutMs` bounds each request whole (a query's), never a subscription's stream. */
function feedClient(owner: OwnerApi, timeoutMs?: number): Client {
  return createClient({
    url: owner.url,
    headers: owner.headers,
    // Reconnecting is the follower's: with the position it has reached, not the one it started from.
    retryAttempts: 0,
    ...(timeoutMs
      ? {
          fetchFn: (input: string | URL | Request, init: RequestInit = {}) =>
            fetch(input, { ...init, signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(init.signal ? [init.signal] : [])]) }),
        }
      : {}),
  });
}

/**
 * The id of the last change of the owner's feed that every reader can see:
 * read before the index reads an owner's records, every change after it is
 * one that reading may have missed.
 */
export async function latestChangeId(owner: OwnerApi): Promise<string> {
  const client = feedClient(owner, CALL_TIMEOUT_MS);
  try {
    for await (const result of client.iterate<{ latestChangeId: string }>({ query: LATEST })) {
      if (result.data?.latestChangeId) return result.data.latestChangeId;
      throw new Error(result.errors?.map((e) => e.message).join('; ') ?? 'no latestChangeId');
    }
    throw new Error('the feed answered nothing');
  } catch (error) {
    if (error instanceof OwnerUnavailable) throw error;
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new OwnerUnavailable(owner.subgraph, `its change feed: ${cause ?? (error as Error).message ?? String(error)}`);
  } finally {
    client.dispose();
  }
}

/** Where the index stands in an owner's feed; undefined before it first read that owner. */
export async function feedPositionOf(em: EntityManager, subgraph: string): Promise<string | undefined> {
  return (await em.findOne(FeedPosition, { subgraph }))?.lastChangeId;
}

/** Records the last change of an owner's feed the index holds; `onlyIfNone` leaves a position already there as it is. */
export async function saveFeedPosition(em: EntityManager, subgraph: string, changeId: string, onlyIfNone = false): Promise<void> {
  await em
    .getConnection()
    .execute(
      `insert into ${tableOf(em, FeedPosition)} (subgraph, last_change_id, updated_at) values (?, ?, now())
        on conflict (subgraph) do ${onlyIfNone ? 'nothing' : 'update set last_change_id = excluded.last_change_id, updated_at = excluded.updated_at'}`,
      [subgraph, changeId],
      'run',
    );
}

/**
 * Follows one owner's feed until stopped: subscribes after `position()`,
 * hands each change to `apply` (which records the position once it is
 * applied), and when the stream fails or ends, waits and subscribes again
 * from wherever it got to, sooner after a stream that delivered something.
 */
export function followFeed<Change extends FeedChange = FeedChange>(options: {
  owner: OwnerApi;
  /** Only these types' changes; every change when absent. */
  recordTypes?: string[];
  /** The fields of each change to ask for: INDEX_FIELDS when absent. */
  fields?: string;
  position: () => Promise<string | undefined>;
  apply: (change: Change) => Promise<void>;
  onLost: (reason: string, retryInMs: number) => void;
  retry: { firstMs: number; maxMs: number };
}): { stop(): Promise<void> } {
  let stopped = false;
  let current: AsyncIterableIterator<unknown> | undefined;
  let wake: (() => void) | undefined;

  const run = async () => {
    let delay = options.retry.firstMs;
    while (!stopped) {
      const client = feedClient(options.owner);
      try {
        const after = (await options.position()) ?? null;
        if (stopped) break;
        const changes = client.iterate<{ changes: Change }>({
          query: changesQuery(options.fields ?? INDEX_FIELDS),
          variables: { after, recordTypes: options.recordTypes ?? null },
        });
        current = changes;
        for await (const result of changes) {
          if (result.errors?.length || !result.data) throw new Error(result.errors?.map((e) => e.message).join('; ') ?? 'an event without data');
          await options.apply(result.data.changes);
          delay = options.retry.firstMs;
        }
        if (!stopped) options.onLost('the feed ended', delay);
      } catch (error) {
        if (!stopped) options.onLost((error as Error).message ?? String(error), delay);
      } finally {
        current = undefined;
        client.dispose();
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      delay = Math.min(delay * 2, options.retry.maxMs);
    }
  };
  const running = run();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await current?.return?.();
      await running;
    },
  };
}
