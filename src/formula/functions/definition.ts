/**
 * What a built-in function is: its name, its parameters (for arity checks and
 * messages), how to evaluate a call, and optional pure numeric kernels that the
 * fast paths use when every argument is a number.
 */
import type { CallSite } from "../errors.ts";
import type { Value } from "../types.ts";

/** A built-in function. */
export interface FunctionDef {
  readonly name: string;
  /** Parameter names; optional ones end in `?`, a last one taking one or more values in `...`. */
  readonly params: readonly string[];
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Evaluates a call from its argument values; fails through `site`. */
  readonly call: (args: readonly Value[], site: CallSite) => Value;
  /**
   * Kernels for all-number arguments. Contract: for finite inputs, a finite
   * kernel result equals what `call` returns; a non-finite result (NaN) means
   * "let `call` decide", which then returns the value or the precise error.
   */
  readonly kernel1?: (x: number) => number;
  readonly kernel2?: (x: number, y: number) => number;
  readonly kernel3?: (x: number, y: number, z: number) => number;
  /** Evaluated by the compiler itself because its arguments are lazy. */
  readonly lazy?: boolean;
  /**
   * The work units a call costs for `elements` array elements in its
   * arguments (see budget.ts); absent: one per element.
   */
  readonly cost?: (elements: number) => number;
}

/** Builds a definition, deriving the arity from the parameter list. */
export function define(
  name: string,
  params: readonly string[],
  call: FunctionDef["call"],
  kernels: Pick<FunctionDef, "kernel1" | "kernel2" | "kernel3" | "lazy" | "cost"> = {},
): FunctionDef {
  const variadic = params.some((p) => p.endsWith("..."));
  return {
    name,
    params,
    minArgs: params.filter((p) => !p.endsWith("?")).length,
    maxArgs: variadic ? Number.POSITIVE_INFINITY : params.length,
    call,
    ...kernels,
  };
}

/** `round(x[, digits])`: the signature as messages and docs show it. */
export function signature(def: FunctionDef): string {
  let text = "";
  let optional = 0;
  def.params.forEach((param, i) => {
    const separator = i === 0 ? "" : ", ";
    if (param.endsWith("?")) {
      text += `[${separator}${param.slice(0, -1)}`;
      optional++;
    } else {
      text += `${separator}${param}`;
    }
  });
  return `${def.name}(${text}${"]".repeat(optional)})`;
}
