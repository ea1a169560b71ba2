/**
 * Compiles calls of built-in functions: arity checked here, at compile time;
 * the lazy ones if() and coalesce() evaluated here. Calls of other
 * registered formulas (fn.NAME) are in formula-calls.ts.
 */
import type { CallNode, Node } from "../ast.ts";
import { ARRAY_CALL_COST, charge, elementsCost } from "../budget.ts";
import { CallSite, type Origin } from "../errors.ts";
import { type FunctionDef, signature } from "../functions/definition.ts";
import { lookupFunction, unknownFunctionHint } from "../functions/library.ts";
import type { Value } from "../types.ts";
import { type CompileContext, conditional, type Evaluator } from "./context.ts";
import { compileOperand, type Operand, readName } from "./reads.ts";

export type CompileNode = (node: Node, ctx: CompileContext) => Evaluator;

/**
 * A call's site. Each call's closure builds it the first time the function's
 * general code runs (which is where errors happen) and keeps it in a
 * variable of its own (`site ??= callSite(…)`): most calls never need one.
 */
function callSite(origin: Origin, node: CallNode, def: FunctionDef): CallSite {
  return new CallSite(origin, node, def.name, node.args);
}

export function arityText(min: number, max: number): string {
  if (max === Number.POSITIVE_INFINITY) return `at least ${min} argument${min === 1 ? "" : "s"}`;
  if (min === max) return `${min} argument${min === 1 ? "" : "s"}`;
  return `${min} to ${max} arguments`;
}

function lookup(node: CallNode, ctx: CompileContext): FunctionDef {
  const def = lookupFunction(node.callee);
  if (def === undefined) {
    const { suggestion, hint } = unknownFunctionHint(node.callee);
    const message = `unknown function \`${node.callee}\`${suggestion === undefined ? "" : `; did you mean \`${suggestion}\`?`}`;
    throw ctx.error("FORMULA_UNKNOWN_FUNCTION", node.start, message, hint, { name: node.callee });
  }
  const count = node.args.length;
  if (count < def.minArgs || count > def.maxArgs) {
    throw ctx.error(
      "FORMULA_ARITY",
      node.start,
      `\`${def.name}\` takes ${arityText(def.minArgs, def.maxArgs)}, got ${count}`,
      `usage: ${signature(def)}`,
      {
        name: def.name,
        expected: {
          min: def.minArgs,
          max: def.maxArgs === Number.POSITIVE_INFINITY ? null : def.maxArgs,
        },
        got: count,
      },
    );
  }
  return def;
}

/** Compiles a call of a built-in function. */
export function compileCall(node: CallNode, ctx: CompileContext, compile: CompileNode): Evaluator {
  const def = lookup(node, ctx);
  const args = node.args;
  if (def.name === "if") {
    // Arity was checked: there are exactly three.
    const [testNode, thenNode, otherwiseNode] = args as [Node, Node, Node];
    const test = compile(testNode, ctx);
    const then = compile(thenNode, ctx);
    const otherwise = compile(otherwiseNode, ctx);
    return conditional(test, then, otherwise, ctx.origin, testNode, "if");
  }
  if (def.name === "coalesce") return coalesce(compileAll(args, ctx, compile));
  const origin = ctx.origin;
  // All-number calls go straight to a kernel when the function has one for this many
  // arguments; those are compiled one by one, without an array to hold them.
  const a = args[0];
  const b = args[1];
  const c = args[2];
  if (args.length === 1 && a !== undefined && def.kernel1 !== undefined) {
    return kernel1(def, def.kernel1, compileOperand(a, ctx, compile), node, origin);
  }
  if (args.length === 2 && a !== undefined && b !== undefined && def.kernel2 !== undefined) {
    const x = compileOperand(a, ctx, compile);
    const y = compileOperand(b, ctx, compile);
    return kernel2(def, def.kernel2, x, y, node, origin);
  }
  if (
    args.length === 3 &&
    a !== undefined &&
    b !== undefined &&
    c !== undefined &&
    def.kernel3 !== undefined
  ) {
    const x = compile(a, ctx);
    const y = compile(b, ctx);
    return kernel3(def, def.kernel3, x, y, compile(c, ctx), node, origin);
  }
  return generalCall(def, compileAll(args, ctx, compile), node, origin);
}

function coalesce(args: readonly Evaluator[]): Evaluator {
  return (vars) => {
    for (const arg of args) {
      const value = arg(vars);
      if (value !== null) return value;
    }
    return null;
  };
}

/** Compiles each of `nodes`, in order (a loop, not `map`: no closure to allocate). */
export function compileAll(
  nodes: readonly Node[],
  ctx: CompileContext,
  compile: CompileNode,
): Evaluator[] {
  const out = new Array<Evaluator>(nodes.length);
  for (let i = 0; i < nodes.length; i++) out[i] = compile(nodes[i] as Node, ctx);
  return out;
}

