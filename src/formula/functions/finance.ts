/**
 * Finance functions with spreadsheet signatures, signs and defaults: money
 * paid out is negative, `type` 0 means payments at the end of each period and
 * 1 at the beginning, and a rate of 0 uses the limit of each formula.
 */
import type { CallSite } from "../errors.ts";
import type { Value } from "../types.ts";
import { isArray } from "../values.ts";
import {
  define,
  type FunctionDef,
  finite,
  numberArg,
  numberArrayArg,
  numbersIn,
  optionalNumberArg,
} from "./definition.ts";

/** Argument `i` as a payment timing: 0 (end of period, the default) or 1 (beginning). */
function typeArg(args: readonly Value[], i: number, site: CallSite): number {
  const type = optionalNumberArg(args, i, site, 0);
  if (type === 0 || type === 1) return type;
  throw site
    .arg(i)
    .error(
      "FORMULA_TYPE",
      `${site.name}: type must be 0 (end of period) or 1 (beginning), got ${type}`,
    );
}

/** Reads (rate, n, a, b = 0, type = 0), the shape shared by pmt, fv, pv and nper. */
function fiveArgs(
  args: readonly Value[],
  site: CallSite,
): [number, number, number, number, number] {
  return [
    numberArg(args, 0, site),
    numberArg(args, 1, site),
    numberArg(args, 2, site),
    optionalNumberArg(args, 3, site, 0),
    typeArg(args, 4, site),
  ];
}

/** PMT(rate, nper, pv, fv, type): the payment per period. */
export function pmt(rate: number, nper: number, pv: number, fv: number, type: number): number {
  if (rate === 0) return -(pv + fv) / nper;
  const growth = (1 + rate) ** nper;
  return -(rate * (pv * growth + fv)) / ((1 + rate * type) * (growth - 1));
}

/** FV(rate, nper, pmt, pv, type): the value after nper periods. */
export function fv(rate: number, nper: number, payment: number, pv: number, type: number): number {
  if (rate === 0) return -(pv + payment * nper);
  const growth = (1 + rate) ** nper;
  return -(pv * growth + (payment * (1 + rate * type) * (growth - 1)) / rate);
}

/** PV(rate, nper, pmt, fv, type): the value today. */
export function pv(
  rate: number,
  nper: number,
  payment: number,
  future: number,
  type: number,
): number {
  if (rate === 0) return -(future + payment * nper);
  const growth = (1 + rate) ** nper;
  return -(future + (payment * (1 + rate * type) * (growth - 1)) / rate) / growth;
}

/** NPER(rate, pmt, pv, fv, type): the number of periods. */
export function nper(
  rate: number,
  payment: number,
  present: number,
  future: number,
  type: number,
): number {
  if (rate === 0) return -(present + future) / payment;
  const scaled = (payment * (1 + rate * type)) / rate;
  return Math.log((scaled - future) / (scaled + present)) / Math.log(1 + rate);
}

/** NPV: the first value is discounted one period. */
export function npv(rate: number, values: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += (values[i] ?? 0) / (1 + rate) ** (i + 1);
  return total;
}

/** Net present value with the first value at time 0, and its derivative in the rate. */
function presentValue(values: readonly number[], rate: number): [number, number] {
  let value = 0;
  let derivative = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? 0;
    value += v / (1 + rate) ** i;
    derivative -= (i * v) / (1 + rate) ** (i + 1);
  }
  return [value, derivative];
}

/** IRR: Newton's method from the guess, then bisection over a bracketing grid. NaN if none converges. */
export function irr(values: readonly number[], guess: number): number {
  let rate = guess;
  for (let step = 0; step < 100 && rate > -1; step++) {
    const [value, derivative] = presentValue(values, rate);
    const next = rate - value / derivative;
    if (!Number.isFinite(next)) break;
    if (Math.abs(next - rate) <= 1e-12 * Math.max(1, Math.abs(next))) return next;
    rate = next;
  }
  const grid = [-0.999999, -0.99, -0.9, -0.5, -0.2, 0, 0.1, 0.2, 0.5, 1, 2, 5, 10, 100, 1000, 1e6];
  for (let i = 0; i + 1 < grid.length; i++) {
    let low = grid[i] ?? 0;
    let high = grid[i + 1] ?? 0;
    let lowValue = presentValue(values, low)[0];
    if (Math.sign(lowValue) === Math.sign(presentValue(values, high)[0])) continue;
    for (let step = 0; step < 200; step++) {
      const mid = (low + high) / 2;
      const midValue = presentValue(values, mid)[0];
      if (Math.sign(midValue) === Math.sign(lowValue)) {
        low = mid;
        lowValue = midValue;
      } else {
        high = mid;
      }
    }
    return (low + high) / 2;
  }
  return Number.NaN;
}

function npvCall(args: readonly Value[], site: CallSite): Value {
  const rate = numberArg(args, 0, site);
  const values: number[] = [];
  for (let i = 1; i < args.length; i++) {
    const arg = args[i] ?? null;
    if (isArray(arg)) values.push(...numbersIn(arg, i, site));
    else values.push(numberArg(args, i, site));
  }
  return finite(npv(rate, values), site);
}

function irrCall(args: readonly Value[], site: CallSite): Value {
  const values = numberArrayArg(args, 0, site);
  const guess = optionalNumberArg(args, 1, site, 0.1);
  if (!values.some((v) => v > 0) || !values.some((v) => v < 0)) {
    throw site.error(
      "FORMULA_NON_FINITE",
      "irr needs at least one negative and one positive cash flow",
    );
  }
  const rate = irr(values, guess);
  if (Number.isFinite(rate)) return rate;
  throw site.error(
    "FORMULA_NON_FINITE",
    "irr did not converge",
    "try another guess: irr(values, guess)",
  );
}

/** The finance functions. */
export const FINANCE_FUNCTIONS: readonly FunctionDef[] = [
  define("pmt", ["rate", "nper", "pv", "fv?", "type?"], (args, site) =>
    finite(pmt(...fiveArgs(args, site)), site),
  ),
  define("fv", ["rate", "nper", "pmt", "pv?", "type?"], (args, site) =>
    finite(fv(...fiveArgs(args, site)), site),
  ),
  define("pv", ["rate", "nper", "pmt", "fv?", "type?"], (args, site) =>
    finite(pv(...fiveArgs(args, site)), site),
  ),
  define("nper", ["rate", "pmt", "pv", "fv?", "type?"], (args, site) =>
    finite(nper(...fiveArgs(args, site)), site),
  ),
  define("npv", ["rate", "values..."], npvCall),
  // Newton's method and then bisection each pass over the values (up to ~330 passes, each
  // with a power per value): measured at about the cost of a thousand plain passes.
  define("irr", ["values", "guess?"], irrCall, { cost: (n) => n * 1000 }),
  define(
    "cagr",
    ["begin", "end", "years"],
    (args, site) =>
      finite(
        (numberArg(args, 1, site) / numberArg(args, 0, site)) ** (1 / numberArg(args, 2, site)) - 1,
        site,
      ),
    { kernel3: (begin, end, years) => (end / begin) ** (1 / years) - 1 },
  ),
];
