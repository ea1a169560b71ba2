/**
 * What every compiler in this folder shares. The context of one compilation:
 * its origin (what runtime errors need) and the formula resolver; the
 * metadata (names read, functions called) is collected from the tree only
 * when asked for (metadata.ts). And the evaluators built alike everywhere:
 * constants, and conditions, which must be booleans.
 */
import { CONSTANT_NAMES, type Node } from "../ast.ts";
import { errorAt, type FormulaErrorCode, Origin } from "../errors.ts";
import type { FormulaLimits } from "../limits.ts";
import type { CallableFormula, Value, Vars } from "../types.ts";
import { typeName } from "../values.ts";

/** A compiled node: evaluates it over one set of inputs. */
export type Evaluator = (vars: Vars) => Value;

/** State of one compilation. */
export class CompileContext {
  /** Shared by every closure of the formula; kept small on purpose (no resolver, no metadata). */
  readonly origin: Origin;
  readonly resolve: ((name: string) => CallableFormula | undefined) | undefined;
  /** The summed weights of the formulas this one calls through fn., one per call written. */
  calledWeight = 0;

  constructor(
    source: string,
    limits: FormulaLimits,
    declared: ReadonlySet<string> | undefined,
    resolve: ((name: string) => CallableFormula | undefined) | undefined,
  ) {
    this.origin = new Origin(source, limits, declared);
    this.resolve = resolve;
  }

  get source(): string {
    return this.origin.source;
  }

  get limits(): FormulaLimits {
    return this.origin.limits;
  }

  get declared(): ReadonlySet<string> | undefined {
    return this.origin.declared;
  }

  /** Names offered in did-you-mean hints at compile time: parameters and constants. */
  get known(): readonly string[] {
    return [...(this.declared ?? []), ...CONSTANT_NAMES];
  }

  /** The source text of a node. */
  text(node: Node): string {
    return this.origin.source.slice(node.start, node.end);
  }

  /** A compile-time error at `offset`. */
  error(
    code: FormulaErrorCode,
    offset: number,
    message: string,
    hint?: string,
    details?: Readonly<Record<string, unknown>>,
  ) {
    return errorAt(code, this.origin.source, offset, message, hint, details);
  }
}

const ZERO: Evaluator = () => 0;
const ONE: Evaluator = () => 1;
const TRUE: Evaluator = () => true;
const FALSE: Evaluator = () => false;
const NULL: Evaluator = () => null;

/** A constant evaluator, for literals; the commonest values share one, allocated once. */
export function constant(value: Value): Evaluator {
  // Object.is, not ===: -0 must keep an evaluator of its own.
  if (Object.is(value, 0)) return ZERO;
  if (value === 1) return ONE;
  if (value === true) return TRUE;
  if (value === false) return FALSE;
  if (value === null) return NULL;
  return () => value;
}

/*
 * Conditions: the operands of `and`, `or`, `not` and the test of `? :` and
 * if() must be booleans; nothing is truthy or falsy by coercion.
 */

/** `value` if it is a boolean, or FORMULA_TYPE naming what needed one. */
export function requireBoolean(value: Value, origin: Origin, node: Node, what: string): boolean {
  if (typeof value === "boolean") return value;
  const site = origin.site(node);
  const hint =
    value === null ? `\`${site.text}\` is null; use coalesce(${site.text}, false)` : undefined;
  throw site.error(
    "FORMULA_TYPE",
    `${what} needs a boolean, but \`${site.text}\` is ${typeName(value)}`,
    hint,
  );
}

/** `test ? consequent : alternate`, evaluating only the branch taken (also if()). */
export function conditional(
  test: Evaluator,
  consequent: Evaluator,
  alternate: Evaluator,
  origin: Origin,
  testNode: Node,
  what: string,
): Evaluator {
  return (vars: Vars) => {
    const value = test(vars);
    if (value === true) return consequent(vars);
    if (value === false) return alternate(vars);
    return requireBoolean(value, origin, testNode, what);
  };
}
