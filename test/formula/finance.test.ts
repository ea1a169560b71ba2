import { describe, expect, it } from "vitest";
import { failure, run } from "./helpers.ts";

/** Expected values are the spreadsheet's (Excel's documentation examples where there is one). */
describe("finance functions", () => {
  it.each([
    ["pmt(0.05/12, 360, 200000)", -1073.6432460242797],
    ["pmt(0.08/12, 10, 10000)", -1037.0320893591606],
    ["pmt(0.08/12, 10, 10000, 0, 1)", -1030.1643271779078],
    ["pmt(0.06/12, 18*12, 0, 50000)", -129.0811608679973],
    ["pmt(0, 10, 1000)", -100],
    ["pmt(0, 10, 1000, 500)", -150],
  ])("%s = %s", (source, value) => {
    expect(run(source)).toBeCloseTo(value, 8);
  });

  it.each([
    ["fv(0.06/12, 10, -200, -500, 1)", 2581.4033740601185],
    ["fv(0.12/12, 12, -1000)", 12682.503013196972],
    ["fv(0.11/12, 35, -2000, 0, 1)", 82846.24637190059],
    ["fv(0, 10, -100)", 1000],
    ["fv(0, 10, -100, -50)", 1050],
  ])("%s = %s", (source, value) => {
    expect(run(source)).toBeCloseTo(value, 8);
  });

  it.each([
    ["pv(0.08/12, 12*20, 500)", -59777.14585118638],
    ["pv(0.08/12, 12*20, 500, 0, 1)", -59777.14585118638 * (1 + 0.08 / 12)],
    ["pv(0, 10, -100)", 1000],
  ])("%s = %s", (source, value) => {
    expect(run(source)).toBeCloseTo(value, 6);
  });

  it.each([
    ["nper(0.12/12, -100, -1000, 10000, 1)", 59.67386567429457],
    ["nper(1/100, -100, -1000, 10000)", 60.08212285376166],
    ["nper(1/100, -100, -1000)", -9.578594039813161],
    ["nper(0, -100, 1000)", 10],
  ])("%s = %s", (source, value) => {
    expect(run(source)).toBeCloseTo(value, 8);
  });

  it("npv discounts the first value one period, over an array or numbers", () => {
    expect(run("npv(0.1, [-10000, 3000, 4200, 6800])")).toBeCloseTo(1188.4434123352207, 8);
    expect(run("npv(0.1, -10000, 3000, 4200, 6800)")).toBeCloseTo(1188.4434123352207, 8);
    expect(run("npv(0.08, [8000, 9200, 10000, 12000, 14500]) - 40000")).toBeCloseTo(
      1922.061554932363,
      6,
    );
    failure("npv(-1, [1, 2])", "FORMULA_NON_FINITE");
  });

  it("irr finds the rate where the net present value is zero", () => {
    const flows = "[-70000, 12000, 15000, 18000, 21000, 26000]";
    expect(run(`irr(${flows})`)).toBeCloseTo(0.0866309480365316, 9);
    expect(run("irr([-70000, 12000, 15000, 18000, 21000])")).toBeCloseTo(-0.021244848273410923, 9);
    expect(run("irr([-70000, 12000, 15000], -0.1)")).toBeCloseTo(-0.44350694133474067, 9);
    expect(run(`npv(irr(${flows}), slice(${flows}, 1)) + first(${flows})`)).toBeCloseTo(0, 6);
  });

  it("irr without both a negative and a positive cash flow fails clearly", () => {
    expect(failure("irr([100, 200])", "FORMULA_NON_FINITE").message).toContain(
      "negative and one positive",
    );
  });

  it("cagr is (end / begin)^(1 / years) − 1", () => {
    expect(run("cagr(100, 200, 5)")).toBeCloseTo(2 ** 0.2 - 1, 12);
    expect(run("cagr(100, 100, 3)")).toBe(0);
    failure("cagr(0, 100, 3)", "FORMULA_NON_FINITE");
    failure("cagr(100, -50, 3)", "FORMULA_NON_FINITE");
  });

  it("type must be 0 or 1, and rates and counts must be numbers", () => {
    failure("pmt(0.1, 10, 1000, 0, 2)", "FORMULA_TYPE");
    failure("pmt('5%', 10, 1000)", "FORMULA_TYPE");
    failure("pmt(0, 0, 1000)", "FORMULA_NON_FINITE");
  });
});
