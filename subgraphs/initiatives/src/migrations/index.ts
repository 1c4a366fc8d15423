// Lists the migrations in the order they run; `npm run migration:create` keeps it up to date.
import { Migration20261124073907_initial } from './Migration20261124073907_initial.js';
import { Migration20261124080255_search } from './Migration20261124080255_search.js';
import { Migration20261124122258_writes } from './Migration20261124122258_writes.js';
import { Migration20261130080003_provenance } from './Migration20261130080003_provenance.js';
import { Migration20261130090000_thai_search } from './Migration20261130090000_thai_search.js';
import { Migration20261130100000_change_feed } from './Migration20261130100000_change_feed.js';

export const migrations = [
  { name: 'Migration20261124073907_initial', class: Migration20261124073907_initial },
  { name: 'Migration20261124080255_search', class: Migration20261124080255_search },
  { name: 'Migration20261124122258_writes', class: Migration20261124122258_writes },
  { name: 'Migration20261130080003_provenance', class: Migration20261130080003_provenance },
  { name: 'Migration20261130090000_thai_search', class: Migration20261130090000_thai_search },
  { name: 'Migration20261130100000_change_feed', class: Migration20261130100000_change_feed },
];
