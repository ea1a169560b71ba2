/**
 * What a built-in function is: its name, its parameters (for arity checks and
 * messages), how to evaluate a call, and optional pure numeric kernels that the
 * fast paths use when every argument is a number. And the checks of the
 * arguments every built-in reads through (numberArg, stringArg, …).
 */
import type { CallSite } from "../errors.ts";
import type { Value } from "../types.ts";
import { isArray, typeName } from "../values.ts";

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

/*
 * Checking the arguments of a built-in function. No coercion: a number
 * parameter takes a number; null is FORMULA_NULL naming the argument (so the
 * message can suggest coalesce), anything else FORMULA_TYPE.
 */

function wrongType(site: CallSite, i: number, expected: string, got: Value) {
  const arg = site.arg(i);
  return arg.error(
    "FORMULA_TYPE",
    `${site.name}: argument ${i + 1} (\`${arg.text}\`) must be ${expected}, got ${typeName(got)}`,
  );
}

/** Argument `i` as a number. */
export function numberArg(args: readonly Value[], i: number, site: CallSite): number {
  const value = args[i] ?? null;
  if (typeof value === "number") return value;
  if (value === null) throw site.arg(i).isNull();
  throw wrongType(site, i, "a number", value);
}

/** Argument `i` as a number, or `fallback` when the call leaves it out. */
export function optionalNumberArg(
  args: readonly Value[],
  i: number,
  site: CallSite,
  fallback: number,
): number {
  return i < args.length ? numberArg(args, i, site) : fallback;
}

/** Argument `i` as an integer. */
export function integerArg(args: readonly Value[], i: number, site: CallSite): number {
  const value = numberArg(args, i, site);
  if (Number.isInteger(value)) return value;
  throw site
    .arg(i)
    .error(
      "FORMULA_TYPE",
      `${site.name}: argument ${i + 1} (\`${site.arg(i).text}\`) must be an integer, got ${value}`,
    );
}

/** Argument `i` as a string. */
export function stringArg(args: readonly Value[], i: number, site: CallSite): string {
  const value = args[i] ?? null;
  if (typeof value === "string") return value;
  if (value === null) throw site.arg(i).isNull();
  throw wrongType(site, i, "a string", value);
}

/** Argument `i` as an array. */
export function arrayArg(args: readonly Value[], i: number, site: CallSite): readonly Value[] {
  const value = args[i] ?? null;
  if (isArray(value)) return value;
  if (value === null) throw site.arg(i).isNull();
  throw wrongType(site, i, "an array", value);
}

/** The elements of `array` (argument `i`), each required to be a number. */
export function numbersIn(array: readonly Value[], i: number, site: CallSite): readonly number[] {
  for (let k = 0; k < array.length; k++) {
    const item = array[k] ?? null;
    if (typeof item === "number") continue;
    const arg = site.arg(i);
    if (item === null) {
      throw arg.error(
        "FORMULA_NULL",
        `${site.name}: element ${k} of \`${arg.text}\` is null`,
        "remove nulls or replace them with coalesce",
      );
    }
    throw arg.error(
      "FORMULA_TYPE",
      `${site.name}: element ${k} of \`${arg.text}\` must be a number, got ${typeName(item)}`,
    );
  }
  // Every element was just checked to be a number.
  return array as readonly number[];
}

/** Argument `i` as an array of numbers. */
export function numberArrayArg(
  args: readonly Value[],
  i: number,
  site: CallSite,
): readonly number[] {
  return numbersIn(arrayArg(args, i, site), i, site);
}

/** For min/max/hypot: either numbers, or a single array of numbers. */
export function numbersOrOneArray(args: readonly Value[], site: CallSite): readonly number[] {
  if (args.length === 1 && isArray(args[0] ?? null)) return numberArrayArg(args, 0, site);
  for (let i = 0; i < args.length; i++) numberArg(args, i, site);
  // Every argument was just checked to be a number.
  return args as readonly number[];
}

/** Fails FORMULA_NON_FINITE unless `array` has at least `count` elements. */
export function requireElements(array: readonly Value[], count: number, site: CallSite): void {
  if (array.length >= count) return;
  const needs = count === 1 ? "at least 1 element" : `at least ${count} elements`;
  throw site.error(
    "FORMULA_NON_FINITE",
    `${site.name} needs ${needs}; \`${site.arg(0).text}\` has ${array.length}, so the result is undefined`,
  );
}

/** `value` if finite, else FORMULA_NON_FINITE at the call. */
export function finite(value: number, site: CallSite): number {
  if (value - value === 0) return value;
  throw site.nonFinite(`the result of ${site.name}(…)`);
}
