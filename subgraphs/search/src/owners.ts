import type { EntryFields } from './entries.js';

/**
 * What the index reads from each owner, through the owner's own public API
 * (the queries its subgraph serves to anyone, anonymous): the types an
 * analyst looks for by name, each with its owner, the list that pages
 * through all of them, and the query that reads one again by its key.
 */

/** A record as the owners' APIs give it to the index. */
interface OwnerRecord {
  id: string;
  version: number;
  demo: boolean;
  archivedAt: string | null;
}

interface ActorRecord extends OwnerRecord {
  name: string;
  nameEn: string | null;
  province: { code: string } | null;
}

interface InitiativeRecord extends OwnerRecord {
  title: string;
  titleEn: string | null;
  provinces: ({ code: string } | null)[];
}

interface ProvinceRecord extends OwnerRecord {
  nameTh: string;
  nameEn: string;
}

export interface IndexedType {
  /** Its GraphQL type, a member of the SearchResult union. */
  typeName: string;
  /** The subgraph that owns it. */
  subgraph: string;
  /**
   * The owner's list of them: a connection read a page at a time (`$first`,
   * `$after`) as `page { pageInfo nodes }`, or, unpaged, the whole list as
   * `nodes`.
   */
  listQuery: string;
  paged: boolean;
  /** How many the owner lists, as `page { totalCount }`, or, unpaged, as the length of `nodes`. */
  countQuery: string;
  /** One of them by key (`$id`), as `record`: null when the owner has no such record. */
  oneQuery: string;
  /** The entry the index keeps for a record the queries return. */
  entry(record: never): EntryFields;
}

/** Every list the index reads is read this many at a time: the largest page the owners give. */
export const OWNER_PAGE_SIZE = 500;

const PAGE_INFO = 'pageInfo { hasNextPage endCursor }';
const COMMON_FIELDS = 'version demo archivedAt';

/** What every entry takes from its record the same way. */
function commonFields(record: OwnerRecord): Pick<EntryFields, 'id' | 'version' | 'demo' | 'archivedAt'> {
  return { id: record.id, version: record.version, demo: record.demo, archivedAt: record.archivedAt ? new Date(record.archivedAt) : null };
}

/** The queries of a type its owner lists as a connection (`list`) and gives one by id (`one`), asking `fields` of each. */
function pagedQueries(list: string, one: string, fields: string): Pick<IndexedType, 'paged' | 'listQuery' | 'countQuery' | 'oneQuery'> {
  return {
    paged: true,
    listQuery: `query SearchIndexPage($first: Int!, $after: String) { page: ${list}(first: $first, after: $after) { ${PAGE_INFO} nodes { ${fields} } } }`,
    countQuery: `query SearchIndexCount { page: ${list}(first: 1) { totalCount } }`,
    oneQuery: `query SearchIndexRecord($id: ID!) { record: ${one}(id: $id) { ${fields} } }`,
  };
}

/** An actor type: the three are listed, read and named alike (the `Actor` fields). */
function actorType(typeName: string, subgraph: string, one: string, list: string): IndexedType {
  return {
    typeName,
    subgraph,
    ...pagedQueries(list, one, `id name nameEn ${COMMON_FIELDS} province { code }`),
    entry: (record: ActorRecord) => ({
      ...commonFields(record),
      subgraph,
      typeName,
      name: record.name,
      nameEn: record.nameEn,
      provinceCodes: record.province ? [record.province.code] : [],
    }),
  };
}

const PROVINCE_FIELDS = `id nameTh nameEn ${COMMON_FIELDS}`;

export const INDEXED_TYPES: readonly IndexedType[] = [
  actorType('PeopleOrganization', 'people', 'peopleOrganization', 'peopleOrganizations'),
  actorType('GovernmentCentre', 'government', 'governmentCentre', 'governmentCentres'),
  actorType('PrivatePartner', 'partners', 'privatePartner', 'privatePartners'),
  {
    typeName: 'Initiative',
    subgraph: 'initiatives',
    ...pagedQueries('initiatives', 'initiative', `id title titleEn ${COMMON_FIELDS} provinces { code }`),
    entry: (record: InitiativeRecord) => ({
      ...commonFields(record),
      subgraph: 'initiatives',
      typeName: 'Initiative',
      name: record.title,
      nameEn: record.titleEn,
      provinceCodes: record.provinces.flatMap((province) => (province ? [province.code] : [])),
    }),
  },
  {
    // All 77 in one list; a province's id is its code.
    typeName: 'Province',
    subgraph: 'government',
    paged: false,
    listQuery: `query SearchIndexList { nodes: provinces { ${PROVINCE_FIELDS} } }`,
    countQuery: `query SearchIndexCount { nodes: provinces { id } }`,
    oneQuery: `query SearchIndexRecord($id: ID!) { record: province(code: $id) { ${PROVINCE_FIELDS} } }`,
    entry: (record: ProvinceRecord) => ({
      ...commonFields(record),
      subgraph: 'government',
      typeName: 'Province',
      name: record.nameTh,
      nameEn: record.nameEn,
      provinceCodes: [record.id],
    }),
  },
];
