import { describe, expect, it } from "vitest";
import { compile } from "../../src/formula/index.ts";
import { at, errorOf, failure } from "./helpers.ts";

describe("errors at compile time", () => {
  it("an unknown function has its position and a did-you-mean hint", () => {
    const error = failure("1 + avg(xs)", "FORMULA_UNKNOWN_FUNCTION");
    expect(error.message).toBe("unknown function `avg`; did you mean `mean`?");
    expect(error.hint).toBe("did you mean `mean`?");
    expect(at(error)).toEqual([4, 1, 5]);
    expect(error.details).toEqual({ name: "avg" });
  });

  it.each([
    ["average(x)", "mean"],
    ["sqr(x)", "sqrt"],
    ["meen(x)", "mean"],
    ["stddev(x)", "stdev"],
    ["SUM(x)", "sum"],
    ["ceiling(x)", "ceil"],
    ["substr(x, 1)", "slice"],
  ])("%s suggests %s", (source, suggestion) => {
    expect(failure(source, "FORMULA_UNKNOWN_FUNCTION").hint).toBe(
      `did you mean \`${suggestion}\`?`,
    );
  });

  it("mod() points at the % operator; a far-off name gets no guess", () => {
    expect(failure("mod(7, 3)", "FORMULA_UNKNOWN_FUNCTION").hint).toContain("`%`");
    expect(failure("frobnicate(1)", "FORMULA_UNKNOWN_FUNCTION").hint).toBeUndefined();
  });

  it("wrong arity is FORMULA_ARITY at the call, with the usage", () => {
    const error = failure("2 * round(1, 2, 3)", "FORMULA_ARITY");
    expect(error.message).toBe("`round` takes 1 to 2 arguments, got 3");
    expect(error.hint).toBe("usage: round(x[, digits])");
    expect(at(error)).toEqual([4, 1, 5]);
    expect(failure("sqrt()", "FORMULA_ARITY").message).toBe("`sqrt` takes 1 argument, got 0");
    expect(failure("max()", "FORMULA_ARITY").message).toBe(
      "`max` takes at least 1 argument, got 0",
    );
    expect(failure("if(true, 1)", "FORMULA_ARITY").hint).toBe("usage: if(condition, then, else)");
    failure("pmt(1, 2)", "FORMULA_ARITY");
  });
});

describe("errors at evaluation", () => {
  it("an unknown name has its position and a did-you-mean over the inputs", () => {
    const error = failure("qty * pricee", "FORMULA_UNKNOWN_NAME", { qty: 1, price: 2 });
    expect(error.message).toBe("unknown name `pricee`; did you mean `price`?");
    expect(error.hint).toBe("did you mean `price`?");
    expect(error.details).toEqual({ name: "pricee" });
    expect(at(error)).toEqual([6, 1, 7]);
  });

  it("an unknown name with nothing close has no hint", () => {
    expect(failure("zzz", "FORMULA_UNKNOWN_NAME", { qty: 1 }).hint).toBeUndefined();
  });

  it("arithmetic on null names the value that was null", () => {
    const error = failure("qty *\n price", "FORMULA_NULL", { qty: 2, price: null });
    expect(error.message).toBe("`price` is null; use coalesce(price, …)");
    expect(error.hint).toContain("coalesce(price, 0)");
    expect(at(error)).toEqual([7, 2, 2]);
    expect(failure("obs.a.b + 1", "FORMULA_NULL", { obs: { a: { b: null } } }).message).toContain(
      "`obs.a.b` is null",
    );
    expect(failure("-xs[0]", "FORMULA_NULL", { xs: [null] }).message).toContain("`xs[0]` is null");
  });

  it("a non-finite result points at the operation", () => {
    const error = failure("a + b / (c - c)", "FORMULA_NON_FINITE", { a: 1, b: 2, c: 3 });
    expect(error.message).toContain("`b / (c - c)` is not a finite number");
    expect(at(error)).toEqual([6, 1, 7]);
    expect(at(failure("1 + sqrt(-1)", "FORMULA_NON_FINITE"))).toEqual([4, 1, 5]);
    expect(at(failure("0 / 0", "FORMULA_NON_FINITE"))).toEqual([2, 1, 3]);
    failure("10 ^ 400", "FORMULA_NON_FINITE");
    failure("1e308 * 10", "FORMULA_NON_FINITE");
    failure("5 % 0", "FORMULA_NON_FINITE");
  });

  it("overflow that comes back to finite is still reported where it happened", () => {
    failure("1 / (1e308 * 10)", "FORMULA_NON_FINITE");
  });

  it("a type error points at the operator and names both types", () => {
    const error = failure("1 + true", "FORMULA_TYPE");
    expect(error.message).toBe("`+` cannot combine a number and a boolean");
    expect(at(error)).toEqual([2, 1, 3]);
  });

  it("the same formula fails the same way on later evaluations", () => {
    const formula = compile("a / b");
    for (let i = 0; i < 3; i++) {
      expect(formula.evaluate({ a: 1, b: 2 })).toBe(0.5);
      expect(errorOf(() => formula.evaluate({ a: 1, b: 0 })).code).toBe("FORMULA_NON_FINITE");
      expect(errorOf(() => formula.evaluate({ a: 1 })).code).toBe("FORMULA_UNKNOWN_NAME");
      expect(errorOf(() => formula.evaluate({ a: 1, b: null })).code).toBe("FORMULA_NULL");
      expect(errorOf(() => formula.evaluate({ a: 1, b: "2" })).code).toBe("FORMULA_TYPE");
    }
  });
});
