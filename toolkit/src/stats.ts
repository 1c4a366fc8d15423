import DataLoader from 'dataloader';
import { Directive, Field, Int, ObjectType } from 'type-graphql';
import type { EntityManager } from '@mikro-orm/postgresql';

@Directive('@shareable')
@ObjectType({ description: 'How many records have one value of a breakdown (an enum value, as text).' })
export class Count {
  @Field()
  value!: string;

  @Field(() => Int)
  count!: number;
}

/** Where a statistic is taken: one province, a set of provinces (a region), or the whole country. */
export type StatsScope = { provinceCode: string } | { provinceCodes: string[] } | { nationwide: true };

/**
 * A count of records by one dimension, written as SQL over `t`, the table whose
 * rows are counted (`count(distinct t.id)`, so joins that fan rows out, such as
 * unnesting an initiative's provinces or themes, never count a record twice).
 */
export interface Breakdown {
  /** Names the breakdown among a subgraph's others: loaders are shared by id. */
  id: string;
  /** FROM clause: `t` and any joins the expressions need. */
  from: string;
  /** SQL giving the province code a row belongs to (or to each, after a join). */
  province: string;
  /** SQL giving the value counted by; a constant for a plain total. */
  dimension: string;
  /**
   * A cheaper FROM for the whole country, when `from` only joins to find
   * provinces (unnesting an initiative's provinces fans every row out). It
   * must give each record at most once per value, so rows are simply counted.
   */
  nationalFrom?: string;
  /**
   * An indexable condition with one `?` for a list of province codes, added
   * beside the `province in (...)` test that a fanned-out row cannot index.
   */
  narrow?: string;
}

/**
 * Computes breakdowns for a request. Province-scoped ones are batched: a
 * dashboard listing 77 provinces sends one GROUP BY per breakdown, not 77.
 */
export function createBreakdowns(em: EntityManager) {
  const perProvince = new Map<string, DataLoader<string, Count[]>>();
  return (breakdown: Breakdown, scope: StatsScope): Promise<Count[]> => {
    if ('provinceCode' in scope) {
      let loader = perProvince.get(breakdown.id);
      if (!loader) {
        const narrow = breakdown.narrow ? ` and ${breakdown.narrow}` : '';
        const sql = `select ${breakdown.province} as key, ${breakdown.dimension} as value, count(distinct t.id)::int as count
          from ${breakdown.from} where ${breakdown.province} in (?)${narrow} and t.archived_at is null group by 1, 2`;
        loader = new DataLoader(async (codes) => {
          const params = breakdown.narrow ? [codes, codes] : [codes];
          const rows = await em.getConnection().execute<{ key: string; value: string; count: number }[]>(sql, params);
          return codes.map((code) => sortCounts(rows.filter((row) => row.key === code)));
        });
        perProvince.set(breakdown.id, loader);
      }
      return loader.load(scope.provinceCode);
    }
    const regional = 'provinceCodes' in scope;
    const where = regional ? `${breakdown.province} in (?)${breakdown.narrow ? ` and ${breakdown.narrow}` : ''}` : 'true';
    const params = regional ? (breakdown.narrow ? [scope.provinceCodes, scope.provinceCodes] : [scope.provinceCodes]) : [];
    const from = regional ? breakdown.from : (breakdown.nationalFrom ?? breakdown.from);
    const counted = !regional && breakdown.nationalFrom ? 'count(*)' : 'count(distinct t.id)';
    // Archived records count no more, as they are left out of lists.
    const sql = `select ${breakdown.dimension} as value, ${counted}::int as count from ${from} where ${where} and t.archived_at is null group by 1`;
    return em.getConnection().execute<Count[]>(sql, params).then(sortCounts);
  };
}

/** Largest first, then by value, with plain numbers (the driver may give bigint strings). */
function sortCounts(rows: { value: string; count: number }[]): Count[] {
  return rows
    .filter((row) => row.value !== null)
    .map((row) => ({ value: String(row.value), count: Number(row.count) }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/** The total of a breakdown whose dimension is a constant. */
export function totalOf(counts: Count[]): number {
  return counts.reduce((sum, c) => sum + c.count, 0);
}

export type Breakdowns = ReturnType<typeof createBreakdowns>;
