/**
 * Functions over a series (an array in time order): its ends, slices, moving
 * averages, and the least-squares line through it against the index 0..n−1.
 */
import type { CallSite } from "../errors.ts";
import type { Value } from "../types.ts";
import { isArray, recordElementCount } from "../values.ts";
import {
  arrayArg,
  define,
  type FunctionDef,
  finite,
  integerArg,
  numberArg,
  numberArrayArg,
  requireElements,
  stringArg,
} from "./definition.ts";
import { sumOf } from "./statistics.ts";

/** Least-squares slope and intercept of xs against 0..n−1. */
function line(xs: readonly number[]): { slope: number; intercept: number } {
  const n = xs.length;
  const meanIndex = (n - 1) / 2;
  const meanValue = sumOf(xs) / n;
  let covariance = 0;
  let spread = 0;
  for (let i = 0; i < n; i++) {
    covariance += (i - meanIndex) * ((xs[i] ?? 0) - meanValue);
    spread += (i - meanIndex) * (i - meanIndex);
  }
  const slope = covariance / spread;
  return { slope, intercept: meanValue - slope * meanIndex };
}

function end(name: "first" | "last"): FunctionDef {
  return define(name, ["xs"], (args, site) => {
    const xs = arrayArg(args, 0, site);
    requireElements(xs, 1, site);
    return (name === "first" ? xs[0] : xs[xs.length - 1]) ?? null;
  });
}

function sliceCall(args: readonly Value[], site: CallSite): Value {
  const start = integerArg(args, 1, site);
  const stop = args.length > 2 ? integerArg(args, 2, site) : undefined;
  const target = args[0] ?? null;
  if (!isArray(target)) return stringArg(args, 0, site).slice(start, stop);
  const out = target.slice(start, stop);
  if (!out.some(isArray)) recordElementCount(out, out.length);
  return out;
}

function smaCall(args: readonly Value[], site: CallSite): Value {
  const xs = numberArrayArg(args, 0, site);
  const n = integerArg(args, 1, site);
  if (n < 1) throw site.arg(1).error("FORMULA_TYPE", `sma: n must be at least 1, got ${n}`);
  requireElements(xs, n, site);
  return finite(sumOf(xs.slice(xs.length - n)) / n, site);
}

function ewmaCall(args: readonly Value[], site: CallSite): Value {
  const xs = numberArrayArg(args, 0, site);
  const alpha = numberArg(args, 1, site);
  if (!(alpha >= 0 && alpha <= 1)) {
    throw site.arg(1).error("FORMULA_TYPE", `ewma: alpha must be between 0 and 1, got ${alpha}`);
  }
  requireElements(xs, 1, site);
  let smoothed = xs[0] ?? 0;
  for (let i = 1; i < xs.length; i++) smoothed = alpha * (xs[i] ?? 0) + (1 - alpha) * smoothed;
  return finite(smoothed, site);
}

function deltaCall(args: readonly Value[], site: CallSite): Value {
  const xs = numberArrayArg(args, 0, site);
  requireElements(xs, 2, site);
  return finite((xs[xs.length - 1] ?? 0) - (xs[xs.length - 2] ?? 0), site);
}

function slopeCall(args: readonly Value[], site: CallSite): Value {
  const xs = numberArrayArg(args, 0, site);
  requireElements(xs, 2, site);
  return finite(line(xs).slope, site);
}

function forecastCall(args: readonly Value[], site: CallSite): Value {
  const xs = numberArrayArg(args, 0, site);
  const h = numberArg(args, 1, site);
  requireElements(xs, 2, site);
  const { slope, intercept } = line(xs);
  return finite(intercept + slope * (xs.length - 1 + h), site);
}

/** The series functions. */
export const SERIES_FUNCTIONS: readonly FunctionDef[] = [
  end("first"),
  end("last"),
  define("slice", ["xs", "start", "end?"], sliceCall),
  define("sma", ["xs", "n"], smaCall),
  define("ewma", ["xs", "alpha"], ewmaCall),
  define("delta", ["xs"], deltaCall),
  define("slope", ["xs"], slopeCall),
  define("forecast", ["xs", "h"], forecastCall),
];
