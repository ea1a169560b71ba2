/**
 * Compiles fn.NAME calls of other registered formulas: resolved and their
 * arity checked once at compile time; at run time the arguments bind to the
 * callee's parameters by position, and the call nesting is bounded.
 */
import type { FormulaCallNode } from "../ast.ts";
import { CALL_COST, charge } from "../budget.ts";
import { FormulaError } from "../errors.ts";
import { setOwn } from "../params.ts";
import type { CallableFormula, Value, Vars } from "../types.ts";
import { arityText, type CompileNode, compileAll } from "./calls.ts";
import type { CompileContext, Evaluator } from "./context.ts";

function resolveFormula(node: FormulaCallNode, ctx: CompileContext): CallableFormula {
  const callee = ctx.resolve?.(node.name);
  if (callee === undefined) {
    throw ctx.error(
      "FORMULA_UNKNOWN_FUNCTION",
      node.start,
      `unknown formula \`fn.${node.name}\``,
      undefined,
      {
        formula: node.name,
      },
    );
  }
  const required = callee.params.reduce(
    (last, param, i) => (param.default === undefined ? i + 1 : last),
    0,
  );
  const count = node.args.length;
  if (count < required || count > callee.params.length) {
    const names = callee.params.map((param) =>
      param.default === undefined ? param.name : `${param.name}?`,
    );
    throw ctx.error(
      "FORMULA_ARITY",
      node.start,
      `\`fn.${node.name}\` takes ${arityText(required, callee.params.length)}, got ${count}`,
      `usage: fn.${node.name}(${names.join(", ")})`,
      { formula: node.name, expected: { min: required, max: callee.params.length }, got: count },
    );
  }
  return callee;
}

/**
 * How many fn.NAME calls are being evaluated, one inside another. Registered
 * formulas cannot call each other in a cycle, but a long enough chain could
 * still exhaust the stack; this bounds it.
 */
let callDepth = 0;
const MAX_CALL_DEPTH = 32;

/** Compiles fn.NAME(args): arguments bind to the callee's parameters by position. */
export function compileFormulaCall(
  node: FormulaCallNode,
  ctx: CompileContext,
  compile: CompileNode,
): Evaluator {
  const callee = resolveFormula(node, ctx);
  ctx.calledWeight += callee.formula.weight + CALL_COST;
  const args = compileAll(node.args, ctx, compile);
  const names = callee.params.slice(0, args.length).map((param) => param.name);
  const origin = ctx.origin;
  const formula = callee.formula;
  return (vars: Vars) => {
    const inputs: Record<string, Value> = {};
    for (let i = 0; i < args.length; i++) {
      setOwn(inputs, names[i] as string, (args[i] as Evaluator)(vars));
    }
    if (callDepth >= MAX_CALL_DEPTH) {
      const message = `formula calls nest more than ${MAX_CALL_DEPTH} deep`;
      const details = { limit: "calls", value: MAX_CALL_DEPTH };
      throw origin.site(node).error("FORMULA_LIMIT", message, undefined, details);
    }
    charge(CALL_COST);
    callDepth++;
    try {
      return formula.evaluate(inputs);
    } catch (error) {
      if (!(error instanceof FormulaError)) throw error;
      const details: Record<string, unknown> = { ...error.details, formula: node.name };
      if (error.position !== undefined) details.formulaPosition = error.position;
      const message = `in fn.${node.name}: ${error.message}`;
      throw origin.site(node).error(error.code, message, error.hint, details);
    } finally {
      callDepth--;
    }
  };
}
