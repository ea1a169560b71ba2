import { describe, expect, it } from "vitest";
import { failure, run } from "./helpers.ts";

describe("broadcasting", () => {
  it("applies arithmetic between an array and a number element-wise", () => {
    expect(run("[1, 2, 3] * 2")).toEqual([2, 4, 6]);
    expect(run("10 - [1, 2]")).toEqual([9, 8]);
    expect(run("xs / 4", { xs: [2, 4] })).toEqual([0.5, 1]);
    expect(run("xs ^ 2", { xs: [3, -2] })).toEqual([9, 4]);
    expect(run("[7, -7] % 3")).toEqual([1, -1]);
  });

  it("applies arithmetic between equal-length arrays element-wise", () => {
    expect(run("[1, 2] + [10, 20]")).toEqual([11, 22]);
    expect(run("prices * qty", { prices: [2, 3], qty: [4, 5] })).toEqual([8, 15]);
  });

  it("negates and keeps arrays with unary minus and plus", () => {
    expect(run("-[1, -2]")).toEqual([-1, 2]);
    expect(run("+[1, 2]")).toEqual([1, 2]);
  });

  it("works with functions over the result", () => {
    expect(run("sum(xs * 2)", { xs: [1, 2, 3] })).toBe(12);
    expect(run("sqrt(xs ^ 2 + ys ^ 2)", { xs: [3, 5], ys: [4, 12] })).toEqual([5, 13]);
  });

  it("rejects arrays of different lengths", () => {
    expect(failure("[1, 2] + [1, 2, 3]", "FORMULA_TYPE").message).toContain("different lengths");
  });

  it("needs numbers in every element", () => {
    expect(failure("xs * 2", "FORMULA_NULL", { xs: [1, null] }).message).toContain(
      "element 1 of `xs` is null",
    );
    failure("['a'] * 2", "FORMULA_TYPE");
    failure("[[1]] * 2", "FORMULA_TYPE");
    failure("[1] + 'a'", "FORMULA_TYPE");
  });

  it("reports a non-finite element with its index", () => {
    expect(failure("[1, 0] / [1, 0]", "FORMULA_NON_FINITE").message).toContain("element 1");
  });

  it("does not broadcast comparisons", () => {
    failure("[1, 2] > 1", "FORMULA_TYPE");
  });
});
