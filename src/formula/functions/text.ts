/**
 * Strings and null handling: concat, lower, upper, contains, isnull, and the
 * lazy forms if(c, a, b) and coalesce(a, b, …), which the compiler evaluates
 * itself so that arguments it does not need are never evaluated.
 */
import type { CallSite } from "../errors.ts";
import type { Value } from "../types.ts";
import { isArray, typeName, valuesEqual } from "../values.ts";
import { define, type FunctionDef, stringArg } from "./definition.ts";

/** concat: strings as they are, numbers and booleans as JavaScript prints them. */
function concatCall(args: readonly Value[], site: CallSite): Value {
  let text = "";
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? null;
    if (arg === null) throw site.arg(i).isNull();
    if (isArray(arg)) {
      throw site
        .arg(i)
        .error(
          "FORMULA_TYPE",
          `concat: argument ${i + 1} (\`${site.arg(i).text}\`) is ${typeName(arg)}; concat joins strings, numbers and booleans`,
        );
    }
    text += String(arg);
    if (text.length > site.maxLength) {
      throw site.error(
        "FORMULA_LIMIT",
        `concat would build a string longer than ${site.maxLength} characters`,
        undefined,
        {
          limit: "maxArrayLength",
          value: site.maxLength,
        },
      );
    }
  }
  return text;
}

/** contains(text, part) for strings; contains(array, value) for membership. */
function containsCall(args: readonly Value[], site: CallSite): Value {
  const haystack = args[0] ?? null;
  const needle = args[1] ?? null;
  if (isArray(haystack)) return haystack.some((item) => valuesEqual(item, needle));
  return stringArg(args, 0, site).includes(stringArg(args, 1, site));
}

function ifCall(args: readonly Value[], site: CallSite): Value {
  const test = args[0] ?? null;
  if (typeof test !== "boolean") {
    throw site
      .arg(0)
      .error("FORMULA_TYPE", `if: the condition must be a boolean, got ${typeName(test)}`);
  }
  return (test ? args[1] : args[2]) ?? null;
}

/** The text and logic functions. */
export const TEXT_FUNCTIONS: readonly FunctionDef[] = [
  define("concat", ["x..."], concatCall),
  define("lower", ["text"], (args, site) => stringArg(args, 0, site).toLowerCase()),
  define("upper", ["text"], (args, site) => stringArg(args, 0, site).toUpperCase()),
  define("contains", ["in", "part"], containsCall),
  define("isnull", ["x"], (args) => (args[0] ?? null) === null),
  define("if", ["condition", "then", "else"], ifCall, { lazy: true }),
  define("coalesce", ["x..."], (args) => args.find((arg) => arg !== null) ?? null, { lazy: true }),
];
