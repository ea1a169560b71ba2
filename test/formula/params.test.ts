import { describe, expect, it } from "vitest";
import { compile } from "../../src/formula/index.ts";
import { at, errorOf } from "./helpers.ts";

describe("declared parameters", () => {
  it("an undeclared name is FORMULA_UNKNOWN_NAME at compile time, with position and hint", () => {
    const error = errorOf(() => compile("price * qtty", { params: ["price", "qty"] }));
    expect(error.code).toBe("FORMULA_UNKNOWN_NAME");
    expect(error.hint).toBe("did you mean `qty`?");
    expect(error.details).toEqual({ name: "qtty" });
    expect(at(error)).toEqual([8, 1, 9]);
  });

  it("checks names in branches never taken and roots of paths, not constants", () => {
    expect(errorOf(() => compile("false ? nope : 1", { params: [] })).code).toBe(
      "FORMULA_UNKNOWN_NAME",
    );
    expect(errorOf(() => compile("obs.x", { params: ["o"] })).code).toBe("FORMULA_UNKNOWN_NAME");
    expect(compile("obs.x + pi * e", { params: ["obs"] }).names).toEqual(["obs"]);
  });

  it("applies defaults for missing inputs", () => {
    const formula = compile("price * (1 + rate)", {
      params: ["price", { name: "rate", default: 0.2 }],
    });
    for (let i = 0; i < 3; i++) {
      expect(formula.evaluate({ price: 10 })).toBe(12);
      expect(formula.evaluate({ price: 10, rate: 0.5 })).toBe(15);
    }
  });

  it("a default may be any value, and a null input is not missing", () => {
    const formula = compile("coalesce(x, 'none')", { params: [{ name: "x", default: "dflt" }] });
    expect(formula.evaluate({})).toBe("dflt");
    expect(formula.evaluate({ x: null })).toBe("none");
  });

  it("a missing input without default is FORMULA_MISSING_PARAM naming it, even if unread", () => {
    const formula = compile("a + 1", { params: ["a", "b"] });
    for (let i = 0; i < 3; i++) {
      const error = errorOf(() => formula.evaluate({ a: 1 }));
      expect(error.code).toBe("FORMULA_MISSING_PARAM");
      expect(error.details).toEqual({ param: "b" });
      expect(error.message).toContain("`b`");
    }
  });

  it("a number outside [min, max] is FORMULA_PARAM_RANGE naming the parameter", () => {
    const formula = compile("rate * 100", { params: [{ name: "rate", min: 0, max: 1 }] });
    for (let i = 0; i < 3; i++) {
      expect(formula.evaluate({ rate: 0.5 })).toBe(50);
      expect(formula.evaluate({ rate: 0 })).toBe(0);
      expect(formula.evaluate({ rate: 1 })).toBe(100);
      const error = errorOf(() => formula.evaluate({ rate: 1.5 }));
      expect(error.code).toBe("FORMULA_PARAM_RANGE");
      expect(error.details).toMatchObject({ param: "rate", min: 0, max: 1 });
      expect(errorOf(() => formula.evaluate({ rate: -0.1 })).code).toBe("FORMULA_PARAM_RANGE");
    }
  });

  it("a bounded parameter rejects inputs that are not numbers", () => {
    const formula = compile("n", { params: [{ name: "n", min: 0 }] });
    for (const n of ["1", null, [1], true]) {
      const error = errorOf(() => formula.evaluate({ n }));
      expect(error.code).toBe("FORMULA_PARAM_RANGE");
      expect(error.details).toMatchObject({ param: "n" });
    }
  });

  it("only declared inputs are read; others in vars are ignored", () => {
    expect(compile("a", { params: ["a"] }).evaluate({ a: 1, b: "ignored" })).toBe(1);
  });

  it("exposes the declared parameters, normalized", () => {
    const formula = compile("a + b", { params: ["a", { name: "b", default: 1, min: 0 }] });
    expect(formula.params).toEqual([{ name: "a" }, { name: "b", default: 1, min: 0 }]);
    expect(compile("1").params).toBeUndefined();
  });

  it("rejects invalid declarations", () => {
    expect(errorOf(() => compile("1", { params: ["a", "a"] })).code).toBe("FORMULA_SYNTAX");
    expect(errorOf(() => compile("1", { params: ["not a name"] })).details).toEqual({
      param: "not a name",
    });
    expect(errorOf(() => compile("1", { params: ["and"] })).code).toBe("FORMULA_SYNTAX");
    expect(errorOf(() => compile("1", { params: ["pi"] })).code).toBe("FORMULA_SYNTAX");
    expect(errorOf(() => compile("1", { params: [{ name: "x", min: 2, max: 1 }] })).code).toBe(
      "FORMULA_PARAM_RANGE",
    );
    expect(errorOf(() => compile("1", { params: [{ name: "x", default: 5, max: 1 }] })).code).toBe(
      "FORMULA_PARAM_RANGE",
    );
    expect(errorOf(() => compile("1", { params: [{ name: "x", min: Number.NaN }] })).code).toBe(
      "FORMULA_PARAM_RANGE",
    );
  });

  it("a parameter named __proto__ is an ordinary input", () => {
    const formula = compile("__proto__ + 1", { params: [{ name: "__proto__", default: 1 }] });
    expect(formula.evaluate({})).toBe(2);
    expect(formula.evaluate(JSON.parse('{"__proto__": 5}'))).toBe(6);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
