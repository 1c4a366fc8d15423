import { Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root, type ClassType } from 'type-graphql';
import { badUserInput } from '@hub/server';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Cost, Count, enumSize, ListSize, tableOf, totalOf, type Breakdown, type Breakdowns, type StatsScope, type SubgraphContext } from '@hub/toolkit';
import { Region } from './codelists.js';
import { checkProvinceCode, provinceCodesOf } from './provinces.js';

/**
 * What dashboards ask every owner the same way: counts for a province, a
 * region or the whole country, and the counts of actors by kind. How a
 * count is computed and batched (Breakdown) is the toolkit's.
 */

/** The scope a stats query asks for: a province, a region, or (neither) the whole country. */
export function statsScope(args: { provinceCode?: string | null; region?: Region | null }): StatsScope {
  if (args.provinceCode && args.region) {
    throw badUserInput('Give "provinceCode" or "region", not both.', { argument: 'region' });
  }
  if (args.provinceCode) return { provinceCode: checkProvinceCode(args.provinceCode) };
  if (args.region) return { provinceCodes: provinceCodesOf(args.region) };
  return { nationwide: true };
}

/**
 * The `(region, provinceCode)` arguments of every stats query, so a dashboard
 * asks each owner the same way.
 */
@ArgsType()
export class StatsScopeArgs {
  @Field(() => Region, { nullable: true, description: 'Only this region.' })
  region?: Region | null;

  @Field(() => ID, { nullable: true, description: 'Only this province (ISO 3166-2:TH code).' })
  provinceCode?: string | null;
}

export interface ActorStatsOptions {
  /** The GraphQL type, e.g. "PartnerStats". */
  typeName: string;
  /** What is counted, for descriptions: "private partners". */
  what: string;
  /** The Query field, e.g. "partnerStats"; the same name is added to Province. */
  field: string;
  /** The counted entity; its table comes from the ORM's mapping. */
  entity: ClassType<object>;
  /** The enum the kinds come from, for the description of byKind. */
  kindEnum: string;
  /** That enum itself: byKind has at most one count per value. */
  kinds: Record<string, string>;
  /** This subgraph's Province entity or key-only stub. */
  Province: ClassType<{ code: string }>;
}

/**
 * The counts every actor owner gives dashboards, by kind, for a province, a
 * region or the country: a stats type, its Query field and its Province field.
 * Each owner calls this once with its own table; extra breakdowns go in a
 * resolver of the owner's for the returned type.
 */
export function actorStatsResolvers(options: ActorStatsOptions) {
  const breakdown = (em: EntityManager, id: string, dimension: string): Breakdown => ({
    id,
    from: `${tableOf(em, options.entity)} t`,
    province: 't.province_code',
    dimension,
  });

  @ObjectType(options.typeName, {
    description: `Counts of ${options.what} in a province, a region or the whole country, computed in SQL.`,
  })
  class Stats {
    scope!: StatsScope;
  }

  @Resolver(() => Stats)
  class StatsResolver {
    // An aggregate (GROUP BY) over the owner's whole table, not a read of a few rows.
    @Cost(10)
    // Nullable, as every root field: a non-null one that its owner cannot answer nulls the whole answer, other owners' fields too.
    @Query(() => Stats, { name: options.field, nullable: true, description: `${options.what[0]!.toUpperCase()}${options.what.slice(1)} counted nationwide, or in one region or province.` })
    stats(@Args() args: StatsScopeArgs): Stats {
      return { scope: statsScope(args) };
    }

    @FieldResolver(() => Int)
    async total(@Root() stats: Stats, @Ctx() { em, loaders }: SubgraphContext<{ stats: Breakdowns }>) {
      return totalOf(await loaders.stats(breakdown(em, 'total', `'all'`), stats.scope));
    }

    @ListSize(enumSize(options.kinds))
    @FieldResolver(() => [Count], { description: `By ${options.kindEnum}.` })
    byKind(@Root() stats: Stats, @Ctx() { em, loaders }: SubgraphContext<{ stats: Breakdowns }>) {
      return loaders.stats(breakdown(em, 'kind', 't.kind'), stats.scope);
    }
  }

  @Resolver(() => options.Province)
  class ProvinceStatsResolver {
    // An aggregate (GROUP BY) over the owner's rows in the province, not a read of a few rows.
    @Cost(10)
    @FieldResolver(() => Stats, { name: options.field, nullable: true, description: `Counts of the ${options.what} of this province.` })
    stats(@Root() province: { code: string }): Stats {
      return { scope: { provinceCode: province.code } };
    }
  }

  return { Stats, resolvers: [StatsResolver, ProvinceStatsResolver] as const };
}
