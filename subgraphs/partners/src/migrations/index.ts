// Lists the migrations in the order they run; `npm run migration:create` keeps it up to date.
import { Migration20261124073904_initial } from './Migration20261124073904_initial.js';
import { Migration20261124080252_search } from './Migration20261124080252_search.js';
import { Migration20261124122257_writes } from './Migration20261124122257_writes.js';
import { Migration20261130080002_provenance } from './Migration20261130080002_provenance.js';
import { Migration20261130090000_thai_search } from './Migration20261130090000_thai_search.js';
import { Migration20261130100000_change_feed } from './Migration20261130100000_change_feed.js';

export const migrations = [
  { name: 'Migration20261124073904_initial', class: Migration20261124073904_initial },
  { name: 'Migration20261124080252_search', class: Migration20261124080252_search },
  { name: 'Migration20261124122257_writes', class: Migration20261124122257_writes },
  { name: 'Migration20261130080002_provenance', class: Migration20261130080002_provenance },
  { name: 'Migration20261130090000_thai_search', class: Migration20261130090000_thai_search },
  { name: 'Migration20261130100000_change_feed', class: Migration20261130100000_change_feed },
];
