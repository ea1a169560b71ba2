/**
 * What compiling one formula needs to know: its origin (what runtime errors
 * need) and the formula resolver. The metadata (names read, functions
 * called) is collected from the tree only when asked for (metadata.ts).
 */
import { CONSTANT_NAMES, type Node } from "../ast.ts";
import { errorAt, type FormulaErrorCode, Origin } from "../errors.ts";
import type { FormulaLimits } from "../limits.ts";
import type { CallableFormula, Value, Vars } from "../types.ts";

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
