import { describe, expect, it } from "vitest";
import { compile, FormulaError } from "../../src/formula/index.ts";
import { errorOf } from "./helpers.ts";

describe("FormulaError", () => {
  it("is an Error with a stable code, message, position, hint and details", () => {
    const error = errorOf(() => compile("avg(xs)"));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("FormulaError");
    expect(error.toJSON()).toEqual({
      code: "FORMULA_UNKNOWN_FUNCTION",
      message: "unknown function `avg`; did you mean `mean`?",
      position: { offset: 0, line: 1, column: 1 },
      hint: "did you mean `mean`?",
      details: { name: "avg" },
    });
  });

  it("leaves absent parts out of its JSON form", () => {
    const error = new FormulaError("FORMULA_TYPE", "bad");
    expect(error.toJSON()).toEqual({ code: "FORMULA_TYPE", message: "bad" });
    expect(JSON.parse(JSON.stringify(error))).toEqual({ code: "FORMULA_TYPE", message: "bad" });
  });

  it("carries no stack trace in its JSON form", () => {
    const json = JSON.stringify(errorOf(() => compile("1 +")));
    expect(json).not.toContain("at ");
    expect(json).not.toContain("stack");
  });

  it("a source that is not a string is a syntax error, not a crash", () => {
    expect(errorOf(() => compile(42 as unknown as string)).code).toBe("FORMULA_SYNTAX");
  });
});

describe("inputs that are not objects", () => {
  it("are a type error, not a crash", () => {
    const formula = compile("x + 1");
    for (const vars of [null, undefined, 5, "x"]) {
      expect(errorOf(() => formula.evaluate(vars as unknown as Record<string, unknown>)).code).toBe(
        "FORMULA_TYPE",
      );
    }
  });
});
