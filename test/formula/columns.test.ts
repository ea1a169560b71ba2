import { describe, expect, it } from "vitest";
import { compile } from "../../src/formula/index.ts";
import { errorOf } from "./helpers.ts";

describe("evaluateColumns", () => {
  it("returns one value per row, row i reading columns[name][i]", () => {
    const formula = compile("a * x^2 + b * x + c");
    const columns = { a: [1, 2], b: [0, 1], c: [5, 0], x: [3, 4] };
    expect(formula.evaluateColumns(columns)).toEqual([14, 36]);
  });

  it("accepts typed arrays and array-likes", () => {
    const formula = compile("x * 2");
    expect(formula.evaluateColumns({ x: new Float64Array([1, 2.5]) })).toEqual([2, 5]);
    expect(formula.evaluateColumns({ x: { length: 2, 0: 1, 1: 2 } })).toEqual([2, 4]);
  });

  it("agrees with evaluate() row by row across many rows", () => {
    const formula = compile("x > 0.5 and y < 3 ? sqrt(x) * y : -x % 0.3");
    const x = Array.from({ length: 3000 }, (_, i) => (i % 97) / 97);
    const y = Array.from({ length: 3000 }, (_, i) => (i % 7) - 1);
    const expected = x.map((xi, i) =>
      compile("x > 0.5 and y < 3 ? sqrt(x) * y : -x % 0.3").evaluate({ x: xi, y: y[i] }),
    );
    expect(formula.evaluateColumns({ x, y })).toEqual(expected);
  });

  it("returns booleans for conditions", () => {
    expect(compile("x > 1 and not (x > 3)").evaluateColumns({ x: [0, 2, 4] })).toEqual([
      false,
      true,
      false,
    ]);
  });

  it("handles non-numeric formulas and columns row by row", () => {
    expect(
      compile("concat(name, ': ', n)").evaluateColumns({ name: ["a", "b"], n: [1, 2] }),
    ).toEqual(["a: 1", "b: 2"]);
    expect(compile("coalesce(x, 0) + 1").evaluateColumns({ x: [1, null, 3] })).toEqual([2, 1, 4]);
    expect(compile("obs.qty").evaluateColumns({ obs: [{ qty: 1 }, { qty: 2 }] })).toEqual([1, 2]);
  });

  it("ignores columns the formula does not read, and works with no columns", () => {
    expect(compile("x + 1").evaluateColumns({ x: [1], other: ["z"] })).toEqual([2]);
    expect(compile("1 + 1").evaluateColumns({})).toEqual([]);
    expect(compile("1 + 1").evaluateColumns({ unused: [0, 0] })).toEqual([2, 2]);
  });

  it("columns of different lengths are FORMULA_TYPE naming them", () => {
    const error = errorOf(() => compile("x + y").evaluateColumns({ x: [1, 2], y: [1] }));
    expect(error.code).toBe("FORMULA_TYPE");
    expect(error.message).toContain("`y` has 1 rows but `x` has 2");
    expect(errorOf(() => compile("x").evaluateColumns({ x: 5 as unknown as number[] })).code).toBe(
      "FORMULA_TYPE",
    );
  });

  it("a failing row throws its error with details.row and the position", () => {
    const error = errorOf(() => compile("x / y").evaluateColumns({ x: [1, 2, 3], y: [1, 0, 1] }));
    expect(error.code).toBe("FORMULA_NON_FINITE");
    expect(error.details).toMatchObject({ row: 1 });
    expect(error.position?.offset).toBe(2);
    expect(errorOf(() => compile("x + 1").evaluateColumns({ x: [1, null] })).details).toMatchObject(
      { row: 1 },
    );
    expect(errorOf(() => compile("x + y").evaluateColumns({ x: [1] })).details).toMatchObject({
      row: 0,
      name: "y",
    });
  });

  it('with nonFinite: "null" each failing row is null and the rest are values', () => {
    const result = compile("x / y").evaluateColumns(
      { x: [1, 2, 3], y: [1, 0, 2] },
      { nonFinite: "null" },
    );
    expect(result).toEqual([1, null, 1.5]);
  });

  it("applies parameter defaults and bounds per row", () => {
    const formula = compile("x * k", {
      params: ["x", { name: "k", default: 10, min: 0, max: 100 }],
    });
    expect(formula.evaluateColumns({ x: [1, 2] })).toEqual([10, 20]);
    expect(formula.evaluateColumns({ x: [1, 2], k: [1, 2] })).toEqual([1, 4]);
    const error = errorOf(() => formula.evaluateColumns({ x: [1, 2], k: [1, 200] }));
    expect(error.code).toBe("FORMULA_PARAM_RANGE");
    expect(error.details).toMatchObject({ row: 1, param: "k" });
  });

  it("a column named __proto__ is read as an ordinary column", () => {
    const columns = JSON.parse('{"__proto__": [1, 2]}');
    expect(compile("__proto__ * 2").evaluateColumns(columns)).toEqual([2, 4]);
    expect(({} as Record<string, unknown>)[0]).toBeUndefined();
  });

  it("does not reuse a batch's numbers for the next batch", () => {
    const formula = compile("x + x");
    const x = [1, 2];
    expect(formula.evaluateColumns({ x })).toEqual([2, 4]);
    x[0] = 10;
    expect(formula.evaluateColumns({ x })).toEqual([20, 4]);
  });
});
