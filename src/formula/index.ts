/**
 * The formula language: one small, safe, deterministic expression language
 * shared by the formula API and by every goal (orient, when, score, templates).
 *
 * Pure TypeScript with no platform imports, so it runs in a Worker, a browser
 * or a CLI alike. `compile` parses and compiles a formula once; the result's
 * `evaluate` and `evaluateColumns` run it many times. Every failure is a
 * `FormulaError` with a stable code.
 *
 * Inside: parse/ (lexer → parser → the syntax tree of ast.ts, within the
 * limits) → compile/ (the tree to closures: structure, operators, data reads,
 * calls) → compile.ts (the compiled formula: evaluate, with columns.ts for
 * batches) → functions/ (the library) and fast/ (numeric fast paths that
 * defer to the closures whenever they cannot vouch for the exact result).
 * Every error is built in errors.ts; the work budget is budget.ts. The
 * README's Layout section lists every file.
 */
export {
  ARRAY_CALL_COST,
  Budget,
  CALL_COST,
  charge,
  DEFAULT_EVALUATION_BUDGET,
  EVALUATION_COST,
  type Scoped,
  scoped,
} from "./budget.ts";
export { compile } from "./compile.ts";
export {
  FormulaError,
  type FormulaErrorCode,
  type FormulaErrorJSON,
  type Position,
} from "./errors.ts";
export { FUNCTION_NAMES } from "./functions/library.ts";
export { DEFAULT_LIMITS, type FormulaLimits } from "./limits.ts";
export { referencedFormulas } from "./metadata.ts";
export type {
  CallableFormula,
  CompiledFormula,
  CompileOptions,
  EvaluateOptions,
  ParamSpec,
  Value,
  Vars,
} from "./types.ts";
