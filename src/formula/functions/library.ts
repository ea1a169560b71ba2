/**
 * The function library: every built-in by name, so a name like
 * `constructor` or `__proto__` is simply not a function, and the hints for
 * a name that is not one.
 */
import { suggest } from "../errors.ts";
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
 * The functions in an open-addressing table keyed by a hash of their name,
 * rather than in a Map or an object: the names looked up are fresh slices of
 * the source, which V8 would first have to hash (or internalize) itself, at
 * several times the cost of this short loop over a name's characters. A
 * table, not an object, so `constructor` or `__proto__` is simply not found.
 */
const SLOTS = 256;
const TABLE: (FunctionDef | undefined)[] = new Array<FunctionDef | undefined>(SLOTS).fill(
  undefined,
);

/** The first slot to probe for `name`. */
function slotOf(name: string): number {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (Math.imul(hash, 31) + name.charCodeAt(i)) | 0;
  return hash & (SLOTS - 1);
}

for (const def of ALL) {
  let slot = slotOf(def.name);
  while (TABLE[slot] !== undefined && TABLE[slot]?.name !== def.name)
    slot = (slot + 1) & (SLOTS - 1);
  TABLE[slot] = def;
}

/** The built-in function called `name`, if there is one. */
export function lookupFunction(name: string): FunctionDef | undefined {
  for (let slot = slotOf(name); ; slot = (slot + 1) & (SLOTS - 1)) {
    const def = TABLE[slot];
    if (def === undefined || def.name === name) return def;
  }
}

/** Every built-in function name, sorted. */
export const FUNCTION_NAMES: readonly string[] = Object.freeze(ALL.map((def) => def.name).sort());

/*
 * Hints for unknown functions: names people bring from spreadsheets and other
 * languages, then edit distance over the real names.
 */

/** Known names from elsewhere and what to use here. */
const ALIASES: Readonly<Record<string, string>> = {
  avg: "mean",
  average: "mean",
  length: "len",
  count: "len",
  size: "len",
  stddev: "stdev",
  std: "stdev",
  var: "variance",
  med: "median",
  quantile: "percentile",
  loge: "ln",
  lg: "log10",
  power: "pow",
  ceiling: "ceil",
  int: "trunc",
  substr: "slice",
  substring: "slice",
  includes: "contains",
  concatenate: "concat",
  tolower: "lower",
  toupper: "upper",
  lowercase: "lower",
  uppercase: "upper",
  ifnull: "coalesce",
  nvl: "coalesce",
  iif: "if",
  ifelse: "if",
  ema: "ewma",
  ma: "sma",
  diff: "delta",
  trend: "forecast",
};

/** Names that are operators here rather than functions. */
const OPERATORS: Readonly<Record<string, string>> = {
  mod: "use the `%` operator: `a % b`",
};

/** A hint for a call of an unknown function `name`, if there is a good one. */
export function unknownFunctionHint(name: string): { suggestion?: string; hint?: string } {
  const lower = name.toLowerCase();
  const operator = Object.hasOwn(OPERATORS, lower) ? OPERATORS[lower] : undefined;
  if (operator !== undefined) return { hint: operator };
  const alias = Object.hasOwn(ALIASES, lower) ? ALIASES[lower] : undefined;
  const suggestion = alias ?? suggest(name, FUNCTION_NAMES);
  if (suggestion === undefined) return {};
  return { suggestion, hint: `did you mean \`${suggestion}\`?` };
}
