/**
 * The registered formulas a source calls, read from its syntax tree before
 * anything is compiled: a caller (the formula registry, a goal) loads those
 * callees first, then compiles with a resolver over them.
 */
import { FormulaError } from "./errors.ts";
import { DEFAULT_LIMITS } from "./limits.ts";
import { collectMetadata } from "./metadata.ts";
import { parse } from "./parse/parser.ts";

const NONE: readonly string[] = Object.freeze([]);

/**
 * The formulas `source` calls as `fn.NAME(…)`, sorted and without duplicates,
 * wherever the calls are (nested in arguments, across lines). Text that only
 * looks like a call, such as `"fn.x(1)"` inside a string literal, is not one.
 * A source that does not parse (under the default limits) calls nothing:
 * compiling it reports the error with its position.
 *
 * Every call is written with the keyword `fn`, so a source without those two
 * letters is not parsed at all: compiling it is the only parse it gets.
 */
export function referencedFormulas(source: string): readonly string[] {
  if (typeof source !== "string" || !source.includes("fn")) return NONE;
  try {
    return collectMetadata(parse(source, DEFAULT_LIMITS)).formulas;
  } catch (error) {
    if (error instanceof FormulaError) return NONE;
    throw error;
  }
}
