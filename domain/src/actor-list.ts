import type { FilterQuery } from '@mikro-orm/postgresql';
import { searchPattern } from '@hub/toolkit';
import { checkProvinceCode } from './provinces.js';

/** What an owner's list of its actors is filtered by: its own codelists (kind; people's status too), where it is based, a name search. */
export interface ActorListFilter {
  kind?: string | null;
  status?: string | null;
  provinceCode?: string | null;
  search?: string | null;
}

/** The WHERE of an owner's list of its actors, the same for every owner. */
export function actorListWhere<E>(filter: ActorListFilter): FilterQuery<E> {
  const where: Record<string, unknown> = {};
  if (filter.kind) where.kind = filter.kind;
  if (filter.status) where.status = filter.status;
  if (filter.provinceCode) where.provinceCode = checkProvinceCode(filter.provinceCode);
  if (filter.search) where.searchText = { $like: searchPattern(filter.search) };
  return where as FilterQuery<E>;
}
