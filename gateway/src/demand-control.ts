import type { ApolloServerPlugin } from '@apollo/server';
import { valueFromASTUntyped, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { actualCost, estimateCost, PriceList, tooExpensive, type CostReport, type PricedOperation } from './cost.js';
import type { OperationLimits } from './limits.js';
import type { GatewayMetrics } from './metrics.js';

/** A client that sends this header (any value but "false") gets the estimated and actual cost in `extensions.cost`. */
export const COST_HEADER = 'x-hub-cost';

export interface CostExtension {
  estimated: number;
  actual: number;
  max: number;
  bySubgraph: Record<string, number>;
}

/**
 * The operation's variables as given, and the defaults its definitions declare
 * for the rest. Values of the wrong type are refused by validation before
 * execution; the pricing reads only numbers and booleans from them.
 */
function variablesOf(operation: OperationDefinitionNode, given: Record<string, unknown>): Record<string, unknown> {
  const variables: Record<string, unknown> = { ...given };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (variables[name] === undefined && definition.defaultValue) variables[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return variables;
}

/**
 * Prices every operation before any subgraph is called and refuses what is
 * over the budget, in all or for one subgraph; after execution, measures the
 * actual cost from the answer. Both go to /metrics; a client that asks
 * (COST_HEADER) gets both in `extensions.cost`.
 */
export class DemandControl {
  private prices: PriceList | undefined;

  constructor(
    private readonly limits: Pick<OperationLimits, 'maxCost' | 'subgraphMaxCost'>,
    private readonly metrics: GatewayMetrics,
  ) {}

  /** Reads the prices of the supergraph being served; called on every supergraph switch. */
  useSupergraph(sdl: string): void {
    this.prices = PriceList.fromSupergraph(sdl);
  }

  private subgraphMax(name: string): number {
    return this.limits.subgraphMaxCost.bySubgraph?.[name] ?? this.limits.subgraphMaxCost.default ?? this.limits.maxCost;
  }

  /** The budget an estimate is over: the whole operation's first, then each subgraph's own; none when it fits. */
  private overBudget(report: CostReport): { subgraph?: { name: string; max: number } } | undefined {
    if (report.total > this.limits.maxCost) return {};
    for (const [name, cost] of Object.entries(report.bySubgraph)) {
      const max = this.subgraphMax(name);
      if (cost > max) return { subgraph: { name, max } };
    }
    return undefined;
  }

  /** Prices an operation before it runs, and refuses it when it is over a budget. */
  private estimate(prices: PriceList, priced: PricedOperation): CostReport {
    const estimate = estimateCost(prices, priced);
    this.metrics.operationCost('estimated', estimate.total);
    const over = this.overBudget(estimate);
    // Only a refusal needs to say where to trim: the paths are walked for it alone.
    if (over) throw tooExpensive(estimateCost(prices, priced, { costliest: true }), this.limits.maxCost, over.subgraph);
    return estimate;
  }

  /**
   * The same check for an operation that Apollo does not run (a subscription,
   * priced once when it starts), with the prices being served: throws the
   * refusal when it is over a budget.
   */
  check(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): void {
    if (this.prices) this.estimate(this.prices, { schema, document, operation, variables: variablesOf(operation, variables) });
  }

  plugin(): ApolloServerPlugin {
    return {
      requestDidStart: async ({ request }) => {
        let priced: PricedOperation | undefined;
        let estimate: CostReport | undefined;
        const prices = this.prices;
        return {
          didResolveOperation: async ({ schema, document, operation }) => {
            if (!prices || !operation) return;
            priced = { schema, document, operation, variables: variablesOf(operation, request.variables ?? {}) };
            estimate = this.estimate(prices, priced);
          },
          willSendResponse: async ({ response }) => {
            if (!prices || !priced || !estimate || response.body.kind !== 'single') return;
            const result = response.body.singleResult;
            const actual = actualCost(prices, priced, result.data);
            if (Number.isFinite(actual)) this.metrics.operationCost('actual', actual);
            const asked = request.http?.headers.get(COST_HEADER);
            if (asked !== undefined && asked !== 'false') {
              const cost: CostExtension = { estimated: estimate.total, actual, max: this.limits.maxCost, bySubgraph: estimate.bySubgraph };
              result.extensions = { ...result.extensions, cost };
            }
          },
        };
      },
    };
  }
}
