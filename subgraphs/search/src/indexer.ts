import type { MikroORM } from '@mikro-orm/postgresql';
import { logger } from '@hub/server';
import { feedPositionOf, followFeed, latestChangeId, saveFeedPosition } from './follow.js';
import { INDEXED_TYPES } from './owners.js';
import { INDEXED_OWNERS, SearchIndex } from './search-index.js';

export interface IndexerOptions {
  /** How soon an owner that failed is tried again (its feed followed again), doubling up to `maxMs`. */
  retry?: { firstMs: number; maxMs: number };
}

const DEFAULT_RETRY = { firstMs: 1_000, maxMs: 60_000 };

/**
 * What keeps the search index current while the subgraph runs: it reads an
 * owner in full where the index does not yet hold it, then follows the
 * owner's change feed, so a record is findable within moments of its
 * commit. An owner that is down is logged and tried again later, with
 * backoff; the others go on meanwhile.
 */
export class Indexer {
  private readonly log = logger.child({ part: 'search-index' });
  private readonly retry: { firstMs: number; maxMs: number };
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly followers = new Map<string, { stop(): Promise<void> }>();
  private stopped = false;

  constructor(
    private readonly orm: MikroORM,
    readonly index: SearchIndex,
    options: IndexerOptions = {},
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  /**
   * Reads in full each owner the index has not followed yet (all of them
   * when it is empty) or whose count of records differs from the index's,
   * then follows every owner's feed. Resolves after the first attempt at
   * each, so a hub that starts it finds it ready; an owner that failed is
   * tried again in the background.
   */
  async start(): Promise<void> {
    await Promise.all(INDEXED_OWNERS.map((subgraph) => this.bringUp(subgraph, 0)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.followers.values()].map((follower) => follower.stop()));
    this.followers.clear();
  }

  /**
   * Reads every record of one owner through its API. The feed's head is
   * taken first, so every change that commits while the pages are read is
   * applied again from the feed; it becomes the owner's feed position unless
   * the index already follows that owner. Returns how many records it read.
   */
  async readOwner(subgraph: string): Promise<number> {
    const owner = this.index.owners.get(subgraph)!;
    const started = performance.now();
    const head = await latestChangeId(owner);
    const read = await this.index.reindexOwner(subgraph);
    await saveFeedPosition(this.orm.em.fork(), subgraph, head, true);
    this.log.info({ subgraph, records: read, ms: Math.round(performance.now() - started) }, `search index read the ${subgraph} subgraph`);
    return read;
  }

  /** Brings one owner into the index and follows it; on failure, tries again after `lastDelay` doubled. */
  private async bringUp(subgraph: string, lastDelay: number): Promise<void> {
    if (this.stopped) return;
    try {
      const position = await feedPositionOf(this.orm.em.fork(), subgraph);
      if (!position || !(await this.index.agreesWith(subgraph))) await this.readOwner(subgraph);
      this.follow(subgraph);
    } catch (error) {
      if (this.stopped) return;
      const delay = lastDelay ? Math.min(lastDelay * 2, this.retry.maxMs) : this.retry.firstMs;
      this.log.warn({ subgraph, retryInMs: delay, reason: (error as Error).message }, `search index cannot read the ${subgraph} subgraph; trying again later`);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.bringUp(subgraph, delay);
      }, delay);
      this.timers.add(timer);
    }
  }

  /** Follows an owner's feed from the index's position in it, applying each change and then recording it. */
  private follow(subgraph: string): void {
    if (this.stopped || this.followers.has(subgraph)) return;
    this.followers.set(
      subgraph,
      followFeed({
        owner: this.index.owners.get(subgraph)!,
        recordTypes: INDEXED_TYPES.filter((type) => type.subgraph === subgraph).map((type) => type.typeName),
        position: () => feedPositionOf(this.orm.em.fork(), subgraph),
        apply: async (change) => {
          await this.index.applyChange({ subgraph, ...change });
          await saveFeedPosition(this.orm.em.fork(), subgraph, change.id);
        },
        onLost: (reason, retryInMs) =>
          this.log.warn({ subgraph, retryInMs, reason }, `search index lost the ${subgraph} subgraph's change feed; following it again later`),
        retry: this.retry,
      }),
    );
  }
}
