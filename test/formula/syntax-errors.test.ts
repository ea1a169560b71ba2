import { describe, expect, it } from "vitest";
import { compile } from "../../src/formula/index.ts";
import { at, errorOf } from "./helpers.ts";

function syntax(source: string) {
  const error = errorOf(() => compile(source));
  expect(error.code).toBe("FORMULA_SYNTAX");
  return error;
}

describe("syntax errors", () => {
  it("say what was expected and what was found, where", () => {
    const error = syntax("1 +");
    expect(error.message).toBe("expected an expression, found the end of the formula");
    expect(at(error)).toEqual([3, 1, 4]);
  });

  it("count lines and columns from 1, offsets from 0", () => {
    const error = syntax("a +\n  b *\n    )");
    expect(error.message).toBe("expected an expression, found `)`");
    expect(at(error)).toEqual([14, 3, 5]);
  });

  it.each([
    ["", "expected an expression, found the end of the formula", [0, 1, 1]],
    ["(1 + 2", "expected `)` to close `(`, found the end of the formula", [6, 1, 7]],
    ["1 2", "expected an operator or the end of the formula, found number `2`", [2, 1, 3]],
    ["x y", "expected an operator or the end of the formula, found name `y`", [2, 1, 3]],
    ["[1, 2", "expected `,` or `]` in the array, found the end of the formula", [5, 1, 6]],
    ["max(1 2)", "expected `,` or `)` in the argument list, found number `2`", [6, 1, 7]],
    ["xs[1", "expected `]` to close the index, found the end of the formula", [4, 1, 5]],
    [
      "a ? b",
      "expected `:` of the conditional `c ? a : b`, found the end of the formula",
      [5, 1, 6],
    ],
    ["1 + and", "expected an expression, found keyword `and`", [4, 1, 5]],
    ["obs.", "expected a field name after `.`, found the end of the formula", [4, 1, 5]],
    ["obs.1", "expected a field name after `.`, found number `1`", [4, 1, 5]],
    ["f(1,)", "expected an expression, found `)`", [4, 1, 5]],
    ["'a' 'b'", "expected an operator or the end of the formula, found string 'b'", [4, 1, 5]],
  ] as const)("%j: %s", (source, message, position) => {
    const error = syntax(source);
    expect(error.message).toBe(message);
    expect(at(error)).toEqual(position);
  });

  it.each([
    ["a = b", "`=`", "use `==` to compare", 2],
    ["a & b", "`&`", "use `and` (or `&&`)", 2],
    ["a | b", "`|`", "use `or` (or `||`)", 2],
    ["a ** 2", "`**`", "use `^` for powers: `x ^ 2`", 2],
    ["a @ b", "`@`", undefined, 2],
    ["a + é", "`é`", undefined, 4],
    ["a # b", "`#`", undefined, 2],
  ])(
    "%j: an unexpected character is named, with a hint for common slips",
    (source, shown, hint, offset) => {
      const error = syntax(source);
      expect(error.message).toContain(shown);
      expect(error.hint).toBe(hint);
      expect(error.position?.offset).toBe(offset);
    },
  );

  it("fn is reserved for formula calls", () => {
    expect(syntax("fn + 1").hint).toContain("fn.name(x)");
    expect(syntax("fn.tax").message).toContain("`(` to call fn.tax");
  });

  it("keywords cannot be used as names", () => {
    syntax("not");
    syntax("and + 1");
    syntax("x + or");
  });

  it("every syntax error carries a full position", () => {
    for (const source of ["((", "1 +* 2", "[,]", "a..b", "x[]", ")"]) {
      const position = syntax(source).position;
      expect(position?.line).toBeGreaterThanOrEqual(1);
      expect(position?.column).toBeGreaterThanOrEqual(1);
    }
  });
});
