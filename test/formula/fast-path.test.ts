import { describe, expect, it } from "vitest";
import { compile } from "../../src/formula/index.ts";
import { errorOf } from "./helpers.ts";

/**
 * From its second evaluation on, a numeric formula runs on a fast path that
 * must give exactly what the general path gives, and defer to it otherwise.
 */
describe("the numeric fast path", () => {
  it("gives the general path's results on repeated evaluation", () => {
    const formula = compile("drop > 0.05 and budget > 100 ? round(budget * drop, 2) : -1");
    const inputs = [
      { drop: 0.1, budget: 150 },
      { drop: 0.01, budget: 150 },
      { drop: 0.1, budget: 50 },
    ];
    const expected = inputs.map((vars) => compile(formula.source).evaluate(vars));
    for (let i = 0; i < 5; i++)
      expect(inputs.map((vars) => formula.evaluate(vars))).toEqual(expected);
  });

  it("defers to the general path when an input is not a number, or missing", () => {
    const formula = compile("x * 2");
    formula.evaluate({ x: 1 });
    formula.evaluate({ x: 1 });
    expect(errorOf(() => formula.evaluate({ x: "1" })).code).toBe("FORMULA_TYPE");
    expect(errorOf(() => formula.evaluate({})).code).toBe("FORMULA_UNKNOWN_NAME");
    expect(formula.evaluate({ x: [1, 2] })).toEqual([2, 4]);
    expect(formula.evaluate({ x: 3 })).toBe(6);
  });

  it("reads only own properties, even of inputs with many keys or a prototype", () => {
    const formula = compile("x + 1");
    formula.evaluate({ x: 1 });
    const many: Record<string, number> = {};
    for (let i = 0; i < 100; i++) many[`k${i}`] = i;
    many.x = 5;
    expect(formula.evaluate(many)).toBe(6);
    const inherited = Object.create({ x: 1 }) as Record<string, unknown>;
    expect(errorOf(() => formula.evaluate(inherited)).code).toBe("FORMULA_UNKNOWN_NAME");
    const hidden = Object.defineProperty({}, "x", { value: 2, enumerable: false });
    expect(formula.evaluate(hidden)).toBe(3);
  });

  it("loads inputs in any key order, before and after it stops expecting the first order", () => {
    const formula = compile("a * 100 + b * 10 + c");
    const reference = (vars: Record<string, unknown>) => compile(formula.source).evaluate(vars);
    // The second evaluation plans the fast path with its registers in the order b, a, c.
    formula.evaluate({ b: 1, a: 2, c: 3 });
    formula.evaluate({ b: 1, a: 2, c: 3 });
    const shapes = [
      { b: 4, a: 5, c: 6 },
      { a: 5, b: 4, c: 6 },
      { c: 6, b: 4, a: 5 },
      { b: 4, a: 5, c: 6, extra: "text" },
      { extra: 1, b: 4, a: 5, c: 6 },
    ];
    for (let round = 0; round < 100; round++)
      for (const vars of shapes) expect(formula.evaluate(vars)).toBe(reference(vars));
    const missing = { b: 4, a: 5 };
    expect(errorOf(() => formula.evaluate(missing)).code).toBe("FORMULA_UNKNOWN_NAME");
  });

  it("never takes an inherited key for an input, whatever the key order", () => {
    const formula = compile("a - b");
    formula.evaluate({ a: 1, b: 2 });
    formula.evaluate({ a: 1, b: 2 });
    const inherited = Object.create({ b: 1 }) as Record<string, unknown>;
    inherited.a = 2;
    expect(errorOf(() => formula.evaluate(inherited)).code).toBe("FORMULA_UNKNOWN_NAME");
    expect(formula.evaluate({ a: 5, b: 2 })).toBe(3);
  });

  it("a getter re-entering evaluate() mid-load does not corrupt either result", () => {
    const formula = compile("a - b");
    formula.evaluate({ a: 0, b: 0 });
    formula.evaluate({ a: 0, b: 0 });
    const vars = {
      a: 10,
      get b() {
        inner = formula.evaluate({ a: 100, b: 1 });
        return 3;
      },
    };
    let inner: unknown;
    expect(formula.evaluate(vars)).toBe(7);
    expect(inner).toBe(99);
  });

  it("respects parameter bounds, deferring to the general path to report them", () => {
    const formula = compile("p * 2", { params: [{ name: "p", min: 0, max: 1 }] });
    for (let i = 0; i < 3; i++) {
      expect(formula.evaluate({ p: 0.5 })).toBe(1);
      expect(errorOf(() => formula.evaluate({ p: 2 })).code).toBe("FORMULA_PARAM_RANGE");
    }
  });

  it("computes x^2 bit for bit as the general path does", () => {
    const formula = compile("x ^ 2 + pow(x, 2)");
    for (const x of [0.1, 1.1, 3.7e-5, 123456.789]) {
      const general = compile(formula.source).evaluate({ x });
      formula.evaluate({ x });
      expect(formula.evaluate({ x })).toBe(general);
    }
  });
});
