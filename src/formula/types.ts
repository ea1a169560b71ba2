/**
 * The public shapes of the formula language: values, inputs, parameters and
 * the compiled formula that other parts of the service call.
 */
import type { FormulaLimits } from "./limits.ts";

/** What a formula computes: JSON-safe by construction (finite numbers only). */
export type Value = number | boolean | string | null | readonly Value[];

/**
 * The inputs of one evaluation, JSON-like. Only own properties are read; nested
 * plain objects are readable only through dotted paths (`obs.order.qty`).
 */
export type Vars = Readonly<Record<string, unknown>>;

/** A declared input: its name, an optional default and optional numeric bounds. */
export interface ParamSpec {
  name: string;
  default?: Value;
  min?: number;
  max?: number;
}

/** A registered formula that another formula can call as fn.NAME(args). */
export interface CallableFormula {
  readonly params: readonly ParamSpec[];
  readonly formula: CompiledFormula;
}

/** How to compile a formula. */
export interface CompileOptions {
  /**
   * Declared inputs. When given: any name read that is not declared (and not
   * a constant pi/e) is FORMULA_UNKNOWN_NAME at compile time, with position and
   * a did-you-mean hint; and evaluate() applies defaults for missing inputs,
   * fails FORMULA_MISSING_PARAM (details.param) for a missing input without
   * default, FORMULA_PARAM_RANGE (details.param) for a number outside
   * [min,max] or a non-number input to a bounded param.
   */
  params?: readonly (string | ParamSpec)[];
  /**
   * Resolves fn.NAME at compile time; undefined → FORMULA_UNKNOWN_FUNCTION with
   * position. Args map positionally to the callee's params; too many args, or
   * fewer than its params without defaults → FORMULA_ARITY at compile time.
   * The callee's own param checks apply at call time.
   */
  formulas?: (name: string) => CallableFormula | undefined;
  limits?: Partial<FormulaLimits>;
}

/** How to evaluate. */
export interface EvaluateOptions {
  /**
   * "null": if the evaluation hits FORMULA_NON_FINITE anywhere, the whole
   * result is null instead of the error (per row for evaluateColumns).
   */
  nonFinite?: "error" | "null";
}

/** A formula parsed and compiled once, to be evaluated many times. */
export interface CompiledFormula {
  readonly source: string;
  readonly params?: readonly ParamSpec[];
  /** Root variable names read, sorted unique (for `obs.order.qty` → "obs"); excludes constants and `fn`. */
  readonly names: readonly string[];
  /** Full dotted paths read as written, sorted unique ("obs.order.qty"); a path stops at its first index. */
  readonly paths: readonly string[];
  /** Built-in functions called, sorted unique. */
  readonly functions: readonly string[];
  /** fn.NAME references, sorted unique. */
  readonly formulas: readonly string[];
  /** Syntax nodes: the work units one evaluation is charged before any array work (see budget.ts). */
  readonly nodes: number;
  /**
   * The most work units an evaluation can spend on nodes: its own and its
   * evaluation's cost, plus the weight of each formula it calls through fn.
   * and the call's own cost, once per call written. Known
   * at compile time, so a formula whose calls fan out beyond a budget can be
   * refused before it ever runs; array work comes on top, by the data.
   */
  readonly weight: number;
  /** Evaluates over one set of inputs. Throws FormulaError. */
  evaluate(vars: Vars, options?: EvaluateOptions): Value;
  /**
   * Columnar batch: each column an array; row i reads columns[name][i]. All
   * columns must have equal length (else FORMULA_TYPE). Returns one value per
   * row. A failing row throws its error with `details.row`.
   */
  evaluateColumns(
    columns: Readonly<Record<string, ArrayLike<unknown>>>,
    options?: EvaluateOptions,
  ): Value[];
}
