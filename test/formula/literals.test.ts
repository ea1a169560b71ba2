import { describe, expect, it } from "vitest";
import { failure, run } from "./helpers.ts";

describe("literals", () => {
  it.each([
    ["1", 1],
    ["2.5", 2.5],
    ["1e-3", 0.001],
    ["1E3", 1000],
    ["2.5e+2", 250],
    [".5", 0.5],
    ["0.1", 0.1],
    ["007", 7],
    ["123456789012345678901", Number("123456789012345678901")],
  ])("reads the number %s", (source, value) => {
    expect(run(source)).toBe(value);
  });

  it("reads true, false and null", () => {
    expect(run("true")).toBe(true);
    expect(run("false")).toBe(false);
    expect(run("null")).toBe(null);
  });

  it("reads strings in double or single quotes", () => {
    expect(run('"text"')).toBe("text");
    expect(run("'text'")).toBe("text");
    expect(run("''")).toBe("");
  });

  it.each([
    [String.raw`"a\\b"`, "a\\b"],
    [String.raw`"say \"hi\""`, 'say "hi"'],
    [String.raw`'it\'s'`, "it's"],
    [String.raw`"line\nbreak"`, "line\nbreak"],
    [String.raw`"tab\there"`, "tab\there"],
    [String.raw`"\u00e9\u0041"`, "éA"],
    [`"it's"`, "it's"],
  ])("resolves the escapes in %s", (source, value) => {
    expect(run(source)).toBe(value);
  });

  it("reads arrays, nested and empty", () => {
    expect(run("[1, 2, 3]")).toEqual([1, 2, 3]);
    expect(run("[]")).toEqual([]);
    expect(run("[[1, 'a'], [true, null]]")).toEqual([
      [1, "a"],
      [true, null],
    ]);
  });

  it("rejects an unknown escape, naming the valid ones", () => {
    const error = failure(String.raw`"a\qb"`, "FORMULA_SYNTAX");
    expect(error.message).toContain("\\q");
    expect(error.hint).toContain("\\uXXXX");
    expect(error.position?.offset).toBe(2);
  });

  it("rejects a \\u escape without four hex digits", () => {
    expect(failure(String.raw`"\u12"`, "FORMULA_SYNTAX").message).toContain("four hex digits");
  });

  it("rejects an unterminated string at its opening quote", () => {
    const error = failure("1 + 'abc", "FORMULA_SYNTAX");
    expect(error.message).toContain("unterminated string");
    expect(error.position?.offset).toBe(4);
  });

  it("rejects a number literal too large for a double at compile time", () => {
    const error = failure("1 + 1e999", "FORMULA_NON_FINITE");
    expect(error.position?.offset).toBe(4);
  });

  it("rejects malformed numbers", () => {
    expect(failure("1.", "FORMULA_SYNTAX").message).toContain("digit after the decimal point");
    expect(failure("1e", "FORMULA_SYNTAX").message).toContain("exponent");
    expect(failure("1e+", "FORMULA_SYNTAX").message).toContain("exponent");
  });

  it("rejects a number glued to a name, suggesting an explicit product", () => {
    const error = failure("2x", "FORMULA_SYNTAX");
    expect(error.hint).toContain("2 * x");
  });
});
