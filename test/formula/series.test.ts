import { describe, expect, it } from "vitest";
import { failure, run } from "./helpers.ts";

describe("series functions", () => {
  it("first and last", () => {
    expect(run("first([1, 2, 3])")).toBe(1);
    expect(run("last([1, 2, 3])")).toBe(3);
    expect(run("last(['a', null])")).toBe(null);
    failure("first([])", "FORMULA_NON_FINITE");
  });

  it("slice takes start and an exclusive end, negatives from the end, as in JavaScript", () => {
    expect(run("slice([1, 2, 3, 4], 1, 3)")).toEqual([2, 3]);
    expect(run("slice([1, 2, 3, 4], -2)")).toEqual([3, 4]);
    expect(run("slice([1, 2, 3, 4], 1, -1)")).toEqual([2, 3]);
    expect(run("slice([1, 2], 5)")).toEqual([]);
    expect(run("slice('hello', 1, 3)")).toBe("el");
    failure("slice([1], 0.5)", "FORMULA_TYPE");
  });

  it("sma is the mean of the last n", () => {
    expect(run("sma([1, 2, 3, 4, 5], 3)")).toBe(4);
    expect(run("sma([1, 2, 3, 4, 5], 5)")).toBe(3);
    failure("sma([1, 2], 3)", "FORMULA_NON_FINITE");
    failure("sma([1, 2], 0)", "FORMULA_TYPE");
  });

  it("ewma starts at the first element, then s = alpha·x + (1 − alpha)·s", () => {
    expect(run("ewma([1, 2, 3], 0.5)")).toBe(2.25);
    expect(run("ewma([4], 0.3)")).toBe(4);
    expect(run("ewma([1, 2, 3], 1)")).toBe(3);
    expect(run("ewma([1, 2, 3], 0)")).toBe(1);
    failure("ewma([1, 2], 1.5)", "FORMULA_TYPE");
    failure("ewma([], 0.5)", "FORMULA_NON_FINITE");
  });

  it("delta is the last element minus the one before", () => {
    expect(run("delta([1, 4, 9])")).toBe(5);
    failure("delta([1])", "FORMULA_NON_FINITE");
  });

  it("slope is the least-squares slope against the index 0..n−1 (as SLOPE)", () => {
    expect(run("slope([1, 3, 5, 7])")).toBe(2);
    expect(run("slope([2, 4, 4, 4, 5, 5, 7, 9])")).toBeCloseTo(34 / 42, 12);
    expect(run("slope([5, 5, 5])")).toBe(0);
    failure("slope([1])", "FORMULA_NON_FINITE");
  });

  it("forecast extends the least-squares line h steps past the last point (as FORECAST.LINEAR)", () => {
    expect(run("forecast([1, 3, 5, 7], 1)")).toBe(9);
    expect(run("forecast([1, 3, 5, 7], 2)")).toBe(11);
    expect(run("forecast([1, 3, 5, 7], 0)")).toBe(7);
    expect(run("forecast([2, 4, 4, 4, 5, 5, 7, 9], 1)")).toBeCloseTo(5 + (34 / 42) * 4.5, 12);
    failure("forecast([1], 1)", "FORMULA_NON_FINITE");
  });

  it("needs arrays of numbers", () => {
    failure("delta(3)", "FORMULA_TYPE");
    failure("sma(['a'], 1)", "FORMULA_TYPE");
  });
});