/**
 * A call with a kernel: all-number arguments go straight to the kernel;
 * anything else, or a non-finite kernel result, to `call`. One builder per
 * arity, so that each closure's context holds only what it uses; with one
 * or two arguments, plain names are read in place (see compileOperand), with
 * a closure for each combination.
 */
function kernel1(
  def: FunctionDef,
  kernel: (x: number) => number,
  a: Operand,
  node: CallNode,
  origin: Origin,
): Evaluator {
  let site: CallSite | undefined;
  if (typeof a === "function") {
    return (vars) => {
      const x = a(vars);
      const result = result1(kernel, x);
      if (result !== undefined) return result;
      site ??= callSite(origin, node, def);
      return callCharged(def, [x], site);
    };
  }
  return (vars) => {
    const x = readName(vars, a, origin);
    const result = result1(kernel, x);
    if (result !== undefined) return result;
    site ??= callSite(origin, node, def);
    return callCharged(def, [x], site);
  };
}

/** The kernel's result for a number, or undefined when `call` must decide. */
function result1(kernel: (x: number) => number, x: Value): number | undefined {
  if (typeof x !== "number") return undefined;
  const result = kernel(x);
  return result - result === 0 ? result : undefined;
}

function kernel2(
  def: FunctionDef,
  kernel: (x: number, y: number) => number,
  a: Operand,
  b: Operand,
  node: CallNode,
  origin: Origin,
): Evaluator {
  let site: CallSite | undefined;
  if (typeof a === "function") {
    if (typeof b === "function") {
      return (vars) => {
        const x = a(vars);
        const y = b(vars);
        const result = result2(kernel, x, y);
        if (result !== undefined) return result;
        site ??= callSite(origin, node, def);
        return callCharged(def, [x, y], site);
      };
    }
    return (vars) => {
      const x = a(vars);
      const y = readName(vars, b, origin);
      const result = result2(kernel, x, y);
      if (result !== undefined) return result;
      site ??= callSite(origin, node, def);
      return callCharged(def, [x, y], site);
    };
  }
  if (typeof b === "function") {
    return (vars) => {
      const x = readName(vars, a, origin);
      const y = b(vars);
      const result = result2(kernel, x, y);
      if (result !== undefined) return result;
      site ??= callSite(origin, node, def);
      return callCharged(def, [x, y], site);
    };
  }
  return (vars) => {
    const x = readName(vars, a, origin);
    const y = readName(vars, b, origin);
    const result = result2(kernel, x, y);
    if (result !== undefined) return result;
    site ??= callSite(origin, node, def);
    return callCharged(def, [x, y], site);
  };
}

/** The kernel's result for two numbers, or undefined when `call` must decide. */
function result2(kernel: (x: number, y: number) => number, x: Value, y: Value): number | undefined {
  if (typeof x !== "number" || typeof y !== "number") return undefined;
  const result = kernel(x, y);
  return result - result === 0 ? result : undefined;
}

function kernel3(
  def: FunctionDef,
  kernel: (x: number, y: number, z: number) => number,
  a: Evaluator,
  b: Evaluator,
  c: Evaluator,
  node: CallNode,
  origin: Origin,
): Evaluator {
  let site: CallSite | undefined;
  return (vars) => {
    const x = a(vars);
    const y = b(vars);
    const z = c(vars);
    if (typeof x === "number" && typeof y === "number" && typeof z === "number") {
      const result = kernel(x, y, z);
      if (result - result === 0) return result;
    }
    site ??= callSite(origin, node, def);
    return callCharged(def, [x, y, z], site);
  };
}

/**
 * Calls `def` after counting the array elements it is given against the
 * work budget (its own cost for them when it sorts or iterates).
 */
function callCharged(def: FunctionDef, values: readonly Value[], site: CallSite): Value {
  let elements = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (Array.isArray(value)) elements += value.length;
  }
  if (elements > 0) {
    charge(
      ARRAY_CALL_COST + (def.cost === undefined ? elementsCost(elements) : def.cost(elements)),
    );
  }
  return def.call(values, site);
}

function generalCall(
  def: FunctionDef,
  args: readonly Evaluator[],
  node: CallNode,
  origin: Origin,
): Evaluator {
  let site: CallSite | undefined;
  return (vars) => {
    const values = new Array<Value>(args.length);
    for (let i = 0; i < args.length; i++) values[i] = (args[i] as Evaluator)(vars);
    site ??= callSite(origin, node, def);
    return callCharged(def, values, site);
  };
}
