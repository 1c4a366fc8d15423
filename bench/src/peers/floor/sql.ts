/**
 * SQL the floor's statements share: the actors of the three owners as one
 * relation, JSON lists, Relay cursors and counts, written as PostgreSQL
 * builds JSON itself, so that a statement's one value is the answer's text.
 *
 * What the hub does is mirrored where it shows in an answer: lists leave out
 * archived rows (a record looked up by id does not), pages are in id order
 * under the database's collation (as the subgraphs' `order by t.id`), and
 * graph ties are broken by id under `collate "C"` (as the graph queries'). The
 * hub's default page size is 50 (PAGE_SIZE in toolkit/src/loaders.ts).
 */

export const DEFAULT_PAGE = 50;

/**
 * Every actor, whichever subgraph owns it, with the fields the mix asks of
 * it: `Actor.sector` is a constant of the owner's type. An id starts with its
 * owner's prefix, so a lookup by id finds at most one row.
 */
export const ACTORS = `(
  select id, 'PeopleOrganization'::text as typename, 'PEOPLE'::text as sector, name, province_code, kind, status,
    null::text as organisation_type, null::text as website
  from people.people_organization
  union all
  select id, 'GovernmentCentre', 'GOVERNMENT', name, province_code, kind, null, organisation_type, null
  from government.government_centre
  union all
  select id, 'PrivatePartner', 'PRIVATE', name, province_code, kind, null, null, website
  from partners.private_partner)`;

/** `{ id name sector }` of the actor `id` names (null when no owner has it), plus `extra` fields over its row `a`. */
export function actorJson(id: string, extra = ''): string {
  return `(select json_build_object('id', a.id, 'name', a.name, 'sector', a.sector${extra}) from ${ACTORS} a where a.id = ${id})`;
}

/** `{ nameEn }` of the province `code` names, or null. */
export function provinceNameJson(code: string): string {
  return `(select json_build_object('nameEn', pr.name_en) from government.province pr where pr.code = ${code})`;
}

/** A JSON array of `item` for each row `r` of `rows`, in `order`; [] for none. */
export function jsonList(item: string, rows: string, order: string): string {
  return `(select coalesce(json_agg(${item} order by ${order}), '[]'::json) from (${rows}) r)`;
}

/**
 * Counts by one value, as the subgraphs' breakdowns give them: largest first,
 * then by value. The values are upper-case enum names, whose byte order
 * (`collate "C"`) is the order of JavaScript's localeCompare that the
 * subgraphs sort them with.
 */
export function countsJson(valuesAndCounts: string): string {
  return `(select coalesce(json_agg(json_build_object('value', c.value, 'count', c.count) order by c.count desc, c.value collate "C"), '[]'::json)
    from (${valuesAndCounts}) c(value, count) where c.value is not null)`;
}

/** The hub's cursor for a row id: base64url of `id:<id>`, unpadded (PostgreSQL's base64 breaks lines, hence the newlines dropped). */
function cursor(id: string): string {
  return `rtrim(translate(encode(convert_to('id:' || ${id}, 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')`;
}

/**
 * A Relay connection over `rows` (a statement selecting `id` and whatever
 * `node` reads of its row `r`): the page of its first `first` rows (an SQL
 * integer) in id order, or in `orderBy` (over its row `q`), read once, with as
 * asked its nodes, its edges, its page info and its total count.
 */
export function connectionJson(options: {
  rows: string;
  orderBy?: string;
  first: string;
  node: string;
  nodes?: boolean;
  edges?: boolean;
  pageInfo?: boolean;
  totalCount?: boolean;
}): string {
  const { rows, node, orderBy = 'q.id' } = options;
  const first = `(${options.first})::int`;
  const onPage = `filter (where r.n <= ${first})`;
  const fields: string[] = [];
  if (options.totalCount) fields.push(`'totalCount', coalesce(max(r.total), 0)`);
  if (options.nodes ?? true) fields.push(`'nodes', coalesce(json_agg(${node} order by r.n) ${onPage}, '[]'::json)`);
  if (options.edges) {
    // An edge as the mix asks for it: its node (no query of examples/ asks an edge's cursor).
    fields.push(`'edges', coalesce(json_agg(json_build_object('node', ${node}) order by r.n) ${onPage}, '[]'::json)`);
  }
  if (options.pageInfo) {
    fields.push(`'pageInfo', json_build_object('hasNextPage', count(*) > ${first}, 'endCursor', ${cursor(`max(r.id) ${onPage}`)})`);
  }
  // One row past the page tells whether another page follows; the count, when asked, is taken over all rows before the limit.
  const total = options.totalCount ? ', count(*) over () as total' : '';
  return `(select json_build_object(${fields.join(', ')})
    from (select q.*, row_number() over (order by ${orderBy}) as n${total} from (${rows}) q order by ${orderBy} limit ${first} + 1) r)`;
}
