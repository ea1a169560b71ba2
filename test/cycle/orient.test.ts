import { describe, expect, test } from "vitest";
import { drive, goalOf, MIN, verdict } from "./helpers.ts";

describe("orient", () => {
  test("formulas see params, latest values, earlier oriented names, now and cycle", () => {
    const goal = goalOf({
      params: { rate: 0.5 },
      observe: { x: { from: "push" } },
      orient: { total: "half + x", half: "x * rate", stamp: "concat(cycle, '@', now)" },
    });
    const result = drive(goal).run(4 * MIN, { x: 10 });
    expect(result.receipt.oriented).toEqual({ half: 5, total: 15, stamp: `1@${4 * MIN}` });
  });

  test("prev.NAME is the previous cycle's value, null on the first cycle", () => {
    const goal = goalOf({
      orient: { count: "coalesce(prev.count, 0) + 1", was: "isnull(prev.count)" },
    });
    const loop = drive(goal);
    expect(loop.run(0).receipt.oriented).toEqual({ count: 1, was: true });
    expect(loop.run(MIN).receipt.oriented).toEqual({ count: 2, was: false });
    expect(loop.run(2 * MIN).receipt.oriented).toEqual({ count: 3, was: false });
  });

  test("history.NAME is the observed values, oldest first", () => {
    const goal = goalOf({
      observe: { p: { from: "push" } },
      orient: { h: "history.p", d: "delta(history.p)" },
    });
    const loop = drive(goal);
    loop.run(0, { p: 1 });
    loop.run(MIN, { p: 4 });
    expect(loop.run(2 * MIN, { p: 9 }).receipt.oriented).toEqual({ h: [1, 4, 9], d: 5 });
  });

  test("a failing formula is recorded with its code; the names after it go on", () => {
    const goal = goalOf({
      observe: { x: { from: "push" } },
      orient: { ratio: "1 / x", next: "ratio * 2", other: "x + 1" },
      decide: {
        rules: [
          { id: "r", when: "next > 1", do: "a" },
          { id: "s", when: "other > 0", do: "a" },
        ],
      },
      act: { a: { webhook: "https://h.example/" } },
    });
    const result = drive(goal).run(0, { x: 0 });
    expect(result.receipt.oriented.ratio).toEqual({
      error: { code: "FORMULA_NON_FINITE", message: expect.any(String) },
    });
    expect(result.receipt.oriented.next).toEqual({
      error: { code: "FORMULA_NON_FINITE", message: expect.stringContaining("ratio failed") },
    });
    expect(result.receipt.oriented.other).toBe(1);
    expect(verdict(result, "r")).toMatchObject({ status: "error", code: "FORMULA_NON_FINITE" });
    expect(verdict(result, "s").status).toBe("matched");
  });

  test("a name that failed has no previous value next cycle", () => {
    const goal = goalOf({
      observe: { x: { from: "push" } },
      orient: { inv: "1 / x", was: "isnull(prev.inv)" },
    });
    const loop = drive(goal);
    loop.run(0, { x: 0 });
    expect(loop.run(MIN, { x: 2 }).receipt.oriented).toEqual({ inv: 0.5, was: true });
  });
});

describe("verdicts explain themselves", () => {
  const goal = goalOf({
    params: { limit: 20 },
    observe: { stock: { from: "push" }, p: { from: "push" } },
    orient: { need: "stock < limit" },
    decide: {
      rules: [
        { id: "reorder", when: "need and stock * 2 < limit", do: "a" },
        { id: "trend", when: "mean(history.p) > 100", do: "a" },
        { id: "typed", when: "stock", do: "a" },
      ],
    },
    act: { a: { webhook: "https://h.example/" } },
  });

  test("a false verdict lists the values of every name its condition read", () => {
    const result = drive(goal).run(0, { stock: 50, p: 1 });
    expect(verdict(result, "reorder")).toMatchObject({
      status: "false",
      reason: "condition is false",
      values: { need: false, stock: 50, limit: 20 },
    });
  });

  test("long arrays are summarized by length and last value", () => {
    const loop = drive(goal);
    for (let i = 0; i < 12; i++) loop.run(i * MIN, { stock: 50, p: i });
    const result = loop.run(12 * MIN, { stock: 50, p: 12 });
    expect(verdict(result, "trend").values).toEqual({ "history.p": { length: 13, last: 12 } });
  });

  test("a condition that is not a boolean is an error, not false", () => {
    const result = drive(goal).run(0, { stock: 50, p: 1 });
    expect(verdict(result, "typed")).toMatchObject({ status: "error", code: "WHEN_NOT_BOOLEAN" });
  });
});
