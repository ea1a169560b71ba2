/**
 * The work budget of evaluation. The limits bound what a formula may say
 * (source, depth, nodes, array length) but not the work it causes: fn. calls
 * multiply (a formula of 450 calls of a formula of 450 calls …), and every
 * function over an array, every array read and every element-wise operator
 * touches each element, however often the formula repeats it. Evaluation
 * counts that work in units against a budget and fails with FORMULA_BUDGET
 * when it runs out:
 *
 * - one unit per syntax node, charged when a formula (or one called through
 *   fn.) starts evaluating: its nodes bound what it does besides arrays;
 *   and `CALL_COST` more per fn. call (binding its arguments);
 * - for arrays, by what each costs here: a quarter of a unit per element
 *   read or passed to a function, half a unit per element combined
 *   element-wise or compared, n·⌈log2 n⌉/5 + n/2 for the functions that
 *   sort (median, percentile), 1,000·n for irr (its iterations), and
 *   `ARRAY_CALL_COST` more for any call given an array; `EVALUATION_COST`
 *   more per evaluation.
 *
 * A unit stands for about 12-15 ns of work on these machines in a quiet
 * hour, 20-24 ns in a busy one (in workerd and in Node; bench/abuse.ts
 * measures it), so a budget is also a bound on time; and it is
 * deterministic: the same formula over the same data always stops at the
 * same place, which keeps replay exact.
 *
 * The meter is module state: evaluation is synchronous, so the scope that
 * counts is always the innermost one running. A caller opens a scope for
 * what it counts as one job (a request's batch, a goal's cycle); an
 * evaluation started outside any opens its own of
 * `DEFAULT_EVALUATION_BUDGET`, and one inside (a formula called through fn.)
 * spends from the scope it runs in.
 */
import { FormulaError } from "./errors.ts";

/**
 * The budget of one evaluation started outside any scope, and of one slice
 * of a `Budget` (about 8 ms: the longest one evaluation may hold the isolate).
 */
export const DEFAULT_EVALUATION_BUDGET = 500_000;

/**
 * The scope running now: whether one is, the units it has left (Infinity
 * when none is), and the budget it stands for (for the message). One object,
 * so the hot path of `evaluate` reads it without a call.
 */
export const meter = { open: false, left: Number.POSITIVE_INFINITY, size: 0 };

/** The error of a spent budget. */
export function exhausted(): FormulaError {
  return new FormulaError(
    "FORMULA_BUDGET",
    `evaluation ran out of its work budget of ${meter.size} units (syntax nodes evaluated, through fn. calls too, and array elements touched)`,
    {
      hint: "call fewer formulas or pass smaller arrays; an evaluation, a request, a goal's cycle and a simulation each have a budget",
      details: { budget: meter.size },
    },
  );
}

/** Counts `units` of work against the running scope; throws FORMULA_BUDGET when it runs out. */
export function charge(units: number): void {
  meter.left -= units;
  if (meter.left < 0) throw exhausted();
}

/** What one fn. call costs besides the callee's nodes: building and binding its arguments. */
export const CALL_COST = 4;

/** The cost of sorting `n` elements (copied into a typed array, sorted natively): n·⌈log2 n⌉/5 + n/2. */
export function sortCost(n: number): number {
  return Math.ceil((n * Math.ceil(Math.log2(Math.max(2, n)))) / 5 + n / 2);
}

/** What a call of a function given arrays costs besides their elements (checking and copying them). */
export const ARRAY_CALL_COST = 50;

/** What one evaluation costs besides its nodes (entering it, binding its inputs). */
export const EVALUATION_COST = 6;

/** The cost of reading, or passing to a function, `n` array elements. */
export function elementsCost(n: number): number {
  return Math.ceil(n / 4);
}

/** The cost of combining or comparing `n` elements element-wise. */
export function elementWiseCost(n: number): number {
  return Math.ceil(n / 2);
}

/**
 * Opens a scope of `units` unless one is running; true when it opened one,
 * which the caller must then close (`closeScope`, in a finally). The
 * allocation-free form for the hot path of `evaluate`.
 */
export function openScope(units: number): boolean {
  if (meter.open) return false;
  meter.open = true;
  meter.left = units;
  meter.size = units;
  return true;
}

/** Closes the scope `openScope` opened. */
export function closeScope(): void {
  meter.open = false;
  meter.left = Number.POSITIVE_INFINITY;
}

/** What `scoped` returns: the work's value and the units it spent. */
export interface Scoped<T> {
  value: T;
  spent: number;
}

/**
 * Runs `work` in a scope of its own of `units`, whatever runs around it (an
 * outer scope is set aside meanwhile and restored after, untouched), so the
 * same work always meets the same budget; returns the units spent with the
 * value. If `work` throws, so does this (after restoring).
 */
export function scoped<T>(units: number, work: () => T): Scoped<T> {
  const outer = { ...meter };
  meter.open = true;
  meter.left = units;
  meter.size = units;
  try {
    const value = work();
    return { value, spent: Math.min(units, units - meter.left) };
  } finally {
    Object.assign(meter, outer);
  }
}

/**
 * A budget several evaluations share as one job (a request's rows): each
 * `run` spends from it, at most one `slice` at a time (so no one evaluation
 * holds the isolate for long: callers yield between runs), and once it is
 * spent every later run fails with FORMULA_BUDGET at once.
 */
export class Budget {
  readonly units: number;
  readonly slice: number;
  #left: number;
  /** Units spent since `rest` last answered true. */
  #sinceRest = 0;
  /** Units the last `spend` (or `run`) counted. */
  #last = 0;

  constructor(units: number, slice = DEFAULT_EVALUATION_BUDGET) {
    this.units = units;
    this.slice = Math.min(slice, units);
    this.#left = units;
  }

  /** Units not spent yet. */
  get left(): number {
    return this.#left;
  }

  /** Units spent so far. */
  get spent(): number {
    return this.units - this.#left;
  }

  /** Counts `units` spent outside `run` (a cycle's own scope, say); true while some are left. */
  spend(units: number): boolean {
    this.#last = Math.max(0, units);
    this.#left -= this.#last;
    this.#sinceRest += this.#last;
    return this.#left > 0;
  }

  /** Runs `work` within what is left (at most one slice); what it spends is deducted, even when it fails. */
  run<T>(work: () => T): T {
    const allowed = Math.min(this.#left, this.slice);
    const outer = { ...meter };
    meter.open = true;
    meter.left = allowed;
    meter.size = allowed === this.slice ? this.slice : this.units;
    try {
      if (allowed <= 0) throw exhausted();
      return work();
    } finally {
      // `left` is below 0 when the budget ran out: the run spent all it was allowed.
      this.spend(Math.min(allowed, allowed - meter.left));
      Object.assign(meter, outer);
    }
  }

  /**
   * True when it is time to let other work in: once `units` were spent since
   * it last answered true, or once another run like the last would take
   * that past `units`. Without the second, a run just under `units` and a
   * next one as long would hold the isolate for two slices, not one.
   */
  rest(units = this.slice): boolean {
    const spent = this.#sinceRest;
    if (spent <= 0 || (spent < units && spent + this.#last <= units)) return false;
    this.#sinceRest = 0;
    return true;
  }
}
