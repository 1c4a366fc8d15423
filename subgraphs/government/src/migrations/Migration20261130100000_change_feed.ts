import { Migration } from '@mikro-orm/migrations';
import { changeFeedSql, dropChangeFeedSql } from '@hub/toolkit';

export class Migration20261130100000_change_feed extends Migration {

  override name = 'Migration20261130100000_change_feed';

  override up(): void | Promise<void> {
    // The audit trail becomes the change feed: each entry announced on commit, in an order resumable without gaps.
    for (const sql of changeFeedSql('government')) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    for (const sql of dropChangeFeedSql('government')) this.addSql(sql);
  }

}
