import { describe, expect, it } from "vitest";
import { failure, run, runAll } from "./helpers.ts";

describe("arithmetic", () => {
  it("computes with doubles", () => {
    expect(runAll("0.1 + 0.2")).toBe(0.1 + 0.2);
    expect(runAll("a * b - c / d", { a: 2, b: 3, c: 1, d: 4 })).toBe(5.75);
  });

  it("% keeps the dividend's sign, as in JavaScript", () => {
    expect(run("-7 % 3")).toBe(-1);
    expect(run("7.5 % 2")).toBe(1.5);
  });

  it("+ concatenates two strings", () => {
    expect(run("'ab' + \"cd\"")).toBe("abcd");
  });

  it.each([
    ["'a' + 1", "FORMULA_TYPE"],
    ["1 + 'a'", "FORMULA_TYPE"],
    ["'a' - 'b'", "FORMULA_TYPE"],
    ["true + 1", "FORMULA_TYPE"],
    ["-'a'", "FORMULA_TYPE"],
    ["+true", "FORMULA_TYPE"],
  ] as const)("does not coerce: %s is %s", (source, code) => {
    failure(source, code);
  });

  it("suggests concat when text meets a number", () => {
    expect(failure("'a' + 1", "FORMULA_TYPE").hint).toContain("concat");
  });
});

describe("comparison", () => {
  it.each([
    ["1 < 2", true],
    ["2 <= 2", true],
    ["3 > 4", false],
    ["4 >= 4", true],
    ["'apple' < 'banana'", true],
    ["'b' > 'abc'", true],
    ["'Z' < 'a'", true],
  ])("%s is %s", (source, value) => {
    expect(run(source)).toBe(value);
  });

  it.each(["1 < '2'", "true < false", "null < 1", "1 >= null", "[1] < [2]"])(
    "%s is a type error",
    (source) => {
      failure(source, "FORMULA_TYPE");
    },
  );

  it("points a null comparison at coalesce", () => {
    expect(failure("x > 1", "FORMULA_TYPE", { x: null }).hint).toContain("coalesce(x");
  });
});

describe("equality", () => {
  it.each([
    ["1 == 1", true],
    ["1 == '1'", false],
    ["1 != '1'", true],
    ["null == null", true],
    ["null == 0", false],
    ["false == 0", false],
    ["'' == false", false],
    ["[1, [2, 3]] == [1, [2, 3]]", true],
    ["[1, 2] == [1, 2, 3]", false],
    ["[1, '2'] == [1, 2]", false],
    ["[] == []", true],
    ["true != false", true],
  ])("%s is %s", (source, value) => {
    expect(run(source)).toBe(value);
  });

  it("never fails, whatever the types", () => {
    expect(run("x == y", { x: [1, null], y: "s" })).toBe(false);
  });
});
