import { describe, expect, it } from "vitest";
import { failure, run } from "./helpers.ts";

describe("lazy evaluation", () => {
  it("and does not evaluate its right side when the left is false", () => {
    expect(run("false and 1 / 0 > 1")).toBe(false);
    expect(run("false and missing")).toBe(false);
    expect(run("x > 1 and sqrt(-x) > 0", { x: 0 })).toBe(false);
  });

  it("or does not evaluate its right side when the left is true", () => {
    expect(run("true or 1 / 0 > 1")).toBe(true);
    expect(run("true || missing")).toBe(true);
  });

  it("the conditional evaluates only the branch taken", () => {
    expect(run("true ? 1 : 1 / 0")).toBe(1);
    expect(run("false ? missing.field : 'ok'")).toBe("ok");
    expect(run("x > 0 ? x : sqrt(-1)", { x: 2 })).toBe(2);
  });

  it("if() evaluates only the branch taken", () => {
    expect(run("if(true, 1, 1 / 0)")).toBe(1);
    expect(run("if(false, missing, 2)")).toBe(2);
  });

  it("coalesce() stops at the first non-null argument", () => {
    expect(run("coalesce(1, 1 / 0)")).toBe(1);
    expect(run("coalesce(x, missing)", { x: 0 })).toBe(0);
    expect(run("coalesce(x, y, 3)", { x: null, y: null })).toBe(3);
  });

  it("unknown functions are compile errors even in a branch never taken", () => {
    failure("false and nope(1)", "FORMULA_UNKNOWN_FUNCTION");
  });

  it("a taken branch still reports its error", () => {
    failure("true ? 1 / 0 : 1", "FORMULA_NON_FINITE");
    failure("true and missing", "FORMULA_UNKNOWN_NAME");
  });

  it("conditions must be booleans, with no truthiness", () => {
    failure("1 ? 2 : 3", "FORMULA_TYPE");
    failure("1 and true", "FORMULA_TYPE");
    failure("true and 1", "FORMULA_TYPE");
    failure("null or true", "FORMULA_TYPE");
    failure("not 0", "FORMULA_TYPE");
    failure("!'x'", "FORMULA_TYPE");
    failure("if('yes', 1, 2)", "FORMULA_TYPE");
  });
});
