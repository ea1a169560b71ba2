import { describe, expect, it } from "vitest";
import { failure, run, runAll } from "./helpers.ts";

describe("math functions", () => {
  it.each([
    ["abs(-3)", 3],
    ["ceil(1.2)", 2],
    ["ceil(-1.2)", -1],
    ["floor(-1.2)", -2],
    ["trunc(-1.7)", -1],
    ["sign(-2)", -1],
    ["sign(0)", 0],
    ["sign(5)", 1],
    ["sqrt(16)", 4],
    ["cbrt(-27)", -3],
    ["ln(e)", 1],
    ["log10(1000)", 3],
    ["log2(8)", 3],
    ["log(e ^ 2)", 2],
    ["log(8, 2)", 3],
    ["log(100, 10)", 2],
    ["sin(0)", 0],
    ["cos(0)", 1],
    ["tan(0)", 0],
    ["acos(1)", 0],
    ["pow(2, 10)", 1024],
    ["pow(9, 0.5)", 3],
    ["hypot(3, 4)", 5],
    ["hypot([3, 4])", 5],
    ["hypot(3, 4, 12)", 13],
    ["min(3, 1, 2)", 1],
    ["max(3, 1, 2)", 3],
    ["min([4, -1, 2])", -1],
    ["max([4, -1, 2])", 4],
    ["max(1, 0.5)", 1],
    ["min(7)", 7],
    ["clamp(5, 0, 3)", 3],
    ["clamp(-5, 0, 3)", 0],
    ["clamp(2, 0, 3)", 2],
  ])("%s = %s", (source, value) => {
    expect(runAll(source)).toBeCloseTo(value, 12);
  });

  it("has the transcendental values", () => {
    expect(run("exp(1)")).toBe(Math.E);
    expect(run("asin(1)")).toBe(Math.PI / 2);
    expect(run("atan(1)")).toBe(Math.PI / 4);
    expect(run("atan2(1, 1)")).toBe(Math.PI / 4);
    expect(run("pi")).toBe(Math.PI);
  });

  it.each([
    ["round(2.5)", 3],
    ["round(-2.5)", -3],
    ["round(0.5)", 1],
    ["round(-0.4)", 0],
    ["round(1.005, 2)", 1.01],
    ["round(-1.005, 2)", -1.01],
    ["round(2.675, 2)", 2.68],
    ["round(1.45, 1)", 1.5],
    ["round(9.995, 2)", 10],
    ["round(1234.5678, -2)", 1200],
    ["round(1250, -2)", 1300],
    ["round(0.004, 2)", 0],
    ["round(0.005, 2)", 0.01],
    ["round(123.456, 0)", 123],
    ["round(1e21)", 1e21],
    ["round(1.5e-7, 7)", 2e-7],
  ])("%s = %s (half away from zero, on the decimal as written)", (source, value) => {
    expect(runAll(source)).toBe(value);
  });

  it("applies one-argument functions and round element-wise to arrays", () => {
    expect(run("abs([-1, 2, -3])")).toEqual([1, 2, 3]);
    expect(run("round(xs, 1)", { xs: [1.25, 2.35] })).toEqual([1.3, 2.4]);
    expect(run("sqrt([4, 9])")).toEqual([2, 3]);
  });

  it.each([
    "sqrt(-1)",
    "ln(0)",
    "log(0)",
    "log(8, 1)",
    "log(-8, 2)",
    "asin(2)",
    "pow(0, -1)",
    "exp(1000)",
    "sqrt([4, -1])",
  ])("%s is not finite", (source) => {
    failure(source, "FORMULA_NON_FINITE");
  });

  it("rejects bad arguments with the argument's position", () => {
    const error = failure("round(1.5, 0.5)", "FORMULA_TYPE");
    expect(error.message).toContain("integer");
    expect(error.position?.offset).toBe(11);
    expect(failure("clamp(1, 3, 2)", "FORMULA_TYPE").message).toContain("lo (3)");
    failure("sqrt('4')", "FORMULA_TYPE");
    failure("max(1, [2])", "FORMULA_TYPE");
    failure("max(['a'])", "FORMULA_TYPE");
    expect(failure("abs(x)", "FORMULA_NULL", { x: null }).message).toContain("`x` is null");
  });

  it("min and max of an empty array are undefined", () => {
    failure("max([])", "FORMULA_NON_FINITE");
    expect(run("min([])", {}, { nonFinite: "null" })).toBe(null);
  });
});
