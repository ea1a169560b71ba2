import { describe, expect, it } from "vitest";
import {
  type CallableFormula,
  type CompileOptions,
  compile,
  type ParamSpec,
} from "../../src/formula/index.ts";
import { at, errorOf } from "./helpers.ts";

function callable(
  source: string,
  params: (string | ParamSpec)[],
  options: CompileOptions = {},
): CallableFormula {
  const formula = compile(source, { ...options, params });
  return { params: formula.params ?? [], formula };
}

const registry: Record<string, CallableFormula> = {
  tax: callable("amount * rate", ["amount", { name: "rate", default: 0.2 }]),
  ratio: callable("a / b", ["a", "b"]),
  pct: callable("p * 100", [{ name: "p", min: 0, max: 1 }]),
};
const formulas = (name: string) => (Object.hasOwn(registry, name) ? registry[name] : undefined);

describe("fn.NAME calls", () => {
  it("binds arguments to the callee's parameters by position, defaults filling the rest", () => {
    const formula = compile("fn.tax(price) + fn.tax(price, 0.5)", { formulas });
    for (let i = 0; i < 3; i++) expect(formula.evaluate({ price: 100 })).toBe(70);
  });

  it("lists the formulas called", () => {
    expect(compile("fn.tax(1) + fn.ratio(1, 2) + fn.tax(2)", { formulas }).formulas).toEqual([
      "ratio",
      "tax",
    ]);
  });

  it("an unknown formula is FORMULA_UNKNOWN_FUNCTION at compile time, with position", () => {
    const error = errorOf(() => compile("1 + fn.nope(1)", { formulas }));
    expect(error.code).toBe("FORMULA_UNKNOWN_FUNCTION");
    expect(error.details).toEqual({ formula: "nope" });
    expect(at(error)).toEqual([4, 1, 5]);
    expect(errorOf(() => compile("fn.tax(1)")).code).toBe("FORMULA_UNKNOWN_FUNCTION");
  });

  it("too many arguments, or too few for the parameters without defaults, is FORMULA_ARITY at compile time", () => {
    const tooMany = errorOf(() => compile("fn.tax(1, 2, 3)", { formulas }));
    expect(tooMany.code).toBe("FORMULA_ARITY");
    expect(tooMany.hint).toBe("usage: fn.tax(amount, rate?)");
    expect(at(tooMany)).toEqual([0, 1, 1]);
    expect(errorOf(() => compile("fn.tax()", { formulas })).code).toBe("FORMULA_ARITY");
    expect(errorOf(() => compile("fn.ratio(1)", { formulas })).code).toBe("FORMULA_ARITY");
  });

  it("the callee's parameter checks apply at call time, reported at the call", () => {
    const error = errorOf(() => compile("2 * fn.pct(x)", { formulas }).evaluate({ x: 2 }));
    expect(error.code).toBe("FORMULA_PARAM_RANGE");
    expect(error.details).toMatchObject({ param: "p", formula: "pct" });
    expect(error.message).toContain("in fn.pct:");
    expect(at(error)).toEqual([4, 1, 5]);
  });

  it("the callee's evaluation errors come back with the call's position and the callee's", () => {
    const error = errorOf(() => compile("fn.ratio(1, x)", { formulas }).evaluate({ x: 0 }));
    expect(error.code).toBe("FORMULA_NON_FINITE");
    expect(error.details).toMatchObject({
      formula: "ratio",
      formulaPosition: { offset: 2, line: 1, column: 3 },
    });
    expect(compile("fn.ratio(1, x)", { formulas }).evaluate({ x: 0 }, { nonFinite: "null" })).toBe(
      null,
    );
  });

  it("arguments are evaluated in the caller, so callers' names stay the caller's", () => {
    expect(compile("fn.ratio(b, a)", { formulas }).evaluate({ a: 4, b: 2 })).toBe(0.5);
  });

  it("a chain of calls deeper than 32 is FORMULA_LIMIT, not a stack overflow", () => {
    let inner = callable("x + 1", ["x"]);
    const chain: Record<string, CallableFormula> = { f0: inner };
    for (let i = 1; i <= 40; i++) {
      const prev = `f${i - 1}`;
      inner = callable(`fn.${prev}(x)`, ["x"], {
        formulas: (name) => (name === prev ? chain[prev] : undefined),
      });
      chain[`f${i}`] = inner;
    }
    expect((chain.f20 as CallableFormula).formula.evaluate({ x: 0 })).toBe(1);
    expect(errorOf(() => (chain.f40 as CallableFormula).formula.evaluate({ x: 0 })).code).toBe(
      "FORMULA_LIMIT",
    );
  });
});
