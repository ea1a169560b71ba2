/**
 * Compiles a syntax tree to a tree of closures, once, so that evaluating is
 * calling closures: no tree walking, no dispatch on node kinds at run time.
 * compileNode dispatches on the node kind; this file handles the structure
 * (literals, arrays, unary operators, the lazy `and`/`or`, conditionals);
 * binary operators (operators.ts), data reads (reads.ts), calls
 * (calls.ts) and fn. calls (formula-calls.ts) have their own files.
 */

import { signSlow } from "../arithmetic.ts";
import type { ArrayNode, ConditionalNode, LogicalNode, Node, UnaryNode } from "../ast.ts";
import type { Value } from "../types.ts";
import { elementCount, isArray, recordElementCount } from "../values.ts";
import { compileCall } from "./calls.ts";
import {
  type CompileContext,
  conditional,
  constant,
  type Evaluator,
  requireBoolean,
} from "./context.ts";
import { compileFormulaCall } from "./formula-calls.ts";
import { compileBinary } from "./operators.ts";
import { compileDataPath, compileIndex, compileName } from "./reads.ts";

/** Compiles `node` and everything under it. Throws compile-time FormulaErrors. */
export function compileNode(node: Node, ctx: CompileContext): Evaluator {
  switch (node.kind) {
    case "number":
    case "string":
    case "boolean":
    case "constant":
      return constant(node.value);
    case "null":
      return constant(null);
    case "array":
      return compileArray(node, ctx);
    case "name":
      return compileName(node, ctx);
    case "member":
      return compileDataPath(node, ctx, compileNode);
    case "index":
      return compileIndex(node, ctx, compileNode);
    case "unary":
      return compileUnary(node, ctx);
    case "binary":
      return compileBinary(node, ctx, compileNode);
    case "logical":
      return compileLogical(node, ctx);
    case "conditional":
      return compileConditional(node, ctx);
    case "call":
      return compileCall(node, ctx, compileNode);
    case "formula":
      return compileFormulaCall(node, ctx, compileNode);
  }
}

function compileArray(node: ArrayNode, ctx: CompileContext): Evaluator {
  const items = node.items.map((item) => compileNode(item, ctx));
  const origin = ctx.origin;
  const max = ctx.limits.maxArrayLength;
  return (vars) => {
    const out = new Array<Value>(items.length);
    let count = items.length;
    for (let i = 0; i < items.length; i++) {
      const item = (items[i] as Evaluator)(vars);
      if (isArray(item)) count += elementCount(item);
      out[i] = item;
    }
    if (count > max) {
      throw origin
        .site(node)
        .error(
          "FORMULA_LIMIT",
          `array would hold more than ${max} elements (nested ones counted)`,
          undefined,
          {
            limit: "maxArrayLength",
            value: max,
          },
        );
    }
    recordElementCount(out, count);
    return out;
  };
}

function compileUnary(node: UnaryNode, ctx: CompileContext): Evaluator {
  const operand = compileNode(node.operand, ctx);
  const origin = ctx.origin;
  if (node.op === "not") {
    return (vars) => !requireBoolean(operand(vars), origin, node.operand, "`not`");
  }
  if (node.op === "-") {
    return (vars) => {
      const value = operand(vars);
      return typeof value === "number"
        ? -value
        : signSlow("-", value, origin.site(node), origin.site(node.operand));
    };
  }
  return (vars) => {
    const value = operand(vars);
    return typeof value === "number"
      ? value
      : signSlow("+", value, origin.site(node), origin.site(node.operand));
  };
}

function compileLogical(node: LogicalNode, ctx: CompileContext): Evaluator {
  const left = compileNode(node.left, ctx);
  const right = compileNode(node.right, ctx);
  const origin = ctx.origin;
  if (node.op === "and") {
    return (vars) =>
      requireBoolean(left(vars), origin, node.left, "`and`") &&
      requireBoolean(right(vars), origin, node.right, "`and`");
  }
  return (vars) =>
    requireBoolean(left(vars), origin, node.left, "`or`") ||
    requireBoolean(right(vars), origin, node.right, "`or`");
}

function compileConditional(node: ConditionalNode, ctx: CompileContext): Evaluator {
  return conditional(
    compileNode(node.test, ctx),
    compileNode(node.consequent, ctx),
    compileNode(node.alternate, ctx),
    ctx.origin,
    node.test,
    "the condition of `? :`",
  );
}
