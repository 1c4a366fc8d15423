import type { FilterQuery } from '@mikro-orm/postgresql';
import { checkProvinceCode } from './provinces.js';

/**
 * What an owner's list of its actors is filtered by: its own codelists (kind;
 * people's status too) and where it is based. A name search is the page's
 * (toolkit's `paginate`), as it orders the list too.
 */
export interface ActorListFilter {
  kind?: string | null;
  status?: string | null;
  provinceCode?: string | null;
}

/** The WHERE of an owner's list of its actors, the same for every owner. */
export function actorListWhere<E>(filter: ActorListFilter): FilterQuery<E> {
  const where: Record<string, unknown> = {};
  if (filter.kind) where.kind = filter.kind;
  if (filter.status) where.status = filter.status;
  if (filter.provinceCode) where.provinceCode = checkProvinceCode(filter.provinceCode);
  return where as FilterQuery<E>;
}
