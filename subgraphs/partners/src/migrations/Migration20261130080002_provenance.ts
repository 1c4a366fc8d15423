import { Migration } from '@mikro-orm/migrations';
import { backfillSourceBasisSql } from '@hub/toolkit';

/** Sources say whether they state a fact or it was inferred: rows written before get a basis. */
export class Migration20261130080002_provenance extends Migration {

  override name = 'Migration20261130080002_provenance';

  override up(): void | Promise<void> {
    for (const table of ['private_partner', 'contribution']) this.addSql(backfillSourceBasisSql('partners', table));
  }

  // Older code reads sources with a basis as it read them without: going down leaves it.
  override down(): void | Promise<void> {}

}
