/**
 * Compiles the numeric IR to closures over a register file (a Float64Array
 * holding the inputs), for the one-row fast path. Leaves that are inputs or
 * constants are read inline by their parent instead of through a call, which
 * roughly halves the calls for typical formulas. Any non-finite intermediate
 * throws BAIL, and the caller re-runs the general path to report the error
 * exactly where the language says it happens.
 */
import { applyArithmetic } from "../arithmetic.ts";
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

/** How a leaf is read: an input register, a constant, or an input's square (`x^2`). */
const SLOT = 0;
const CONST = 1;
const SQUARE = 2;

/** A node read inline by its parent, without a call of its own. */
interface Leaf {
  readonly kind: number;
  readonly index: number;
  readonly value: number;
}

function leafOf(node: NumberIR): Leaf | undefined {
  if (node.kind === "slot") return { kind: SLOT, index: node.slot, value: 0 };
  if (node.kind === "const") return { kind: CONST, index: 0, value: node.value };
  if (
    node.kind === "arith" &&
    node.op === "^" &&
    node.left.kind === "slot" &&
    node.right.kind === "const" &&
    node.right.value === 2
  ) {
    return { kind: SQUARE, index: node.left.slot, value: 0 };
  }
  return undefined;
}

/** A leaf's value; a square that overflows bails like any other non-finite intermediate. */
function read(r: Registers, kind: number, index: number, value: number): number {
  if (kind === SLOT) return r[index] as number;
  if (kind === CONST) return value;
  const x = r[index] as number;
  return checked(x * x);
}

/**
 * Closures for one operator and one shape of operands (leaf or node on each
 * side). Each operator has its own literals, so each gets its own type
 * feedback in V8 and does no operator dispatch: one literal shared by every
 * operator of every formula in the isolate would be polymorphic.
 */
interface OperatorClosures {
  leafLeaf(a: Leaf, b: Leaf): NumberFn;
  leafNode(a: Leaf, g: NumberFn): NumberFn;
  nodeLeaf(f: NumberFn, b: Leaf): NumberFn;
  nodeNode(f: NumberFn, g: NumberFn): NumberFn;
}

const ADD: OperatorClosures = {
  leafLeaf:
    ({ kind: ak, index: ai, value: av }, { kind: bk, index: bi, value: bv }) =>
    (r) =>
      checked(read(r, ak, ai, av) + read(r, bk, bi, bv)),
  leafNode:
    ({ kind: ak, index: ai, value: av }, g) =>
    (r) =>
      checked(read(r, ak, ai, av) + g(r)),
  nodeLeaf:
    (f, { kind: bk, index: bi, value: bv }) =>
    (r) =>
      checked(f(r) + read(r, bk, bi, bv)),
  nodeNode: (f, g) => (r) => checked(f(r) + g(r)),
};

const SUBTRACT: OperatorClosures = {
  leafLeaf:
    ({ kind: ak, index: ai, value: av }, { kind: bk, index: bi, value: bv }) =>
    (r) =>
      checked(read(r, ak, ai, av) - read(r, bk, bi, bv)),
  leafNode:
    ({ kind: ak, index: ai, value: av }, g) =>
    (r) =>
      checked(read(r, ak, ai, av) - g(r)),
  nodeLeaf:
    (f, { kind: bk, index: bi, value: bv }) =>
    (r) =>
      checked(f(r) - read(r, bk, bi, bv)),
  nodeNode: (f, g) => (r) => checked(f(r) - g(r)),
};

const MULTIPLY: OperatorClosures = {
  leafLeaf:
    ({ kind: ak, index: ai, value: av }, { kind: bk, index: bi, value: bv }) =>
    (r) =>
      checked(read(r, ak, ai, av) * read(r, bk, bi, bv)),
  leafNode:
    ({ kind: ak, index: ai, value: av }, g) =>
    (r) =>
      checked(read(r, ak, ai, av) * g(r)),
  nodeLeaf:
    (f, { kind: bk, index: bi, value: bv }) =>
    (r) =>
      checked(f(r) * read(r, bk, bi, bv)),
  nodeNode: (f, g) => (r) => checked(f(r) * g(r)),
};

