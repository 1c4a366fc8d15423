import type { NonEmptyArray } from 'type-graphql';
import type { GraphQLResolverMap } from '@apollo/subgraph';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { AgencyDirectory, Viewer } from '@hub/server';
import type { RecordHistory } from './audit.js';
import type { DemoTableSpec } from './demo.js';
import type { OrmOptions } from './orm.js';
import type { Contact } from './schema.js';

/**
 * What every resolver of a subgraph receives: a request-scoped EntityManager
 * and loaders, and who is asking. The EntityManager, the loaders and the
 * history loader are made when first read (RequestContext).
 */
export interface SubgraphContext<Loaders = unknown> {
  em: EntityManager;
  loaders: Loaders;
  /** The id the gateway gave the client's request, for logs. */
  requestId: string;
  /** The subgraph's name: authorization rules name the subgraph an admin administers. */
  subgraph: string;
  /** The identity the gateway verified, or null for an anonymous request. */
  viewer: Viewer;
  /** Read by the `history` fields that historyResolver adds. */
  history: RecordHistory;
}

/**
 * Everything the toolkit needs to migrate, seed, print and serve a subgraph.
 * Each subgraph exports one of these and never listens on import.
 */
export interface SubgraphDefinition<Loaders = any> {
  /** Also the name of its PostgreSQL schema and of its SDL file under `schema/`. */
  name: string;
  contact: Contact;
  /** The port `npm start` gives it, and its routing URL in the committed supergraph. */
  defaultPort: number;
  /** The agencies users act for: the subgraph reads each user's token against it (the hub's is `AGENCIES`, from the domain). */
  agencies: AgencyDirectory;
  entities: Function[];
  migrations: OrmOptions['migrations'];
  resolvers: NonEmptyArray<Function>;
  orphanedTypes?: Function[];
  referenceResolvers?: GraphQLResolverMap<SubgraphContext<Loaders>>;
  createLoaders(em: EntityManager): Loaders;
  /** Writes the facts of the source document when the subgraph's tables are empty; returns rows written. */
  seedFacts(em: EntityManager): Promise<number>;
  /** Its tables of generated demo data, in writing order (see `npm run seed`). */
  demoTables?: readonly DemoTableSpec<any>[];
  /**
   * Work it does beside answering, from its start to its stop: the search
   * subgraph fills its index through the other owners' APIs and follows
   * their change feeds. Started once the subgraph serves, and awaited, so
   * whoever starts the hub finds it ready; stopped first.
   */
  background?(scope: BackgroundScope): Promise<Background>;
}

export interface BackgroundScope {
  orm: MikroORM;
  /** Where the hub's other subgraphs listen, by name, as whoever started this one knows them (may be empty). */
  subgraphUrls: Record<string, string>;
}

export interface Background {
  stop(): Promise<void>;
}
