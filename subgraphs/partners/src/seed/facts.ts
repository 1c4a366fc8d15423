import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * The source post names no private partner ("หน่วยงานภาครัฐและเอกชนที่เกี่ยวข้อง"
 * speaks of them only in general), so there are no partner facts to seed;
 * partners come from their owners or from the demo generator.
 */
export async function seedFacts(_em: EntityManager): Promise<number> {
  return 0;
}
