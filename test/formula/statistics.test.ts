import { describe, expect, it } from "vitest";
import { failure, run } from "./helpers.ts";

const data = { xs: [2, 4, 4, 4, 5, 5, 7, 9] };

describe("statistics", () => {
  it("len counts array elements and string characters", () => {
    expect(run("len(xs)", data)).toBe(8);
    expect(run("len([])")).toBe(0);
    expect(run("len('abc')")).toBe(3);
    failure("len(3)", "FORMULA_TYPE");
  });

  it("sum adds up, and is 0 for an empty array", () => {
    expect(run("sum(xs)", data)).toBe(40);
    expect(run("sum([])")).toBe(0);
  });

  it("mean, median and mode", () => {
    expect(run("mean(xs)", data)).toBe(5);
    expect(run("median(xs)", data)).toBe(4.5);
    expect(run("median([3, 1, 2])")).toBe(2);
    expect(run("mode(xs)", data)).toBe(4);
  });

  it("mode returns the smallest of equally frequent values", () => {
    expect(run("mode([3, 3, 1, 2, 2])")).toBe(2);
    expect(run("mode([5, 1])")).toBe(1);
  });

  it("variance and stdev are the sample (n − 1) forms, as VAR.S and STDEV.S", () => {
    expect(run("variance(xs)", data)).toBeCloseTo(32 / 7, 12);
    expect(run("stdev(xs)", data)).toBeCloseTo(2.138089935299395, 12);
    expect(run("stdev([1, 2, 3, 4])")).toBeCloseTo(1.2909944487358056, 12);
  });

  it("percentile interpolates as PERCENTILE.INC with p in [0, 1]", () => {
    expect(run("percentile([1, 2, 3, 4], 0.25)")).toBe(1.75);
    expect(run("percentile([15, 20, 35, 40, 50], 0.4)")).toBeCloseTo(29, 12);
    expect(run("percentile(xs, 0)", data)).toBe(2);
    expect(run("percentile(xs, 1)", data)).toBe(9);
    expect(run("percentile([7], 0.3)")).toBe(7);
    expect(failure("percentile(xs, 90)", "FORMULA_TYPE", data).hint).toContain("0.9");
    failure("percentile(xs, -0.1)", "FORMULA_TYPE", data);
  });

  it("zscore is the distance from the mean in sample standard deviations", () => {
    expect(run("zscore(9, xs)", data)).toBeCloseTo(4 / 2.138089935299395, 12);
    failure("zscore(1, [2, 2, 2])", "FORMULA_NON_FINITE");
  });

  it.each([
    "mean([])",
    "median([])",
    "mode([])",
    "variance([1])",
    "stdev([1])",
    "percentile([], 0.5)",
    "zscore(1, [1])",
  ])("%s is undefined (FORMULA_NON_FINITE), never NaN", (source) => {
    failure(source, "FORMULA_NON_FINITE");
    expect(run(source, {}, { nonFinite: "null" })).toBe(null);
  });

  it("needs numbers in the array", () => {
    expect(failure("mean(xs)", "FORMULA_NULL", { xs: [1, null] }).message).toContain(
      "element 1 of `xs` is null",
    );
    failure("sum(['a'])", "FORMULA_TYPE");
    failure("mean(3)", "FORMULA_TYPE");
  });
});
