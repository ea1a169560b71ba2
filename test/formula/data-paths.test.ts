import { describe, expect, it } from "vitest";
import { at, failure, run } from "./helpers.ts";

describe("names, dotted paths and indexing", () => {
  it("reads names with underscores and digits", () => {
    expect(run("stock_level + x2", { stock_level: 5, x2: 1 })).toBe(6);
  });

  it("reads nested objects through dotted paths", () => {
    const obs = { order: { qty: 3, sku: "w" } };
    expect(run("obs.order.qty * 2", { obs })).toBe(6);
    expect(run("obs.order.sku", { obs })).toBe("w");
  });

  it("indexes arrays from the start and from the end", () => {
    const xs = [10, 20, 30];
    expect(run("xs[0]", { xs })).toBe(10);
    expect(run("xs[-1]", { xs })).toBe(30);
    expect(run("xs[-3]", { xs })).toBe(10);
    expect(run("xs[1 + 1]", { xs })).toBe(30);
    expect(run("[5, 6][-1]")).toBe(6);
    expect(run("slice(xs, 1)[0]", { xs })).toBe(20);
  });

  it("mixes fields and indexes over raw data", () => {
    const obs = {
      items: [{ qty: 2 }, { qty: 5 }],
      grid: [
        [1, 2],
        [3, 4],
      ],
    };
    expect(run("obs.items[-1].qty", { obs })).toBe(5);
    expect(run("obs.grid[1][0]", { obs })).toBe(3);
    expect(run("history.price[-2]", { history: { price: [1, 2, 3] } })).toBe(2);
  });

  it("an index out of range is a missing element: FORMULA_UNKNOWN_NAME at the bracket", () => {
    const error = failure("xs[3]", "FORMULA_UNKNOWN_NAME", { xs: [1, 2, 3] });
    expect(error.message).toContain("index 3 is out of range for `xs` (length 3)");
    expect(at(error)).toEqual([2, 1, 3]);
    failure("xs[-4]", "FORMULA_UNKNOWN_NAME", { xs: [1, 2, 3] });
    failure("[][0]", "FORMULA_UNKNOWN_NAME");
  });

  it("an index must be an integer", () => {
    failure("xs[0.5]", "FORMULA_TYPE", { xs: [1] });
    failure("xs['0']", "FORMULA_TYPE", { xs: [1] });
    failure("xs[i]", "FORMULA_NULL", { xs: [1], i: null });
  });

  it("only arrays can be indexed", () => {
    failure("s[0]", "FORMULA_TYPE", { s: "abc" });
    failure("o[0]", "FORMULA_TYPE", { o: { a: 1 } });
    failure("(1 + 2)[0]", "FORMULA_TYPE");
    failure("xs[0]", "FORMULA_NULL", { xs: null });
  });

  it("a missing field names the path, with a did-you-mean", () => {
    const error = failure("obs.order.qtty", "FORMULA_UNKNOWN_NAME", { obs: { order: { qty: 1 } } });
    expect(error.message).toContain("`obs.order` has no field `qtty`");
    expect(error.hint).toBe("did you mean `obs.order.qty`?");
    expect(error.details).toEqual({ name: "obs.order.qtty" });
    expect(at(error)).toEqual([10, 1, 11]);
  });

  it("a field of null is FORMULA_NULL; of a non-object FORMULA_TYPE", () => {
    failure("obs.order.qty", "FORMULA_NULL", { obs: { order: null } });
    failure("obs.qty", "FORMULA_TYPE", { obs: 5 });
    failure("xs.length", "FORMULA_TYPE", { xs: [1, 2] });
  });

  it("a plain object read whole is a type error pointing at dotted paths", () => {
    const error = failure("obs", "FORMULA_TYPE", { obs: { a: 1 } });
    expect(error.hint).toContain("obs.field");
  });

  it.each([
    ["an undefined value", undefined],
    ["a function", () => 1],
    ["a class instance", new Date(0)],
    ["a bigint", 1n],
  ])("a name holding %s is a type error", (_label, value) => {
    failure("x", "FORMULA_TYPE", { x: value });
  });

  it("array data must hold values only", () => {
    failure("xs", "FORMULA_TYPE", { xs: [1, { a: 1 }] });
    failure("xs", "FORMULA_TYPE", { xs: [1, undefined] });
    // biome-ignore lint/suspicious/noSparseArray: a hole is what is being tested.
    failure("xs", "FORMULA_TYPE", { xs: [1, , 2] });
    failure("xs", "FORMULA_NON_FINITE", { xs: [1, Number.NaN] });
  });

  it("a non-finite number in the input is FORMULA_NON_FINITE", () => {
    failure("x + 1", "FORMULA_NON_FINITE", { x: Number.POSITIVE_INFINITY });
    expect(run("x", { x: Number.NaN }, { nonFinite: "null" })).toBe(null);
  });

  it("fields can only be read from data", () => {
    failure("(1 + 2).x", "FORMULA_SYNTAX");
    failure("sum(xs).x", "FORMULA_SYNTAX");
    failure("'s'.length", "FORMULA_SYNTAX");
    failure("pi.x", "FORMULA_SYNTAX");
  });

  it("only functions can be called", () => {
    failure("xs[0](1)", "FORMULA_SYNTAX");
    failure("(f)(1)", "FORMULA_SYNTAX");
  });

  it("reads keyword-like field names", () => {
    expect(run("o.and + o.null", { o: { and: 1, null: 2 } })).toBe(3);
  });

  it("the constants pi and e cannot be shadowed by inputs", () => {
    expect(run("pi", { pi: 3 })).toBe(Math.PI);
    expect(run("e", { e: 1 })).toBe(Math.E);
  });
});
