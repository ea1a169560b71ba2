/**
 * Plain operations on values: naming their types, deep equality, and the
 * element count that the array limit is checked against.
 */
import { charge, elementWiseCost } from "./budget.ts";
import type { Value } from "./types.ts";

/** Array.isArray, typed for values (the built-in narrows to `any[]`). */
export function isArray(value: Value): value is readonly Value[] {
  return Array.isArray(value);
}

/** The type of a value as messages name it. */
export function typeName(value: Value): string {
  if (value === null) return "null";
  if (isArray(value)) return "an array";
  switch (typeof value) {
    case "number":
      return "a number";
    case "string":
      return "a string";
    default:
      return "a boolean";
  }
}

/** Equality without coercion: different types are unequal, arrays compare element by element. */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (!isArray(a) || !isArray(b) || a.length !== b.length) return false;
  charge(elementWiseCost(a.length));
  for (let i = 0; i < a.length; i++) {
    if (!valuesEqual(a[i] ?? null, b[i] ?? null)) return false;
  }
  return true;
}

/**
 * Element counts of arrays, nested elements included. Cached per array so that
 * an array built from copies of the same array (`[xs, xs]`, or through nested
 * formula calls) is counted in time proportional to what was built, not to
 * its fully expanded size, which could be exponential.
 */
const sizes = new WeakMap<readonly Value[], number>();

/** The number of elements of `array`, counting nested arrays' elements too. */
export function elementCount(array: readonly Value[]): number {
  const cached = sizes.get(array);
  if (cached !== undefined) return cached;
  let count = array.length;
  for (const item of array) {
    if (isArray(item)) count += elementCount(item);
  }
  sizes.set(array, count);
  return count;
}

/** Records the element count of an array just built or checked. */
export function recordElementCount(array: readonly Value[], count: number): void {
  sizes.set(array, count);
}

/** True if the value is an array whose elements are all numbers. */
export function isNumberArray(value: Value): value is readonly number[] {
  if (!isArray(value)) return false;
  for (const item of value) if (typeof item !== "number") return false;
  return true;
}
