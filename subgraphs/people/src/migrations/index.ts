// Lists the migrations in the order they run; `npm run migration:create` keeps it up to date.
import { Migration20261124073857_initial } from './Migration20261124073857_initial.js';
import { Migration20261124080245_search } from './Migration20261124080245_search.js';
import { Migration20261124122243_writes } from './Migration20261124122243_writes.js';
import { Migration20261130080000_provenance } from './Migration20261130080000_provenance.js';
import { Migration20261130090000_thai_search } from './Migration20261130090000_thai_search.js';
import { Migration20261130100000_change_feed } from './Migration20261130100000_change_feed.js';

export const migrations = [
  { name: 'Migration20261124073857_initial', class: Migration20261124073857_initial },
  { name: 'Migration20261124080245_search', class: Migration20261124080245_search },
  { name: 'Migration20261124122243_writes', class: Migration20261124122243_writes },
  { name: 'Migration20261130080000_provenance', class: Migration20261130080000_provenance },
  { name: 'Migration20261130090000_thai_search', class: Migration20261130090000_thai_search },
  { name: 'Migration20261130100000_change_feed', class: Migration20261130100000_change_feed },
];
