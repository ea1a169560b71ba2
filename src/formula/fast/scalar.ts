/**
 * Compiles the numeric IR to closures over a register file (a Float64Array
 * holding the inputs), for the one-row fast path. Leaves that are inputs or
 * constants are read inline by their parent instead of through a call, which
 * roughly halves the calls for typical formulas. Any non-finite intermediate
 * throws BAIL, and the caller re-runs the general path to report the error
 * exactly where the language says it happens.
 */
import type { ArithmeticOp } from "../ast.ts";
import type { BooleanIR, NumberIR } from "./numeric-plan.ts";

/** Thrown to abandon the fast path; never escapes the module. */
export const BAIL: unique symbol = Symbol("bail");

type Registers = Float64Array;
/** A compiled number-valued node. */
export type NumberFn = (r: Registers) => number;
/** A compiled boolean-valued node. */
export type BooleanFn = (r: Registers) => boolean;

function checked(x: number): number {
  if (x - x === 0) return x;
  throw BAIL;
}

function apply(op: ArithmeticOp, a: number, b: number): number {
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
      return b === 2 ? a * a : a ** b;
  }
}

function arith(node: Extract<NumberIR, { kind: "arith" }>): NumberFn {
  const { op, left, right } = node;
  if (op === "^" && right.kind === "const" && right.value === 2) {
    if (left.kind === "slot") {
      const i = left.slot;
      return (r) => checked((r[i] as number) * (r[i] as number));
    }
    const base = compileNumber(left);
    return (r) => {
      const x = base(r);
      return checked(x * x);
    };
  }
  if (left.kind === "slot" && right.kind === "slot") {
    const i = left.slot;
    const j = right.slot;
    return (r) => checked(apply(op, r[i] as number, r[j] as number));
  }
  if (left.kind === "slot" && right.kind === "const") {
    const i = left.slot;
    const c = right.value;
    return (r) => checked(apply(op, r[i] as number, c));
  }
  if (left.kind === "const" && right.kind === "slot") {
    const c = left.value;
    const j = right.slot;
    return (r) => checked(apply(op, c, r[j] as number));
  }
  if (left.kind === "slot") {
    const i = left.slot;
    const b = compileNumber(right);
    return (r) => checked(apply(op, r[i] as number, b(r)));
  }
  if (right.kind === "slot") {
    const a = compileNumber(left);
    const j = right.slot;
    return (r) => checked(apply(op, a(r), r[j] as number));
  }
  if (right.kind === "const") {
    const a = compileNumber(left);
    const c = right.value;
    return (r) => checked(apply(op, a(r), c));
  }
  const a = compileNumber(left);
  const b = compileNumber(right);
  return (r) => checked(apply(op, a(r), b(r)));
}

function call(node: Extract<NumberIR, { kind: "call" }>): NumberFn {
  const { kernel, args } = node;
  const [a, b, c] = args.map(compileNumber);
  if (a !== undefined && b !== undefined && c !== undefined)
    return (r) => checked(kernel(a(r), b(r), c(r)));
  if (a !== undefined && b !== undefined) return (r) => checked(kernel(a(r), b(r)));
  if (a !== undefined) return (r) => checked(kernel(a(r)));
  return () => checked(kernel());
}

/** Compiles a number-valued node. */
export function compileNumber(node: NumberIR): NumberFn {
  switch (node.kind) {
    case "const": {
      const value = node.value;
      return () => value;
    }
    case "slot": {
      const i = node.slot;
      return (r) => r[i] as number;
    }
    case "arith":
      return arith(node);
    case "negate": {
      const operand = compileNumber(node.operand);
      return (r) => -operand(r);
    }
    case "call":
      return call(node);
    case "select": {
      const test = compileBoolean(node.test);
      const then = compileNumber(node.whenTrue);
      const otherwise = compileNumber(node.whenFalse);
      return (r) => (test(r) ? then(r) : otherwise(r));
    }
  }
}

function compare(node: Extract<BooleanIR, { kind: "compare" }>): BooleanFn {
  const { op, left, right } = node;
  const test = (a: number, b: number): boolean => {
    switch (op) {
      case "<":
        return a < b;
      case "<=":
        return a <= b;
      case ">":
        return a > b;
      case ">=":
        return a >= b;
      case "==":
        return a === b;
      default:
        return a !== b;
    }
  };
  if (left.kind === "slot" && right.kind === "const") {
    const i = left.slot;
    const c = right.value;
    return (r) => test(r[i] as number, c);
  }
  const a = compileNumber(left);
  const b = compileNumber(right);
  return (r) => test(a(r), b(r));
}

/** Compiles a boolean-valued node. */
export function compileBoolean(node: BooleanIR): BooleanFn {
  switch (node.kind) {
    case "bool": {
      const value = node.value;
      return () => value;
    }
    case "compare":
      return compare(node);
    case "equal": {
      const a = compileBoolean(node.left);
      const b = compileBoolean(node.right);
      return node.negate ? (r) => a(r) !== b(r) : (r) => a(r) === b(r);
    }
    case "and": {
      const a = compileBoolean(node.left);
      const b = compileBoolean(node.right);
      return (r) => a(r) && b(r);
    }
    case "or": {
      const a = compileBoolean(node.left);
      const b = compileBoolean(node.right);
      return (r) => a(r) || b(r);
    }
    case "not": {
      const operand = compileBoolean(node.operand);
      return (r) => !operand(r);
    }
    case "pick": {
      const test = compileBoolean(node.test);
      const then = compileBoolean(node.whenTrue);
      const otherwise = compileBoolean(node.whenFalse);
      return (r) => (test(r) ? then(r) : otherwise(r));
    }
  }
}
