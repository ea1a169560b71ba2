/**
 * The work budget: evaluation counts nodes (through fn. calls too) and the
 * array elements it touches, and stops with FORMULA_BUDGET where the budget
 * runs out, the same place every time.
 */
import { describe, expect, test } from "vitest";
import {
  ARRAY_CALL_COST,
  Budget,
  CALL_COST,
  type CallableFormula,
  type CompiledFormula,
  compile,
  DEFAULT_EVALUATION_BUDGET,
  EVALUATION_COST,
  FormulaError,
  scoped,
} from "../../src/formula/index.ts";

/** The reported fan-out: f0 = x + 1, fN = sum([fn.f(N-1)(x), … 450 times]). */
function chain(depth: number): Map<string, CallableFormula> {
  const registry = new Map<string, CallableFormula>();
  const add = (name: string, expr: string) => {
    const formula = compile(expr, { params: ["x"], formulas: (n) => registry.get(n) });
    registry.set(name, { params: [{ name: "x" }], formula });
  };
  add("f0", "x + 1");
  for (let n = 1; n <= depth; n++) {
    add(`f${n}`, `sum([${Array.from({ length: 450 }, () => `fn.f${n - 1}(x)`).join(",")}])`);
  }
  return registry;
}

function failure(run: () => unknown): FormulaError {
  try {
    run();
  } catch (error) {
    if (error instanceof FormulaError) return error;
    throw error;
  }
  throw new Error("expected a FormulaError");
}

const formulaOf = (registry: Map<string, CallableFormula>, name: string): CompiledFormula => {
  const found = registry.get(name);
  if (found === undefined) throw new Error(`no ${name}`);
  return found.formula;
};

describe("the work budget", () => {
  test("a formula's weight is its nodes plus, per call written, its callee's weight and the call's own cost", () => {
    const registry = chain(3);
    const [f0, f1, f2, f3] = ["f0", "f1", "f2", "f3"].map((n) => formulaOf(registry, n));
    expect(f0?.nodes).toBe(3);
    // Each call costs its callee's weight and CALL_COST (binding its arguments).
    const own = (f: CompiledFormula | undefined) => (f?.nodes ?? 0) + EVALUATION_COST;
    expect(f0?.weight).toBe(3 + EVALUATION_COST);
    expect(f1?.weight).toBe(own(f1) + 450 * ((f0?.weight ?? 0) + CALL_COST));
    expect(f2?.weight).toBe(own(f2) + 450 * ((f1?.weight ?? 0) + CALL_COST));
    expect(f3?.weight).toBeGreaterThan(400_000_000);
  });

  test("fan-out through fn. calls stops with FORMULA_BUDGET, at the same place every time", () => {
    const f3 = formulaOf(chain(3), "f3");
    const first = failure(() => f3.evaluate({ x: 1 }));
    expect(first.code).toBe("FORMULA_BUDGET");
    expect(first.details).toMatchObject({ budget: DEFAULT_EVALUATION_BUDGET });
    expect(first.message).toContain("work budget");
    const spent = () => {
      const budget = new Budget(DEFAULT_EVALUATION_BUDGET);
      failure(() => budget.run(() => f3.evaluate({ x: 1 })));
      return budget.spent;
    };
    expect(spent()).toBe(DEFAULT_EVALUATION_BUDGET);
    // Within the budget it runs: f1 is a few thousand units; f2, nearly two million, does not fit.
    expect(formulaOf(chain(1), "f1").evaluate({ x: 1 })).toBe(450 * 2);
    expect(failure(() => formulaOf(chain(2), "f2").evaluate({ x: 1 })).code).toBe("FORMULA_BUDGET");
  });

  test("array work counts: 371 medians of 100,000 elements run out; one does not", () => {
    const xs = Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 1000);
    const many = compile(`sum([${Array.from({ length: 371 }, () => "median(xs)").join(",")}])`);
    expect(failure(() => many.evaluate({ xs })).code).toBe("FORMULA_BUDGET");
    expect(compile("median(xs)").evaluate({ xs })).toBe(499.5);
  });

  test("reading, passing and combining arrays element-wise each count their elements", () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    const units = (expr: string) =>
      scoped(1e9, () => compile(expr).evaluate({ xs, ys: [...xs] })).spent;
    // Nodes and an evaluation's own cost; a quarter unit per element read or passed (and a
    // call's own cost for arrays), half combined or compared, n·log2 n / 5 + n / 2 sorted.
    const base = EVALUATION_COST;
    expect(units("1 + 2")).toBe(base + 3);
    expect(units("len(xs)")).toBe(base + 2 + 250 + ARRAY_CALL_COST + 250);
    // Read, checked, combined, then passed to sum.
    expect(units("sum(xs * 2)")).toBe(base + 4 + 250 + 250 + 500 + ARRAY_CALL_COST + 250);
    expect(units("median(xs)")).toBe(base + 2 + 250 + ARRAY_CALL_COST + (1000 * 10) / 5 + 500);
    expect(units("xs == ys")).toBe(base + 3 + 250 + 250 + 500);
  });

  test("a shared budget is spent across evaluations, a slice at a time, and stays spent", () => {
    const f = compile("sum(xs)");
    const xs = Array.from({ length: 100_000 }, () => 1);
    // Each evaluation: its own cost, 2 nodes, 25,000 to read xs and a call's cost plus 25,000 to pass it.
    const each = EVALUATION_COST + 2 + 25_000 + ARRAY_CALL_COST + 25_000;
    const budget = new Budget(120_000, 60_000);
    expect(budget.run(() => f.evaluate({ xs }))).toBe(100_000);
    expect(budget.run(() => f.evaluate({ xs }))).toBe(100_000);
    expect(budget.left).toBe(120_000 - 2 * each);
    expect(failure(() => budget.run(() => f.evaluate({ xs }))).code).toBe("FORMULA_BUDGET");
    expect(budget.left).toBe(0);
    expect(failure(() => budget.run(() => compile("1").evaluate({}))).code).toBe("FORMULA_BUDGET");
    const sliced = new Budget(1_000_000, 60_000);
    expect(
      failure(() => sliced.run(() => compile("sum(xs) + sum(xs)").evaluate({ xs }))).details,
    ).toMatchObject({
      budget: 60_000,
    });
  });

  test("a shared budget rests once another run like the last would take it past a slice", () => {
    const budget = new Budget(10_000_000, 500_000);
    expect(budget.rest()).toBe(false); // nothing spent yet
    // Runs of 100,000: four together and one more like them stay within the slice; the fifth would pass it.
    for (let i = 0; i < 4; i++) {
      budget.spend(100_000);
      expect(budget.rest()).toBe(false);
    }
    budget.spend(100_000);
    expect(budget.rest()).toBe(true);
    // Runs of most of a slice: a rest after each, never two in one stretch.
    for (let i = 0; i < 3; i++) {
      budget.spend(450_000);
      expect(budget.rest()).toBe(true);
    }
    // And once a slice was spent, whatever the runs.
    budget.spend(10);
    expect(budget.rest()).toBe(false);
    budget.spend(500_000);
    expect(budget.rest()).toBe(true);
  });

  test("a scope of its own is not touched by the one around it, and leaves it untouched", () => {
    const xs = Array.from({ length: 1000 }, () => 1);
    const outer = scoped(10_000, () => {
      const before = scoped(1e9, () => compile("sum(xs)").evaluate({ xs }));
      const after = compile("sum(xs)").evaluate({ xs });
      return [before.value, after];
    });
    expect(outer.value).toEqual([1000, 1000]);
    expect(outer.spent).toBeLessThan(2100);
  });
});
