// Lists the migrations in the order they run; `npm run migration:create` keeps it up to date.
import { Migration20261124073857_initial } from './Migration20261124073857_initial.js';
import { Migration20261124080245_search } from './Migration20261124080245_search.js';

export const migrations = [
  { name: 'Migration20261124073857_initial', class: Migration20261124073857_initial },
  { name: 'Migration20261124080245_search', class: Migration20261124080245_search },
];
