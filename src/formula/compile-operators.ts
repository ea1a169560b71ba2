/**
 * Compiles the binary operators. Each closure tries two numbers first (one
 * type check each, the common case) and hands anything else to the general
 * code in arithmetic.ts, which broadcasts, concatenates or reports the error.
 */

import { applyArithmetic, arithmeticSlow, compareSlow, type OperatorSites } from "./arithmetic.ts";
import type { ArithmeticOp, BinaryNode, Node } from "./ast.ts";
import type { CompileContext, Evaluator } from "./compile-context.ts";
import type { Origin, Site } from "./site.ts";
import { valuesEqual } from "./values.ts";

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
    return this.origin.site(this.node, this.node.opStart);
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
 * no context for closures it does not build.
 */
export function compileBinary(
  node: BinaryNode,
  ctx: CompileContext,
  compile: CompileNode,
): Evaluator {
  const left = compile(node.left, ctx);
  const literal = node.right;
  if (literal.kind === "number" && node.op !== "==" && node.op !== "!=") {
    // `x ^ 2`, `x * 100`, `x > 0.05`: the literal is used directly, with no closure to call for it.
    return withLiteral(node, left, literal.value, ctx.origin);
  }
  const right = compile(node.right, ctx);
  switch (node.op) {
    case "==":
    case "!=":
      return equality(node.op, left, right);
    case "<":
    case "<=":
    case ">":
    case ">=":
      return comparison(node, left, right, ctx.origin);
    default:
      return arithmetic(node, left, right, ctx.origin);
  }
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
function withLiteral(node: BinaryNode, left: Evaluator, b: number, origin: Origin): Evaluator {
  const op = node.op;
  return (vars) => {
    const a = left(vars);
    if (typeof a === "number") {
      const result = applyNumbers(op, a, b);
      if (typeof result === "boolean" || result - result === 0) return result;
    }
    const sites = new BinarySites(origin, node);
    if (op === "<" || op === "<=" || op === ">" || op === ">=") return compareSlow(op, a, b, sites);
    return arithmeticSlow(op as ArithmeticOp, a, b, sites);
  };
}

function arithmetic(
  node: BinaryNode,
  left: Evaluator,
  right: Evaluator,
  origin: Origin,
): Evaluator {
  const op = node.op as ArithmeticOp;
  return (vars) => {
    const a = left(vars);
    const b = right(vars);
    if (typeof a === "number" && typeof b === "number") {
      const result = applyArithmetic(op, a, b);
      if (result - result === 0) return result;
    }
    return arithmeticSlow(op, a, b, new BinarySites(origin, node));
  };
}
