/**
 * Hints for unknown functions: names people bring from spreadsheets and other
 * languages, then edit distance over the real names.
 */
import { suggest } from "../errors.ts";
import { FUNCTION_NAMES } from "./library.ts";

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
