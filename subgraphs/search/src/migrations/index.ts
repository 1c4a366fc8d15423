// Lists the migrations in the order they run; `npm run migration:create` keeps it up to date.
import { Migration20261130110000_initial } from './Migration20261130110000_initial.js';

export const migrations = [{ name: 'Migration20261130110000_initial', class: Migration20261130110000_initial }];
