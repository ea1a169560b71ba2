/**
 * Statistics over arrays of numbers, with spreadsheet conventions: sample
 * (n−1) variance and standard deviation, PERCENTILE.INC, mode smallest on ties.
 * A statistic of too few elements is undefined, like 0/0, so it fails
 * FORMULA_NON_FINITE (and becomes null when the caller asks for nulls).
 */
import { sortCost } from "../budget.ts";
import type { CallSite } from "../errors.ts";
import type { Value } from "../types.ts";
import { isArray } from "../values.ts";
import {
  define,
  type FunctionDef,
  finite,
  numberArg,
  numberArrayArg,
  requireElements,
  stringArg,
} from "./definition.ts";

/** Plain left-to-right sum, as a spreadsheet computes it. */
export function sumOf(xs: readonly number[]): number {
  let total = 0;
  for (const x of xs) total += x;
  return total;
}

function meanOf(xs: readonly number[]): number {
  return sumOf(xs) / xs.length;
}

/** Sample variance, two-pass for accuracy. */
function varianceOf(xs: readonly number[]): number {
  const mean = meanOf(xs);
  let squares = 0;
  for (const x of xs) squares += (x - mean) * (x - mean);
  return squares / (xs.length - 1);
}

/** Ascending; a typed array sorts numbers natively, several times faster than a comparator. */
function sorted(xs: readonly number[]): Float64Array {
  return Float64Array.from(xs).sort();
}

/** PERCENTILE.INC: linear interpolation between the closest ranks. */
function percentileOf(xs: readonly number[], p: number): number {
  const ordered = sorted(xs);
  const rank = p * (ordered.length - 1);
  const below = Math.floor(rank);
  const low = ordered[below] ?? 0;
  const high = ordered[Math.min(below + 1, ordered.length - 1)] ?? low;
  return low + (rank - below) * (high - low);
}

function modeOf(xs: readonly number[]): number {
  const counts = new Map<number, number>();
  let best = Number.NaN;
  let bestCount = 0;
  for (const x of xs) {
    const count = (counts.get(x) ?? 0) + 1;
    counts.set(x, count);
    if (count > bestCount || (count === bestCount && x < best)) {
      best = x;
      bestCount = count;
    }
  }
  return best;
}

/** A statistic of one array argument needing at least `min` elements. */
function statistic(
  name: string,
  min: number,
  compute: (xs: readonly number[]) => number,
  cost?: (elements: number) => number,
): FunctionDef {
  const options = cost === undefined ? {} : { cost };
  return define(
    name,
    ["xs"],
    (args, site) => {
      const xs = numberArrayArg(args, 0, site);
      requireElements(xs, min, site);
      return finite(compute(xs), site);
    },
    options,
  );
}

function lenCall(args: readonly Value[], site: CallSite): Value {
  const value = args[0] ?? null;
  if (isArray(value)) return value.length;
  return stringArg(args, 0, site).length;
}

function percentileCall(args: readonly Value[], site: CallSite): Value {
  const xs = numberArrayArg(args, 0, site);
  const p = numberArg(args, 1, site);
  if (!(p >= 0 && p <= 1)) {
    throw site
      .arg(1)
      .error(
        "FORMULA_TYPE",
        `percentile: p must be between 0 and 1, got ${p}`,
        "use 0.9 for the 90th percentile",
      );
  }
  requireElements(xs, 1, site);
  return finite(percentileOf(xs, p), site);
}

function zscoreCall(args: readonly Value[], site: CallSite): Value {
  const x = numberArg(args, 0, site);
  const xs = numberArrayArg(args, 1, site);
  if (xs.length < 2) {
    throw site.error(
      "FORMULA_NON_FINITE",
      `zscore needs at least 2 elements in \`${site.arg(1).text}\`; it has ${xs.length}`,
    );
  }
  return finite((x - meanOf(xs)) / Math.sqrt(varianceOf(xs)), site);
}

/** The statistics functions (min and max live with the math functions). */
export const STATISTICS_FUNCTIONS: readonly FunctionDef[] = [
  define("len", ["xs"], lenCall),
  define("sum", ["xs"], (args, site) => finite(sumOf(numberArrayArg(args, 0, site)), site)),
  statistic("mean", 1, meanOf),
  statistic("median", 1, (xs) => percentileOf(xs, 0.5), sortCost),
  statistic("mode", 1, modeOf),
  statistic("variance", 2, varianceOf),
  statistic("stdev", 2, (xs) => Math.sqrt(varianceOf(xs))),
  define("percentile", ["xs", "p"], percentileCall, { cost: sortCost }),
  define("zscore", ["x", "xs"], zscoreCall),
];
