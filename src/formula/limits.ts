/**
 * Size limits. They bound compile time (source length, nesting depth, node
 * count) and evaluation time and memory (array length), so that a formula's
 * cost is at most proportional to its size times the size of its data.
 */

/** The limits a formula is compiled and evaluated under. */
export interface FormulaLimits {
  /** Longest accepted source, in UTF-16 units. */
  maxSourceLength: number;
  /**
   * Deepest syntax tree (parentheses and brackets count as a level too), and
   * deepest nesting of arrays in inputs. Capped at MAX_DEPTH_CEILING whatever
   * the caller asks, so that parsing and evaluating never risk the stack.
   */
  maxDepth: number;
  /** Most syntax-tree nodes. */
  maxNodes: number;
  /**
   * Most elements in an array: literals, arrays read from vars (counting nested
   * elements) and arrays built while evaluating. Also bounds the length of a
   * string built by `+` or `concat`, so no value can grow without bound.
   */
  maxArrayLength: number;
}

/** The limits used when a caller does not choose its own. */
export const DEFAULT_LIMITS: FormulaLimits = Object.freeze({
  maxSourceLength: 4096,
  maxDepth: 64,
  maxNodes: 2000,
  maxArrayLength: 100_000,
});

/** The most nesting any formula may have, whatever its limits say (see maxDepth). */
export const MAX_DEPTH_CEILING = 256;

/** The defaults overridden by the caller's choices (undefined entries are ignored). */
export function resolveLimits(limits: Partial<FormulaLimits> | undefined): FormulaLimits {
  if (limits === undefined) return DEFAULT_LIMITS;
  return {
    maxSourceLength: limits.maxSourceLength ?? DEFAULT_LIMITS.maxSourceLength,
    maxDepth: Math.min(limits.maxDepth ?? DEFAULT_LIMITS.maxDepth, MAX_DEPTH_CEILING),
    maxNodes: limits.maxNodes ?? DEFAULT_LIMITS.maxNodes,
    maxArrayLength: limits.maxArrayLength ?? DEFAULT_LIMITS.maxArrayLength,
  };
}
