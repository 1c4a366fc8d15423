import { Property } from '@mikro-orm/decorators/legacy';
import { OptionalProps } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Source } from './source.js';

/**
 * Columns every record of every subgraph has: when it was written, the
 * sources behind it, and whether it is generated demo data. Subclasses that
 * are GraphQL object types inherit the decorated fields; the base type itself
 * is never in a schema, as nothing returns it.
 */
@ObjectType()
export abstract class HubEntity<Defaulted extends string = never> {
  /** Properties `em.create()` may leave out: they have defaults or are derived. */
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'sources' | 'demo' | Defaulted;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Field(() => [Source], { description: 'The sources that support this record.' })
  @Property({ type: 'json', defaultRaw: "'[]'" })
  sources: Source[] = [];

  @Field({ description: 'True for records made by the demo-data generator, which describe no real body.' })
  @Property({ default: false })
  demo: boolean = false;
}
