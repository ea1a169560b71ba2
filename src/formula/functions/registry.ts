/**
 * The function library: every built-in by name, in a Map, so a name like
 * `constructor` or `__proto__` is simply not a function.
 */
import type { FunctionDef } from "./definition.ts";
import { FINANCE_FUNCTIONS } from "./finance.ts";
import { MATH_FUNCTIONS } from "./math.ts";
import { SERIES_FUNCTIONS } from "./series.ts";
import { STATISTICS_FUNCTIONS } from "./statistics.ts";
import { TEXT_FUNCTIONS } from "./text.ts";

const ALL: readonly FunctionDef[] = [
  ...MATH_FUNCTIONS,
  ...STATISTICS_FUNCTIONS,
  ...SERIES_FUNCTIONS,
  ...FINANCE_FUNCTIONS,
  ...TEXT_FUNCTIONS,
];

/**
 * A Map rather than an object: the names looked up are fresh slices of the
 * source, which a keyed property load would first have to internalize.
 */
const BY_NAME: ReadonlyMap<string, FunctionDef> = new Map(ALL.map((def) => [def.name, def]));

/** The built-in function called `name`, if there is one. */
export function lookupFunction(name: string): FunctionDef | undefined {
  return BY_NAME.get(name);
}

/** Every built-in function name, sorted. */
export const FUNCTION_NAMES: readonly string[] = Object.freeze(ALL.map((def) => def.name).sort());
