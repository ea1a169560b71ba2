/**
 * The reference evaluator's functions: the subset the property tests
 * generate, written from their documented conventions. Arguments are
 * evaluated left to right before any is checked, except in the lazy if() and
 * coalesce().
 */
import type { Node } from "../../../src/formula/ast.ts";
import type { Value } from "../../../src/formula/index.ts";
import { fail, finite, numbers } from "./evaluator.ts";

/** Functions the generators may call, with their argument counts. */
export const REFERENCE_FUNCTIONS: Readonly<Record<string, readonly number[]>> = {
  abs: [1],
  sqrt: [1],
  round: [1],
  min: [1, 2, 3],
  max: [1, 2, 3],
  clamp: [3],
  sum: [1],
  mean: [1],
  len: [1],
  if: [3],
  coalesce: [1, 2, 3],
  isnull: [1],
  concat: [1, 2, 3],
};

function num(v: Value): number {
  return typeof v === "number" ? v : v === null ? fail("FORMULA_NULL") : fail("FORMULA_TYPE");
}

function numberArray(v: Value): number[] {
  if (Array.isArray(v)) return numbers(v);
  return v === null ? fail("FORMULA_NULL") : fail("FORMULA_TYPE");
}

/** Half away from zero, on the shortest decimal form of x, with BigInt arithmetic. */
function roundHalfAway(x: number): number {
  if (x === 0) return 0;
  const [mantissa = "0", exp = "0"] = Math.abs(x).toString().split("e");
  const [whole = "", fraction = ""] = mantissa.split(".");
  const digits = BigInt(whole + fraction);
  const exponent = Number(exp) - fraction.length;
  if (exponent >= 0) return x;
  const unit = 10n ** BigInt(-exponent);
  let q = digits / unit;
  if ((digits % unit) * 2n >= unit) q += 1n;
  const magnitude = Number(q);
  return magnitude === 0 ? 0 : x < 0 ? -magnitude : magnitude;
}

function elementWise(v: Value, f: (x: number) => number): Value {
  if (Array.isArray(v)) return numbers(v).map((x) => finite(f(x)));
  return finite(f(num(v)));
}

function extreme(args: Value[], pick: (a: number, b: number) => number): number {
  const xs = args.length === 1 && Array.isArray(args[0]) ? numbers(args[0]) : args.map(num);
  if (xs.length === 0) return fail("FORMULA_NON_FINITE");
  let best = xs[0] as number;
  for (const x of xs.slice(1)) best = pick(best, x);
  return best;
}

/** Calls a reference function; `evaluate` evaluates an argument node. */
export function callFunction(
  name: string,
  argNodes: readonly Node[],
  evaluate: (node: Node) => Value,
): Value {
  if (name === "if") {
    const test = evaluate(argNodes[0] as Node);
    if (typeof test !== "boolean") return fail("FORMULA_TYPE");
    return evaluate(argNodes[test ? 1 : 2] as Node);
  }
  if (name === "coalesce") {
    for (const node of argNodes) {
      const v = evaluate(node);
      if (v !== null) return v;
    }
    return null;
  }
  const args = argNodes.map(evaluate);
  const [a = null, b = null, c = null] = args;
  switch (name) {
    case "abs":
      return elementWise(a, Math.abs);
    case "sqrt":
      return elementWise(a, Math.sqrt);
    case "round":
      return elementWise(a, roundHalfAway);
    case "min":
      return extreme(args, Math.min);
    case "max":
      return extreme(args, Math.max);
    case "clamp": {
      const [x, lo, hi] = [num(a), num(b), num(c)];
      return lo > hi ? fail("FORMULA_TYPE") : Math.min(Math.max(x, lo), hi);
    }
    case "sum":
      return finite(numberArray(a).reduce((s, x) => s + x, 0));
    case "mean": {
      const xs = numberArray(a);
      return xs.length === 0
        ? fail("FORMULA_NON_FINITE")
        : finite(xs.reduce((s, x) => s + x, 0) / xs.length);
    }
    case "len":
      if (Array.isArray(a) || typeof a === "string") return a.length;
      return a === null ? fail("FORMULA_NULL") : fail("FORMULA_TYPE");
    case "isnull":
      return a === null;
    case "concat":
      return args
        .map((v) =>
          v === null ? fail("FORMULA_NULL") : Array.isArray(v) ? fail("FORMULA_TYPE") : String(v),
        )
        .join("");
    default:
      throw new Error(`no reference for ${name}`);
  }
}
