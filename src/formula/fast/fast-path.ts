/**
 * The numeric fast path of a formula: one row on unboxed registers, many rows
 * column-wise. It returns `undefined` whenever it cannot vouch for the exact
 * result — an input that is not a finite number, a non-finite intermediate —
 * and the caller then runs the general path, so semantics and error messages
 * never depend on which path ran.
 */
import type { Node } from "../ast.ts";
import type { ParamSpec, Vars } from "../types.ts";
import { createLoader, type Loader } from "./loader.ts";
import { type NumericPlan, planNumeric } from "./numeric-plan.ts";
import { BAIL, compileBoolean, compileNumber } from "./scalar.ts";

/** A formula's fast path. */
export interface FastPath {
  /** Input names in register order: the names read, or all declared parameters. */
  readonly inputs: readonly string[];
  readonly mins: Float64Array;
  readonly maxs: Float64Array;
  readonly plan: NumericPlan;
  /** The result for one row, or undefined to use the general path. */
  evaluate(vars: Vars): number | boolean | undefined;
}

/** Plans the fast path of a formula; undefined when it is not purely numeric. */
export function planFastPath(
  ast: Node,
  names: readonly string[],
  params: readonly ParamSpec[] | undefined,
  sample?: Vars,
): FastPath | undefined {
  // With declared parameters every one is an input (all are bound and checked on each evaluation).
  const inputs = params === undefined ? inKeyOrder(names, sample) : params.map((p) => p.name);
  const slots = new Map(inputs.map((name, slot) => [name, slot]));
  const plan = planNumeric(ast, slots);
  if (plan === undefined) return undefined;
  const mins = new Float64Array(inputs.length).fill(Number.NEGATIVE_INFINITY);
  const maxs = new Float64Array(inputs.length).fill(Number.POSITIVE_INFINITY);
  params?.forEach((p, slot) => {
    if (p.min !== undefined) mins[slot] = p.min;
    if (p.max !== undefined) maxs[slot] = p.max;
  });
  const bounded = params?.some((p) => p.min !== undefined || p.max !== undefined) ?? false;
  const load = createLoader(inputs, bounded ? { mins, maxs } : undefined);
  const run = plan.type === "number" ? compileNumber(plan.root) : compileBoolean(plan.root);
  return { inputs, mins, maxs, plan, evaluate: scalarEvaluator(load, run, inputs.length) };
}

/**
 * The names in the order their keys come in `sample` (the inputs of the
 * evaluation that plans the fast path), the rest after them: inputs of that
 * shape then load key i into register i (see loader.ts).
 */
function inKeyOrder(names: readonly string[], sample: Vars | undefined): readonly string[] {
  if (sample === undefined || typeof sample !== "object" || sample === null) return names;
  const wanted = new Set(names);
  const ordered: string[] = [];
  for (const key of Object.keys(sample)) if (wanted.delete(key)) ordered.push(key);
  return ordered.length === 0 ? names : [...ordered, ...wanted];
}

/**
 * Counts fast-path evaluations. A getter in vars could re-enter evaluate()
 * while registers are half loaded; the inner call bumps the count, and the
 * outer one, seeing it moved, lets the general path redo its work.
 */
let generation = 0;

function scalarEvaluator(load: Loader, run: (r: Float64Array) => number | boolean, size: number) {
  const registers = new Float64Array(size);
  return (vars: Vars): number | boolean | undefined => {
    const current = ++generation;
    if (!load(vars, registers) || generation !== current) return undefined;
    try {
      return run(registers);
    } catch (error) {
      if (error === BAIL) return undefined;
      throw error;
    }
  };
}
