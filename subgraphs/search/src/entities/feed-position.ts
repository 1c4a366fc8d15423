import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { OptionalProps } from '@mikro-orm/core';

/**
 * How far the index has followed one owner's change feed: the id of the
 * last change it applied, so that after a restart or a lost connection it
 * subscribes again with `after:` that id and misses nothing.
 */
@Entity({ tableName: 'feed_position' })
export class FeedPosition {
  [OptionalProps]?: 'updatedAt';

  /** The owner subgraph whose feed this is. */
  @PrimaryKey({ type: 'text' })
  subgraph!: string;

  /** A change id of its feed ("chg_…"): every change up to it is in the index. */
  @Property({ type: 'text' })
  lastChangeId!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
