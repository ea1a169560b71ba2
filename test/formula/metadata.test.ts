import { describe, expect, it } from "vitest";
import { compile, FUNCTION_NAMES } from "../../src/formula/index.ts";

describe("formula metadata", () => {
  it("names are the root names read, sorted and unique, without constants", () => {
    const formula = compile("obs.order.qty * price + obs.fee + price * pi + e + xs[0]");
    expect(formula.names).toEqual(["obs", "price", "xs"]);
  });

  it("paths are the dotted paths as written, stopping at the first index", () => {
    const formula = compile("obs.order.qty + obs.order.qty + price + obs.items[0].qty + xs[i]");
    expect(formula.paths).toEqual(["i", "obs.items", "obs.order.qty", "price", "xs"]);
  });

  it("functions are the built-ins called, sorted and unique, including if and coalesce", () => {
    expect(compile("round(sqrt(x), 2) + sqrt(y) + if(a, coalesce(b, 0), 1)").functions).toEqual([
      "coalesce",
      "if",
      "round",
      "sqrt",
    ]);
  });

  it("a formula without reads or calls has empty metadata", () => {
    const formula = compile("1 + 2");
    expect(formula.names).toEqual([]);
    expect(formula.paths).toEqual([]);
    expect(formula.functions).toEqual([]);
    expect(formula.formulas).toEqual([]);
    expect(formula.source).toBe("1 + 2");
  });

  it("names read only in untaken branches are still listed", () => {
    expect(compile("true ? a : b").names).toEqual(["a", "b"]);
  });

  it("FUNCTION_NAMES lists every built-in named by the product, sorted", () => {
    const expected =
      "abs ceil floor trunc sign sqrt cbrt exp ln log10 log2 pow hypot sin cos tan asin acos atan atan2 min max clamp log round " +
      "len sum mean median mode stdev variance percentile zscore first last slice sma ewma delta slope forecast " +
      "pmt fv pv nper npv irr cagr if coalesce isnull concat lower upper contains";
    expect([...FUNCTION_NAMES]).toEqual(expected.split(" ").sort());
  });
});
