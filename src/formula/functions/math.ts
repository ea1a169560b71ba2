/**
 * Math functions. The one-argument ones (and round) apply element-wise to an
 * array of numbers, as arithmetic does; the others take numbers.
 */
import { applyArithmetic } from "../arithmetic.ts";
import type { CallSite } from "../errors.ts";
import type { Value } from "../types.ts";
import { isArray, recordElementCount } from "../values.ts";
import {
  define,
  type FunctionDef,
  finite,
  integerArg,
  numberArg,
  numbersIn,
  numbersOrOneArray,
} from "./definition.ts";

/** Applies `kernel` to a number, or to each number of an array. */
function elementWise(kernel: (x: number) => number): FunctionDef["call"] {
  return (args, site) => {
    const x = args[0] ?? null;
    if (isArray(x)) {
      const out = numbersIn(x, 0, site).map((item) => finite(kernel(item), site));
      recordElementCount(out, out.length);
      return out;
    }
    return finite(kernel(numberArg(args, 0, site)), site);
  };
}

function unary(name: string, kernel: (x: number) => number): FunctionDef {
  return define(name, ["x"], elementWise(kernel), { kernel1: kernel });
}

const sign = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);

/** log(x) is the natural log; log(x, base) any base. */
const logBase = (x: number, base: number): number => Math.log(x) / Math.log(base);

function roundCall(args: readonly Value[], site: CallSite): Value {
  const digits = args.length > 1 ? integerArg(args, 1, site) : 0;
  return elementWise((x) => roundDecimal(x, digits))(args, site);
}

/** Round's kernel: NaN for a non-integer digit count lets `call` report it. */
const roundKernel = (x: number, digits: number): number =>
  Number.isInteger(digits) ? roundDecimal(x, digits) : Number.NaN;

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

function clampCall(args: readonly Value[], site: CallSite): Value {
  const x = numberArg(args, 0, site);
  const lo = numberArg(args, 1, site);
  const hi = numberArg(args, 2, site);
  if (lo > hi) {
    throw site.error("FORMULA_TYPE", `clamp: lo (${lo}) must not be greater than hi (${hi})`);
  }
  return clamp(x, lo, hi);
}

function extremum(name: "min" | "max", pick: (a: number, b: number) => number): FunctionDef {
  return define(
    name,
    ["x..."],
    (args, site) => {
      const xs = numbersOrOneArray(args, site);
      if (xs.length === 0) {
        throw site.error("FORMULA_NON_FINITE", `${name} of an empty array is undefined`);
      }
      return xs.reduce((best, x) => pick(best, x));
    },
    { kernel1: (x) => x, kernel2: pick, kernel3: (x, y, z) => pick(pick(x, y), z) },
  );
}

/** The math functions. */
export const MATH_FUNCTIONS: readonly FunctionDef[] = [
  unary("abs", Math.abs),
  unary("ceil", Math.ceil),
  unary("floor", Math.floor),
  unary("trunc", Math.trunc),
  unary("sign", sign),
  unary("sqrt", Math.sqrt),
  unary("cbrt", Math.cbrt),
  unary("exp", Math.exp),
  unary("ln", Math.log),
  unary("log10", Math.log10),
  unary("log2", Math.log2),
  unary("sin", Math.sin),
  unary("cos", Math.cos),
  unary("tan", Math.tan),
  unary("asin", Math.asin),
  unary("acos", Math.acos),
  unary("atan", Math.atan),
  define(
    "log",
    ["x", "base?"],
    (args, site) => {
      if (args.length === 1) return elementWise(Math.log)(args, site);
      return finite(logBase(numberArg(args, 0, site), numberArg(args, 1, site)), site);
    },
    { kernel1: Math.log, kernel2: logBase },
  ),
  define("round", ["x", "digits?"], roundCall, {
    kernel1: (x) => roundDecimal(x, 0),
    kernel2: roundKernel,
  }),
  define(
    "pow",
    ["x", "y"],
    (args, site) =>
      finite(applyArithmetic("^", numberArg(args, 0, site), numberArg(args, 1, site)), site),
    { kernel2: (x, y) => applyArithmetic("^", x, y) },
  ),
  define(
    "atan2",
    ["y", "x"],
    (args, site) => finite(Math.atan2(numberArg(args, 0, site), numberArg(args, 1, site)), site),
    {
      kernel2: Math.atan2,
    },
  ),
  define(
    "hypot",
    ["x..."],
    (args, site) => finite(Math.hypot(...numbersOrOneArray(args, site)), site),
    {
      kernel1: Math.abs,
      kernel2: (x, y) => Math.hypot(x, y),
      kernel3: (x, y, z) => Math.hypot(x, y, z),
    },
  ),
  define("clamp", ["x", "lo", "hi"], clampCall, {
    kernel3: (x, lo, hi) => (lo > hi ? Number.NaN : clamp(x, lo, hi)),
  }),
  extremum("min", Math.min),
  extremum("max", Math.max),
];

/*
 * round(x[, digits]): half away from zero on the decimal value as written, so
 * round(1.005, 2) = 1.01 even though the double nearest 1.005 is a hair
 * below it. The shortest decimal string of x (what JavaScript prints) is
 * rounded digit by digit, then read back as a number.
 */

/** Rounds `x` to `digits` decimal places (negative digits round to tens, hundreds, …). */
function roundDecimal(x: number, digits: number): number {
  if (x === 0 || !Number.isFinite(x)) return x === 0 ? 0 : x;
  const [mantissa, exponentText] = Math.abs(x).toString().split("e");
  const [whole = "", fraction = ""] = (mantissa ?? "").split(".");
  const all = whole + fraction;
  const leadingZeros = all.length - all.replace(/^0+/, "").length;
  const significant = all.slice(leadingZeros);
  // `pointAt`: how many of the significant digits stand before the decimal point.
  const pointAt = whole.length - leadingZeros + Number(exponentText ?? 0);
  const keep = pointAt + digits;
  if (keep >= significant.length) return x;
  if (keep < 0) return 0;
  let kept = significant.slice(0, keep);
  if (significant.charCodeAt(keep) >= 53) kept = increment(kept);
  if (kept === "" || /^0*$/.test(kept)) return 0;
  const magnitude = Number(`${kept}e${-digits}`);
  return x < 0 ? -magnitude : magnitude;
}

/** Adds one to a string of decimal digits ("" counts as 0). */
function increment(digits: string): string {
  const chars = digits.split("");
  for (let i = chars.length - 1; i >= 0; i--) {
    if (chars[i] !== "9") {
      chars[i] = String(Number(chars[i]) + 1);
      return chars.join("");
    }
    chars[i] = "0";
  }
  return `1${chars.join("")}`;
}
