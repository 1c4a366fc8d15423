import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Viewer } from '@hub/server';
import { AuditEntry, type RecordHistory } from './audit.js';
import { groupedConnection } from './paging.js';
import { limitRows } from './row-budget.js';
import type { SubgraphContext, SubgraphDefinition } from './subgraph.js';

/** What every request of one subgraph shares: made once, when the subgraph starts. */
export interface SubgraphScope<Loaders> {
  orm: MikroORM;
  definition: Pick<SubgraphDefinition<Loaders>, 'name' | 'createLoaders'>;
  /** The row budget each request's EntityManager gets. */
  maxRows: number;
}

/**
 * One request's context. Its EntityManager (a fork, with the request's row
 * budget), its loaders and its history loader are made when a resolver first
 * reads them, so a request that needs none of them (`_service`, an
 * introspection) makes none, and the history loader, which few requests read,
 * is made only for those.
 *
 * The memo fields are plain properties, not `#private` ones: Apollo Server
 * hands resolvers a copy of each context (`Object.assign` onto the same
 * prototype), and a copy has no private slots.
 */
export class RequestContext<Loaders> implements SubgraphContext<Loaders> {
  private forked: EntityManager | undefined = undefined;
  private madeLoaders: Loaders | undefined = undefined;
  private madeHistory: RecordHistory | undefined = undefined;

  constructor(
    private readonly scope: SubgraphScope<Loaders>,
    readonly requestId: string,
    readonly viewer: Viewer,
  ) {}

  get subgraph(): string {
    return this.scope.definition.name;
  }

  get em(): EntityManager {
    if (!this.forked) {
      this.forked = this.scope.orm.em.fork();
      limitRows(this.forked, this.scope.maxRows);
    }
    return this.forked;
  }

  get loaders(): Loaders {
    return (this.madeLoaders ??= this.scope.definition.createLoaders(this.em));
  }

  get history(): RecordHistory {
    return (this.madeHistory ??= groupedConnection(this.em, AuditEntry, { keyColumn: 'record_id' }));
  }
}
