import { ApolloArmor } from '@escape.tech/graphql-armor';

/**
 * What one request may ask of the gateway. Each limit has a default that
 * every operation in examples/ fits well inside, and a setting.
 */
export interface OperationLimits {
  /** Deepest selection (GATEWAY_MAX_DEPTH). */
  maxDepth: number;
  /** Aliases in one document (GATEWAY_MAX_ALIASES). */
  maxAliases: number;
  /** Lexical tokens in one document (GATEWAY_MAX_TOKENS). */
  maxTokens: number;
  /** Directives in one document (GATEWAY_MAX_DIRECTIVES). */
  maxDirectives: number;
  /** GraphQL Armor's estimated cost (GATEWAY_MAX_COST). */
  maxCost: number;
  /** Request body, in bytes (GATEWAY_MAX_BODY_BYTES). */
  maxBodyBytes: number;
  /**
   * Schema introspection, and field suggestions in errors (GATEWAY_INTROSPECTION):
   * on unless NODE_ENV=production, where a schema should not be handed out.
   */
  introspection: boolean;
}

export const DEFAULT_LIMITS: OperationLimits = {
  maxDepth: 15,
  maxAliases: 30,
  maxTokens: 3_000,
  maxDirectives: 50,
  maxCost: 20_000,
  maxBodyBytes: 200_000,
  introspection: process.env.NODE_ENV !== 'production',
};

const SETTINGS: Record<Exclude<keyof OperationLimits, 'introspection'>, string> = {
  maxDepth: 'GATEWAY_MAX_DEPTH',
  maxAliases: 'GATEWAY_MAX_ALIASES',
  maxTokens: 'GATEWAY_MAX_TOKENS',
  maxDirectives: 'GATEWAY_MAX_DIRECTIVES',
  maxCost: 'GATEWAY_MAX_COST',
  maxBodyBytes: 'GATEWAY_MAX_BODY_BYTES',
};

export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): OperationLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const [key, name] of Object.entries(SETTINGS) as [keyof typeof SETTINGS, string][]) {
    const value = env[name];
    if (value === undefined) continue;
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number; got "${value}".`);
    limits[key] = n;
  }
  if (env.GATEWAY_INTROSPECTION !== undefined) limits.introspection = env.GATEWAY_INTROSPECTION === 'true';
  return limits;
}

/** GraphQL Armor's validation rules and plugins for these limits. */
export function armor(limits: OperationLimits) {
  return new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: limits.maxAliases },
    maxTokens: { n: limits.maxTokens },
    maxDirectives: { n: limits.maxDirectives },
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true, flattenFragments: true },
    // Suggestions ("Did you mean ...?") would hand out the schema that introspection keeps back.
    blockFieldSuggestion: { enabled: !limits.introspection },
  }).protect();
}
