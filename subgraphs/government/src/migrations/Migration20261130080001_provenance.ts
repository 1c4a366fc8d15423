import { Migration } from '@mikro-orm/migrations';
import { backfillSourceBasisSql, correctSeededValuesSql, restateSourcesSql } from '@hub/toolkit';
import { PROVINCES } from '@hub/domain';
import { GOVERNMENT_CENTRE_FACTS, OFFICIAL_ORDER_FACTS } from '../seed/facts.js';

const BANGKOK = PROVINCES.find((p) => p.code === 'TH-10')!;

/**
 * Sources say whether they state a fact or it was inferred, with the passage
 * it rests on. Rows written before get a basis, and the seeded facts get the
 * sources the seed now writes, so an upgraded database tells what a fresh
 * one does. TH-10's English name becomes the one ISO 3166-2 gives.
 */
export class Migration20261130080001_provenance extends Migration {

  override name = 'Migration20261130080001_provenance';

  override up(): void | Promise<void> {
    for (const table of ['province', 'government_centre', 'official_order']) this.addSql(backfillSourceBasisSql('government', table));
    this.addSql(restateSourcesSql('government', 'government_centre', GOVERNMENT_CENTRE_FACTS));
    this.addSql(restateSourcesSql('government', 'official_order', OFFICIAL_ORDER_FACTS));
    this.addSql(correctSeededValuesSql('government', 'province', { code: BANGKOK.code, name_en: 'Bangkok' }, { name_en: BANGKOK.nameEn }));
    this.addSql(correctSeededValuesSql(
      'government',
      'government_centre',
      { id: 'gov_th10_centre', name_en: 'Bangkok Provincial Operations Centre for the Fight to Overcome Poverty' },
      { name_en: GOVERNMENT_CENTRE_FACTS.find((c) => c.id === 'gov_th10_centre')!.nameEn },
    ));
  }

  // A correction of the facts is not undone: going down keeps them as corrected.
  override down(): void | Promise<void> {}

}
