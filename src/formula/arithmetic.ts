/**
 * The general cases of the operators, after the compiled fast path has seen
 * that its operands are not two numbers: broadcasting over arrays, string
 * concatenation, comparison of strings, and the errors for everything else.
 */

import type { ArithmeticOp } from "./ast.ts";
import { charge, elementsCost, elementWiseCost } from "./budget.ts";
import type { Site } from "./errors.ts";
import type { Value } from "./types.ts";
import { isArray, recordElementCount, typeName } from "./values.ts";

/** Where an operator's errors point: the operation itself and each operand. */
export interface OperatorSites {
  readonly op: string;
  /** The whole operation, positioned at its operator. */
  readonly at: Site;
  readonly left: Site;
  readonly right: Site;
  /** Longest string `+` may build. */
  readonly maxLength: number;
}

/** `a op b` on two numbers, without the finiteness check. */
export function applyArithmetic(op: ArithmeticOp, a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
    case "%":
      return a % b;
    default:
      // Squares are the common case; x * x is exact to the last bit, as the fast paths compute it.
      return b === 2 ? a * a : a ** b;
  }
}

/** The elements of an operand array, each required to be a number. */
function numbersOf(array: readonly Value[], site: Site, op: string): readonly number[] {
  charge(elementsCost(array.length));
  for (let i = 0; i < array.length; i++) {
    const item = array[i] ?? null;
    if (typeof item === "number") continue;
    if (item === null) {
      throw site.error(
        "FORMULA_NULL",
        `element ${i} of \`${site.text}\` is null`,
        "arithmetic on arrays needs numbers in every element",
      );
    }
    throw site.error(
      "FORMULA_TYPE",
      `\`${op}\` needs numbers, but element ${i} of \`${site.text}\` is ${typeName(item)}`,
    );
  }
  // Every element was just checked to be a number.
  return array as readonly number[];
}

function broadcast(
  op: ArithmeticOp,
  a: readonly number[] | number,
  b: readonly number[] | number,
  sites: OperatorSites,
): readonly number[] {
  const length = typeof a === "number" ? (typeof b === "number" ? 0 : b.length) : a.length;
  charge(elementWiseCost(length));
  const out = new Array<number>(length);
  for (let i = 0; i < length; i++) {
    const x = typeof a === "number" ? a : (a[i] ?? 0);
    const y = typeof b === "number" ? b : (b[i] ?? 0);
    const result = applyArithmetic(op, x, y);
    if (result - result !== 0) throw sites.at.nonFinite(`element ${i} of \`${sites.at.text}\``);
    out[i] = result;
  }
  recordElementCount(out, length);
  return out;
}

/** `a op b` for operands that are not both numbers. */
export function arithmeticSlow(op: ArithmeticOp, a: Value, b: Value, sites: OperatorSites): Value {
  if (typeof a === "number" && typeof b === "number") {
    const result = applyArithmetic(op, a, b);
    if (result - result === 0) return result;
    throw sites.at.nonFinite();
  }
  if (op === "+" && typeof a === "string" && typeof b === "string") {
    if (a.length + b.length > sites.maxLength) {
      throw sites.at.error(
        "FORMULA_LIMIT",
        `\`+\` would build a string longer than ${sites.maxLength} characters`,
        undefined,
        {
          limit: "maxArrayLength",
          value: sites.maxLength,
        },
      );
    }
    return a + b;
  }
  if (a === null) throw sites.left.isNull();
  if (b === null) throw sites.right.isNull();
  if (
    typeof a === "string" ||
    typeof b === "string" ||
    typeof a === "boolean" ||
    typeof b === "boolean"
  ) {
    const text = op === "+" && (typeof a === "string" || typeof b === "string");
    const hint = text ? "use concat(a, b) to join text with numbers" : undefined;
    throw sites.at.error(
      "FORMULA_TYPE",
      `\`${op}\` cannot combine ${typeName(a)} and ${typeName(b)}`,
      hint,
    );
  }
  const left = typeof a === "number" ? a : numbersOf(a, sites.left, op);
  const right = typeof b === "number" ? b : numbersOf(b, sites.right, op);
  if (typeof left !== "number" && typeof right !== "number" && left.length !== right.length) {
    throw sites.at.error(
      "FORMULA_TYPE",
      `\`${op}\` on arrays of different lengths (${left.length} and ${right.length})`,
      "element-wise arithmetic needs arrays of equal length",
    );
  }
  return broadcast(op, left, right, sites);
}

/** Unary minus or plus on a value that is not a number. */
export function signSlow(op: "-" | "+", a: Value, at: Site, operand: Site): Value {
  if (typeof a === "number") return op === "-" ? -a : a;
  if (a === null) throw operand.isNull();
  if (isArray(a)) {
    const numbers = numbersOf(a, operand, op);
    if (op === "+") return numbers;
    const out = numbers.map((x) => -x);
    recordElementCount(out, out.length);
    return out;
  }
  throw at.error("FORMULA_TYPE", `unary \`${op}\` needs a number, got ${typeName(a)}`);
}

/** `<` `<=` `>` `>=`: two numbers or two strings (UTF-16 order); anything else is a type error. */
export function compareSlow(
  op: "<" | "<=" | ">" | ">=",
  a: Value,
  b: Value,
  sites: OperatorSites,
): boolean {
  if (
    (typeof a === "number" && typeof b === "number") ||
    (typeof a === "string" && typeof b === "string")
  ) {
    switch (op) {
      case "<":
        return a < b;
      case "<=":
        return a <= b;
      case ">":
        return a > b;
      default:
        return a >= b;
    }
  }
  const nullSite = a === null ? sites.left : b === null ? sites.right : undefined;
  const hint =
    nullSite === undefined
      ? undefined
      : `\`${nullSite.text}\` is null; use coalesce(${nullSite.text}, …)`;
  throw sites.at.error(
    "FORMULA_TYPE",
    `\`${op}\` compares two numbers or two strings, not ${typeName(a)} and ${typeName(b)}`,
    hint,
  );
}
