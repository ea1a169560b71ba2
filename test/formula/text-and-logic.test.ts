import { describe, expect, it } from "vitest";
import { failure, run } from "./helpers.ts";

describe("string functions", () => {
  it("concat joins strings, numbers and booleans", () => {
    expect(run("concat('price ', price)", { price: 3.5 })).toBe("price 3.5");
    expect(run("concat('a', true, 1, 'b')")).toBe("atrue1b");
    expect(run("concat('x')")).toBe("x");
  });

  it("concat refuses null and arrays", () => {
    expect(failure("concat('p', price)", "FORMULA_NULL", { price: null }).message).toContain(
      "`price` is null",
    );
    failure("concat('p', [1])", "FORMULA_TYPE");
  });

  it("lower and upper", () => {
    expect(run("lower('AbC')")).toBe("abc");
    expect(run("upper('AbC')")).toBe("ABC");
    failure("upper(1)", "FORMULA_TYPE");
  });

  it("contains finds a substring, or a value in an array", () => {
    expect(run("contains('hello', 'ell')")).toBe(true);
    expect(run("contains('hello', 'xyz')")).toBe(false);
    expect(run("contains([1, 2, 3], 2)")).toBe(true);
    expect(run("contains([[1, 2]], [1, 2])")).toBe(true);
    expect(run("contains([1, 2], '1')")).toBe(false);
    failure("contains(12, '1')", "FORMULA_TYPE");
    failure("contains('12', 1)", "FORMULA_TYPE");
  });
});

describe("logic functions", () => {
  it("if picks a branch by a boolean", () => {
    expect(run("if(x > 1, 'big', 'small')", { x: 2 })).toBe("big");
    expect(run("if(false, 1, [2])")).toEqual([2]);
  });

  it("coalesce returns the first non-null argument, or null", () => {
    expect(run("coalesce(null, 2)")).toBe(2);
    expect(run("coalesce(price, 0) * 2", { price: null })).toBe(0);
    expect(run("coalesce(false, true)")).toBe(false);
    expect(run("coalesce(null)")).toBe(null);
  });

  it("isnull tells null from everything else", () => {
    expect(run("isnull(null)")).toBe(true);
    expect(run("isnull(0)")).toBe(false);
    expect(run("isnull('')")).toBe(false);
    expect(run("isnull(x)", { x: null })).toBe(true);
  });
});
