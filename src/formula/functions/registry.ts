/**
 * The function library: every built-in by name, in a null-prototype map so a
 * name like `constructor` or `__proto__` is simply not a function.
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

const BY_NAME: Record<string, FunctionDef> = Object.create(null);
for (const def of ALL) BY_NAME[def.name] = def;

/** The built-in function called `name`, if there is one. */
export function lookupFunction(name: string): FunctionDef | undefined {
  return BY_NAME[name];
}

/** Every built-in function name, sorted. */
export const FUNCTION_NAMES: readonly string[] = Object.freeze(ALL.map((def) => def.name).sort());