const DIVIDE: OperatorClosures = {
  leafLeaf:
    ({ kind: ak, index: ai, value: av }, { kind: bk, index: bi, value: bv }) =>
    (r) =>
      checked(read(r, ak, ai, av) / read(r, bk, bi, bv)),
  leafNode:
    ({ kind: ak, index: ai, value: av }, g) =>
    (r) =>
      checked(read(r, ak, ai, av) / g(r)),
  nodeLeaf:
    (f, { kind: bk, index: bi, value: bv }) =>
    (r) =>
      checked(f(r) / read(r, bk, bi, bv)),
  nodeNode: (f, g) => (r) => checked(f(r) / g(r)),
};

/** `%` and `^`, rarer, share closures that dispatch on the operator. */
function dispatching(op: ArithmeticOp): OperatorClosures {
  return {
    leafLeaf:
      ({ kind: ak, index: ai, value: av }, { kind: bk, index: bi, value: bv }) =>
      (r) =>
        checked(applyArithmetic(op, read(r, ak, ai, av), read(r, bk, bi, bv))),
    leafNode:
      ({ kind: ak, index: ai, value: av }, g) =>
      (r) =>
        checked(applyArithmetic(op, read(r, ak, ai, av), g(r))),
    nodeLeaf:
      (f, { kind: bk, index: bi, value: bv }) =>
      (r) =>
        checked(applyArithmetic(op, f(r), read(r, bk, bi, bv))),
    nodeNode: (f, g) => (r) => checked(applyArithmetic(op, f(r), g(r))),
  };
}

const OPERATORS: Readonly<Record<ArithmeticOp, OperatorClosures>> = {
  "+": ADD,
  "-": SUBTRACT,
  "*": MULTIPLY,
  "/": DIVIDE,
  "%": dispatching("%"),
  "^": dispatching("^"),
};

function arith(node: Extract<NumberIR, { kind: "arith" }>): NumberFn {
  const closures = OPERATORS[node.op];
  const a = leafOf(node.left);
  const b = leafOf(node.right);
  if (a !== undefined && b !== undefined) return closures.leafLeaf(a, b);
  if (a !== undefined) return closures.leafNode(a, compileNumber(node.right));
  if (b !== undefined) return closures.nodeLeaf(compileNumber(node.left), b);
  return closures.nodeNode(compileNumber(node.left), compileNumber(node.right));
}

function call(node: Extract<NumberIR, { kind: "call" }>): NumberFn {
  const { kernel, args } = node;
  if (args.length === 1) {
    const a = leafOf(args[0] as NumberIR);
    if (a !== undefined) {
      const { kind: ak, index: ai, value: av } = a;
      return (r) => checked(kernel(read(r, ak, ai, av)));
    }
  }
  if (args.length === 2) {
    const a = leafOf(args[0] as NumberIR);
    const b = leafOf(args[1] as NumberIR);
    if (a !== undefined && b !== undefined) {
      const { kind: ak, index: ai, value: av } = a;
      const { kind: bk, index: bi, value: bv } = b;
      return (r) => checked(kernel(read(r, ak, ai, av), read(r, bk, bi, bv)));
    }
  }
  const [f, g, h] = args.map(compileNumber);
  if (f !== undefined && g !== undefined && h !== undefined)
    return (r) => checked(kernel(f(r), g(r), h(r)));
  if (f !== undefined && g !== undefined) return (r) => checked(kernel(f(r), g(r)));
  if (f !== undefined) return (r) => checked(kernel(f(r)));
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
      const { whenTrue, whenFalse } = node;
      if (whenTrue.kind === "const" && whenFalse.kind === "const") {
        // `c ? 1 : 0` and the like: no calls for the branches.
        const yes = whenTrue.value;
        const no = whenFalse.value;
        return (r) => (test(r) ? yes : no);
      }
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
