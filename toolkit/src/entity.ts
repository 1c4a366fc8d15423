import { Property } from '@mikro-orm/decorators/legacy';
import { OptionalProps } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from './scalars.js';
import { ListSize } from './cost.js';
import { Source } from './source.js';

/**
 * Columns every record of every subgraph has: when it was written, its
 * version (for detecting concurrent edits), whether it is archived, the
 * sources behind it, and whether it is generated demo data. Subclasses that
 * are GraphQL object types inherit the decorated fields; the base type itself
 * is never in a schema, as nothing returns it.
 */
@ObjectType()
export abstract class HubEntity<Defaulted extends string = never> {
  /** Properties `em.create()` may leave out: they have defaults or are derived. */
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'version' | 'archivedAt' | 'sources' | 'demo' | Defaulted;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  /**
   * MikroORM adds `where version = <read version>` to every UPDATE and bumps
   * it, so of two edits made from the same reading only the first lands.
   */
  @Field(() => Int, { description: 'Goes up by one with every change. Send the version you read as `expectedVersion` when you change the record: if someone changed it since, you get CONFLICT instead of overwriting their change.' })
  @Property({ version: true, type: 'integer', default: 1 })
  version: number = 1;

  @Field(() => DateTimeISOResolver, {
    nullable: true,
    description: 'When the record was archived; null while it is in use. Archived records leave lists and counts but are never deleted: looked up by id, or from what refers to them, they are still there.',
  })
  @Property({ type: 'datetime', nullable: true })
  archivedAt: Date | null = null;

  @ListSize(3)
  @Field(() => [Source], { description: 'The sources that support this record.' })
  @Property({ type: 'json', defaultRaw: "'[]'" })
  sources: Source[] = [];

  @Field({ description: 'True for records made by the demo-data generator, which describe no real body.' })
  @Property({ default: false })
  demo: boolean = false;
}
