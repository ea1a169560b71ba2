/**
 * compile(): parse once, compile to closures once, and return the formula
 * with its metadata. Evaluation runs the closures (the general path, which
 * defines the semantics and every error) except where a faster path can vouch
 * for giving exactly the same result: from the second evaluation on, purely
 * numeric formulas over number inputs run on unboxed registers, and batches
 * of them column-wise (see fast/). A fast path that meets anything it cannot
 * vouch for (a non-number input, a non-finite intermediate) hands the whole
 * evaluation back to the general path, so errors are always the general
 * path's, with its positions and messages.
 */
import type { Node } from "./ast.ts";
import { DEFAULT_EVALUATION_BUDGET, EVALUATION_COST, exhausted, meter } from "./budget.ts";
import { evaluateColumns } from "./columns.ts";
import { CompileContext, type Evaluator } from "./compile/context.ts";
import { compileNode } from "./compile/nodes.ts";
import { FormulaError } from "./errors.ts";
import { type FastPath, planFastPath } from "./fast/fast-path.ts";
import { resolveLimits } from "./limits.ts";
import { collectMetadata, type Metadata } from "./metadata.ts";
import { bindParams, normalizeParams } from "./params.ts";
import { parse, parsedNodes } from "./parse/parser.ts";
import type {
  CompiledFormula,
  CompileOptions,
  EvaluateOptions,
  ParamSpec,
  Value,
  Vars,
} from "./types.ts";

/**
 * Compiles a formula. Throws FormulaError (with a position for every error in
 * the source) for syntax errors, unknown functions and formulas, wrong arity,
 * undeclared names when `params` is given, and exceeded limits.
 */
export function compile(source: string, options?: CompileOptions): CompiledFormula {
  if (typeof source !== "string")
    throw new FormulaError("FORMULA_SYNTAX", "a formula must be a string");
  const opts = options === undefined ? NO_OPTIONS : options;
  const limits = resolveLimits(opts.limits);
  const params = opts.params === undefined ? undefined : normalizeParams(opts.params);
  const ast = parse(source, limits);
  const nodes = parsedNodes();
  const declared = params === undefined ? undefined : new Set(params.map((p) => p.name));
  const ctx = new CompileContext(source, limits, declared, opts.formulas);
  const root = compileNode(ast, ctx);
  return new Formula(source, params, root, ast, nodes, nodes + EVALUATION_COST + ctx.calledWeight);
}

/** The options of a call without any: shared, where a default `= {}` would allocate one per call. */
const NO_OPTIONS: CompileOptions = Object.freeze({});

type Quick = (this: Formula, vars: Vars) => number | boolean | undefined;

const noFastPath: Quick = () => undefined;

/** The first evaluation runs on the general path only: a one-off evaluation never plans the fast path. */
const firstEvaluation: Quick = function (this: Formula) {
  this.quick = secondEvaluation;
  return undefined;
};

/** The second evaluation plans the fast path and installs it for all later ones. */
const secondEvaluation: Quick = function (this: Formula, vars: Vars) {
  const fast = this.fastPath(vars);
  this.quick = fast === null ? noFastPath : fast.evaluate;
  return this.quick(vars);
};

/** A compiled formula. Immutable after construction apart from its lazily built fast path. */
class Formula implements CompiledFormula {
  readonly source: string;
  readonly params?: readonly ParamSpec[];
  readonly nodes: number;
  readonly weight: number;
  private readonly root: Evaluator;
  private readonly ast: Node;
  /** Collected from the tree when first asked for: evaluation does not need it. */
  private metadata: Metadata | undefined;
  /** undefined: not planned yet; null: this formula has no fast path. */
  private fast: FastPath | null | undefined;
  /**
   * The fast path's evaluate, or a stand-in returning undefined ("use the
   * general path"). The first evaluation does not plan the fast path, so a
   * one-off evaluation never pays for it; the second one plans it.
   */
  quick: Quick = firstEvaluation;

  constructor(
    source: string,
    params: readonly ParamSpec[] | undefined,
    root: Evaluator,
    ast: Node,
    nodes: number,
    weight: number,
  ) {
    this.source = source;
    if (params !== undefined) this.params = params;
    this.root = root;
    this.ast = ast;
    this.nodes = nodes;
    this.weight = weight;
  }

  get names(): readonly string[] {
    this.metadata ??= collectMetadata(this.ast);
    return this.metadata.names;
  }

  get paths(): readonly string[] {
    this.metadata ??= collectMetadata(this.ast);
    return this.metadata.paths;
  }

  get functions(): readonly string[] {
    this.metadata ??= collectMetadata(this.ast);
    return this.metadata.functions;
  }

  get formulas(): readonly string[] {
    this.metadata ??= collectMetadata(this.ast);
    return this.metadata.formulas;
  }

  /**
   * The fast path, planned on first need (a one-off evaluation never pays for
   * it), with its inputs in the key order of `sample` when one is given.
   */
  fastPath(sample?: Vars): FastPath | null {
    if (this.fast === undefined)
      this.fast = planFastPath(this.ast, this.names, this.params, sample) ?? null;
    return this.fast;
  }

  /** Evaluates with the general closures: the reference semantics, errors included. */
  evaluateGeneral(vars: Vars): Value {
    if (typeof vars !== "object" || vars === null) {
      throw new FormulaError("FORMULA_TYPE", "the inputs (vars) must be an object");
    }
    return this.root(this.params === undefined ? vars : bindParams(vars, this.params));
  }

  evaluate(vars: Vars, options?: EvaluateOptions): Value {
    const cost = this.nodes + EVALUATION_COST;
    if (meter.open) {
      meter.left -= cost;
      if (meter.left < 0) throw exhausted();
      return this.evaluateCharged(vars, options);
    }
    // Outside any budget (see budget.ts), one evaluation has one of its own.
    meter.open = true;
    meter.size = DEFAULT_EVALUATION_BUDGET;
    meter.left = DEFAULT_EVALUATION_BUDGET - cost;
    try {
      if (meter.left < 0) throw exhausted();
      return this.evaluateCharged(vars, options);
    } finally {
      meter.open = false;
      meter.left = Number.POSITIVE_INFINITY;
    }
  }

  /** `evaluate` once its own cost is charged. */
  private evaluateCharged(vars: Vars, options: EvaluateOptions | undefined): Value {
    // The fast path never throws a FormulaError: it returns undefined instead.
    const result = this.quick(vars);
    if (result !== undefined) return result;
    if (options?.nonFinite !== "null") return this.evaluateGeneral(vars);
    try {
      return this.evaluateGeneral(vars);
    } catch (error) {
      if (error instanceof FormulaError && error.code === "FORMULA_NON_FINITE") return null;
      throw error;
    }
  }

  evaluateColumns(
    columns: Readonly<Record<string, ArrayLike<unknown>>>,
    options?: EvaluateOptions,
  ): Value[] {
    return evaluateColumns(this, columns, options);
  }
}
