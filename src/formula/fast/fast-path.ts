/**
 * The numeric fast path of a formula: one row on unboxed registers, many rows
 * column-wise. It returns `undefined` whenever it cannot vouch for the exact
 * result — an input that is not a finite number, a non-finite intermediate —
 * and the caller then runs the general path, so semantics and error messages
 * never depend on which path ran. This file plans it and loads its inputs
 * into registers; the plan's IR is in numeric-plan.ts, its one-row closures
 * in scalar.ts and its column-wise loops in vector.ts.
 */
import type { Node } from "../ast.ts";
import type { ParamSpec, Vars } from "../types.ts";
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
 * shape then load key i into register i (see createLoader).
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

/*
 * Loads a formula's inputs into its register file, if they are all own,
 * finite numbers within their parameters' bounds (else the caller falls back
 * to the general path, which reports exactly what is wrong).
 *
 * Why for-in: reading `vars[name]` with a different name at one call site is a
 * megamorphic keyed load in V8 (several ns each), while for-in walks the
 * object's cached key list and reads each field by index, and V8 folds the
 * `hasOwnProperty` check on the key being enumerated into a map check. Which
 * register each key goes to is remembered by position, so inputs of one shape
 * (the common case) cost one string comparison per key; learning a new shape
 * happens out of line, which keeps the hot loop small. On inputs with many
 * more keys than the formula reads, reading by name wins, so the loop
 * switches to that past a small budget.
 */

/** Fills registers from vars; false if any input is missing or not an acceptable number. */
type Loader = (vars: Vars, registers: Float64Array) => boolean;

/** A loader for `names` (slot i holds names[i]); bounds per slot when some parameter has them. */
function createLoader(
  names: readonly string[],
  bounds?: { mins: Float64Array; maxs: Float64Array },
): Loader {
  const count = names.length;
  const budget = 4 * count + 16;
  // The key seen at each position of the last shape learned, and its slot (-1: not an input).
  const keys: string[] = new Array<string>(budget).fill("");
  // Invariant: slots[i] is names.indexOf(keys[i]) at every position, so a stale entry is harmless.
  const slots = new Int32Array(budget).fill(names.indexOf(""));
  const mins = bounds?.mins ?? new Float64Array(count).fill(Number.NEGATIVE_INFINITY);
  const maxs = bounds?.maxs ?? new Float64Array(count).fill(Number.POSITIVE_INFINITY);

  const byName: Loader = (vars, registers) => {
    for (let slot = 0; slot < count; slot++) {
      const name = names[slot] as string;
      if (!Object.hasOwn(vars, name)) return false;
      const x = vars[name];
      if (typeof x !== "number" || !(x >= (mins[slot] as number) && x <= (maxs[slot] as number)))
        return false;
      if (x - x !== 0) return false;
      registers[slot] = x;
    }
    return true;
  };

  /** A key order not seen before: remember it (up to the budget), then load by name. */
  const learn: Loader = (vars, registers) => {
    let seen = 0;
    for (const key in vars) {
      if (seen === budget) break;
      keys[seen] = key;
      slots[seen++] = names.indexOf(key);
    }
    return byName(vars, registers);
  };

  if (count === 0) {
    // Nothing to load, but the inputs must still be an object, as the general path requires.
    return (vars) => typeof vars === "object" && vars !== null;
  }
  if (bounds !== undefined) {
    return (vars, registers) => {
      let found = 0;
      let seen = 0;
      for (const key in vars) {
        if (keys[seen] !== key)
          return seen < budget ? learn(vars, registers) : byName(vars, registers);
        const slot = slots[seen++] as number;
        // biome-ignore lint/suspicious/noPrototypeBuiltins: V8 optimizes exactly this form inside for-in.
        if (slot < 0 || !Object.prototype.hasOwnProperty.call(vars, key)) continue;
        const x = vars[key];
        if (
          typeof x !== "number" ||
          !(x >= (mins[slot] as number) && x <= (maxs[slot] as number)) ||
          x - x !== 0
        ) {
          return false;
        }
        registers[slot] = x;
        if (++found === count) return true;
      }
      return false;
    };
  }
  // The same loop without bounds, kept separate so the common case pays nothing for them.
  const bySlot: Loader = (vars, registers) => {
    let found = 0;
    let seen = 0;
    for (const key in vars) {
      // Inputs of one shape give the same keys in the same order: one comparison per key.
      if (keys[seen] !== key)
        return seen < budget ? learn(vars, registers) : byName(vars, registers);
      const slot = slots[seen++] as number;
      // Spelled out (not Object.hasOwn) because this exact form is what V8 optimizes inside for-in.
      // biome-ignore lint/suspicious/noPrototypeBuiltins: see the comment above.
      if (slot < 0 || !Object.prototype.hasOwnProperty.call(vars, key)) continue;
      const x = vars[key];
      if (typeof x !== "number" || x - x !== 0) return false;
      registers[slot] = x;
      // Every input is loaded: the remaining keys cannot matter.
      if (++found === count) return true;
    }
    return false;
  };
  // The commonest inputs of all hold exactly the formula's names, in slot order (the fast path
  // orders its slots like the inputs it first sees): key i then goes to register i, with no
  // lookup at all. Inputs of any other shape take the loop above; after a few of them, for good.
  let misses = 0;
  return (vars, registers) => {
    if (misses === EXACT_MISSES) return bySlot(vars, registers);
    let seen = 0;
    for (const key in vars) {
      if (seen === count || names[seen] !== key) {
        misses++;
        return bySlot(vars, registers);
      }
      // biome-ignore lint/suspicious/noPrototypeBuiltins: see the comment above.
      if (!Object.prototype.hasOwnProperty.call(vars, key)) return false;
      const x = vars[key];
      if (typeof x !== "number" || x - x !== 0) return false;
      registers[seen++] = x;
    }
    return seen === count;
  };
}

/** How many inputs of another shape the exact-order loop tolerates before giving way. */
const EXACT_MISSES = 64;
