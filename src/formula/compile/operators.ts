/**
 * Compiles the binary operators. Each closure tries two numbers first (one
 * type check each, the common case) and hands anything else to the general
 * code in arithmetic.ts, which broadcasts, concatenates or reports the error.
 */

import { applyArithmetic, arithmeticSlow, compareSlow, type OperatorSites } from "../arithmetic.ts";
import type { ArithmeticOp, BinaryNode, Node } from "../ast.ts";
import type { Origin, Site } from "../errors.ts";
import { operatorOffset } from "../parse/literals.ts";
import type { Value } from "../types.ts";
import { valuesEqual } from "../values.ts";
import type { CompileContext, Evaluator } from "./context.ts";
import { compileOperand, type Operand, readName } from "./reads.ts";

type CompileNode = (node: Node, ctx: CompileContext) => Evaluator;

/** The sites of a binary operation; built by the slow path, which is where errors happen. */
class BinarySites implements OperatorSites {
  private readonly origin: Origin;
  private readonly node: BinaryNode;

  constructor(origin: Origin, node: BinaryNode) {
    this.origin = origin;
    this.node = node;
  }

  get op(): string {
    return this.node.op;
  }

  get maxLength(): number {
    return this.origin.limits.maxArrayLength;
  }

  get at(): Site {
    return this.origin.site(this.node, operatorOffset(this.origin.source, this.node.left.end));
  }

  get left(): Site {
    return this.origin.site(this.node.left);
  }

  get right(): Site {
    return this.origin.site(this.node.right);
  }
}

/**
 * Compiles a binary operation. The closures are built by one function per
 * family, so that each captures only what it uses, and compiling allocates
 * no context for closures it does not build. Arithmetic and operations with
 * a number literal read plain-name operands themselves: `b * x` is one
 * closure, not three.
 */
export function compileBinary(
  node: BinaryNode,
  ctx: CompileContext,
  compile: CompileNode,
): Evaluator {
  const origin = ctx.origin;
  const left = compileOperand(node.left, ctx, compile);
  const literal = node.right;
  if (literal.kind === "number" && node.op !== "==" && node.op !== "!=") {
    // `x ^ 2`, `x * 100`, `x > 0.05`: the literal is used directly, with no closure to call for it.
    return withLiteral(node, left, literal.value, origin);
  }
  const right = compileOperand(node.right, ctx, compile);
  switch (node.op) {
    case "==":
    case "!=":
      return equality(node.op, evaluator(left, origin), evaluator(right, origin));
    case "<":
    case "<=":
    case ">":
    case ">=":
      return comparison(node, evaluator(left, origin), evaluator(right, origin), origin);
    default:
      return arithmetic(node, left, right, origin);
  }
}

/** An operand as an evaluator of its own (a closure reading the name, for a name). */
function evaluator(operand: Operand, origin: Origin): Evaluator {
  if (typeof operand === "function") return operand;
  return (vars) => readName(vars, operand, origin);
}

function equality(op: "==" | "!=", left: Evaluator, right: Evaluator): Evaluator {
  if (op === "==") return (vars) => valuesEqual(left(vars), right(vars));
  return (vars) => !valuesEqual(left(vars), right(vars));
}

function comparison(
  node: BinaryNode,
  left: Evaluator,
  right: Evaluator,
  origin: Origin,
): Evaluator {
  switch (node.op) {
    case "<":
      return (vars) => {
        const a = left(vars);
        const b = right(vars);
        return typeof a === "number" && typeof b === "number"
          ? a < b
          : compareSlow("<", a, b, new BinarySites(origin, node));
      };
    case "<=":
      return (vars) => {
        const a = left(vars);
        const b = right(vars);
        return typeof a === "number" && typeof b === "number"
          ? a <= b
          : compareSlow("<=", a, b, new BinarySites(origin, node));
      };
    case ">":
      return (vars) => {
        const a = left(vars);
        const b = right(vars);
        return typeof a === "number" && typeof b === "number"
          ? a > b
          : compareSlow(">", a, b, new BinarySites(origin, node));
      };
    default:
      return (vars) => {
        const a = left(vars);
        const b = right(vars);
        return typeof a === "number" && typeof b === "number"
          ? a >= b
          : compareSlow(">=", a, b, new BinarySites(origin, node));
      };
  }
}

/** `a op b` on two numbers for an operator other than `==` and `!=`. */
function applyNumbers(op: BinaryNode["op"], a: number, b: number): number | boolean {
  switch (op) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    default:
      return applyArithmetic(op as ArithmeticOp, a, b);
  }
}

/** A binary operation whose right operand is a number literal (never `==` or `!=`). */
function withLiteral(node: BinaryNode, left: Operand, b: number, origin: Origin): Evaluator {
  const op = node.op;
  if (typeof left === "function") return (vars) => byLiteral(op, left(vars), b, node, origin);
  return (vars) => byLiteral(op, readName(vars, left, origin), b, node, origin);
}

/** `a op b` where b is the operation's number literal. */
function byLiteral(
  op: BinaryNode["op"],
  a: Value,
  b: number,
  node: BinaryNode,
  origin: Origin,
): Value {
  if (typeof a === "number") {
    const result = applyNumbers(op, a, b);
    if (typeof result === "boolean" || result - result === 0) return result;
  }
  const sites = new BinarySites(origin, node);
  if (op === "<" || op === "<=" || op === ">" || op === ">=") return compareSlow(op, a, b, sites);
  return arithmeticSlow(op as ArithmeticOp, a, b, sites);
}

/** An arithmetic operation, with a closure for each combination of plain names and other operands. */
function arithmetic(node: BinaryNode, left: Operand, right: Operand, origin: Origin): Evaluator {
  const op = node.op as ArithmeticOp;
  if (typeof left === "function") {
    if (typeof right === "function") {
      return (vars) => combine(op, left(vars), right(vars), node, origin);
    }
    return (vars) => combine(op, left(vars), readName(vars, right, origin), node, origin);
  }
  if (typeof right === "function") {
    return (vars) => combine(op, readName(vars, left, origin), right(vars), node, origin);
  }
  return (vars) =>
    combine(op, readName(vars, left, origin), readName(vars, right, origin), node, origin);
}

/** `a op b` for an arithmetic operator. */
function combine(op: ArithmeticOp, a: Value, b: Value, node: BinaryNode, origin: Origin): Value {
  if (typeof a === "number" && typeof b === "number") {
    const result = applyArithmetic(op, a, b);
    if (result - result === 0) return result;
  }
  return arithmeticSlow(op, a, b, new BinarySites(origin, node));
}
