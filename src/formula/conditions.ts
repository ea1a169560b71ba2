/**
 * Conditions: the operands of `and`, `or`, `not` and the test of `? :` and
 * if() must be booleans; nothing is truthy or falsy by coercion.
 */
import type { Node } from "./ast.ts";
import type { Evaluator } from "./compile/context.ts";
import type { Origin } from "./errors.ts";
import type { Value, Vars } from "./types.ts";
import { typeName } from "./values.ts";

/** `value` if it is a boolean, or FORMULA_TYPE naming what needed one. */
export function requireBoolean(value: Value, origin: Origin, node: Node, what: string): boolean {
  if (typeof value === "boolean") return value;
  const site = origin.site(node);
  const hint =
    value === null ? `\`${site.text}\` is null; use coalesce(${site.text}, false)` : undefined;
  throw site.error(
    "FORMULA_TYPE",
    `${what} needs a boolean, but \`${site.text}\` is ${typeName(value)}`,
    hint,
  );
}

/** `test ? consequent : alternate`, evaluating only the branch taken (also if()). */
export function conditional(
  test: Evaluator,
  consequent: Evaluator,
  alternate: Evaluator,
  origin: Origin,
  testNode: Node,
  what: string,
): Evaluator {
  return (vars: Vars) => {
    const value = test(vars);
    if (value === true) return consequent(vars);
    if (value === false) return alternate(vars);
    return requireBoolean(value, origin, testNode, what);
  };
}
