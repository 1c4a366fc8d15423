import { Migration } from '@mikro-orm/migrations';
import { backfillSourceBasisSql, correctSeededValuesSql, restateSourcesSql } from '@hub/toolkit';
import { MANDATED_ROLE_FACTS, PEOPLE_ORGANIZATION_FACTS } from '../seed/facts.js';

/**
 * Sources say whether they state a fact or it was inferred, with the passage
 * it rests on. Rows written before get a basis, and the seeded facts get the
 * sources and quotations the seed now writes, so an upgraded database tells
 * what a fresh one does.
 */
export class Migration20261130080000_provenance extends Migration {

  override name = 'Migration20261130080000_provenance';

  override up(): void | Promise<void> {
    for (const table of ['people_organization', 'membership', 'mandated_role']) this.addSql(backfillSourceBasisSql('people', table));
    this.addSql(restateSourcesSql('people', 'people_organization', PEOPLE_ORGANIZATION_FACTS));
    this.addSql(restateSourcesSql('people', 'mandated_role', MANDATED_ROLE_FACTS));
    // The second role is now quoted as the post spaces it.
    this.addSql(correctSeededValuesSql('people', 'mandated_role', {
      id: 'role_provincial_centre_2',
      title_th: 'เชื่อมโยงและเอื้ออำนวย การพัฒนาโดยพลังของขบวนเครือข่ายชุมชน และประเด็นงานพัฒนาต่าง ๆ เพื่อสร้างความรู้สึกเป็นเจ้าของปัญหา และสร้างโอกาสให้ชุมชนคนยากจนในทุกระดับ ได้เข้ามามีส่วนร่วมดำเนินการแก้ไขปัญหาร่วมกันอย่างเต็มที่',
    }, { title_th: MANDATED_ROLE_FACTS[1]!.titleTh }));
  }

  // A correction of the facts is not undone: going down keeps them as corrected.
  override down(): void | Promise<void> {}

}
