/**
 * Checking the arguments of a built-in function. No coercion: a number
 * parameter takes a number; null is FORMULA_NULL naming the argument (so the
 * message can suggest coalesce), anything else FORMULA_TYPE.
 */
import type { CallSite } from "../errors.ts";
import type { Value } from "../types.ts";
import { isArray, typeName } from "../values.ts";

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
