import { describe, expect, it } from "vitest";
import { compile } from "../../src/formula/index.ts";
import { errorOf } from "./helpers.ts";

describe('nonFinite: "null"', () => {
  it("turns a FORMULA_NON_FINITE anywhere into a null result", () => {
    const formula = compile("[a / b, 1]");
    for (let i = 0; i < 3; i++) {
      expect(formula.evaluate({ a: 1, b: 0 }, { nonFinite: "null" })).toBe(null);
      expect(formula.evaluate({ a: 1, b: 2 }, { nonFinite: "null" })).toEqual([0.5, 1]);
    }
  });

  it("applies on the numeric fast path as on the general one", () => {
    const formula = compile("x / y + 1");
    for (let i = 0; i < 4; i++) {
      expect(formula.evaluate({ x: 1, y: 0 }, { nonFinite: "null" })).toBe(null);
      expect(errorOf(() => formula.evaluate({ x: 1, y: 0 })).code).toBe("FORMULA_NON_FINITE");
      expect(errorOf(() => formula.evaluate({ x: 1, y: 0 }, { nonFinite: "error" })).code).toBe(
        "FORMULA_NON_FINITE",
      );
    }
  });

  it("leaves every other error an error", () => {
    const formula = compile("x + 1");
    expect(errorOf(() => formula.evaluate({ x: null }, { nonFinite: "null" })).code).toBe(
      "FORMULA_NULL",
    );
    expect(errorOf(() => formula.evaluate({}, { nonFinite: "null" })).code).toBe(
      "FORMULA_UNKNOWN_NAME",
    );
  });

  it("defaults to reporting the error", () => {
    expect(errorOf(() => compile("0 / 0").evaluate({})).code).toBe("FORMULA_NON_FINITE");
  });

  it("every successful result is JSON-safe", () => {
    const formula = compile("[x * 1e308, -x, x / 3]");
    const value = formula.evaluate({ x: 2 }, { nonFinite: "null" });
    expect(value).toBe(null);
    expect(JSON.parse(JSON.stringify(formula.evaluate({ x: 0.5 })))).toEqual([
      0.5e308,
      -0.5,
      0.5 / 3,
    ]);
  });
});
