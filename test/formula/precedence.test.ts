import { describe, expect, it } from "vitest";
import { failure, run, runAll } from "./helpers.ts";

describe("precedence and associativity", () => {
  it.each([
    ["-2^2", -4],
    ["2^3^2", 512],
    ["(2^3)^2", 64],
    ["2^-1", 0.5],
    ["2^-1^2", 0.5],
    ["-2^-2", -0.25],
    ["--2", 2],
    ["+-2", -2],
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["10 - 4 - 3", 3],
    ["24 / 4 / 3", 2],
    ["2 * 3 % 4", 2],
    ["7 % 4 * 2", 6],
    ["-7 % 3", -1],
    ["7 % -3", 1],
    ["1 + 2 ^ 2 * 3", 13],
    ["2 * -3", -6],
    ["[1, 2, 3][1] ^ 2", 4],
  ])("%s = %s", (source, value) => {
    expect(runAll(source)).toBe(value);
  });

  it.each([
    ["1 + 2 < 4", true],
    ["1 < 2 == 3 < 4", true],
    ["1 == 1 and 2 == 2", true],
    ["true or false and false", true],
    ["(true or false) and false", false],
    ["not true or true", true],
    ["not (true or true)", false],
    ["!false && !false", true],
    ["false || 1 > 0", true],
    ["1 < 2 != false", true],
  ])("%s is %s", (source, value) => {
    expect(run(source)).toBe(value);
  });

  it("not binds tighter than ==, so `not 1 == 1` negates the number 1", () => {
    expect(failure("not 1 == 1", "FORMULA_TYPE").message).toContain("`not` needs a boolean");
    expect(run("not (1 == 2)")).toBe(true);
  });

  it("unary minus binds tighter than multiplication", () => {
    expect(run("-a * b", { a: 2, b: 3 })).toBe(-6);
  });

  it("the conditional binds loosest and nests to the right", () => {
    expect(run("true ? 1 : false ? 2 : 3")).toBe(1);
    expect(run("false ? 1 : false ? 2 : 3")).toBe(3);
    expect(run("false ? 1 : true ? 2 : 3")).toBe(2);
    expect(run("1 > 2 or 3 > 2 ? 'yes' : 'no'")).toBe("yes");
    expect(run("true ? false ? 1 : 2 : 3")).toBe(2);
  });

  it("call, index and member bind tightest", () => {
    expect(run("-abs(-2)^2")).toBe(-4);
    expect(run("-xs[0]^2", { xs: [3] })).toBe(-9);
    expect(run("-o.v^2", { o: { v: 3 } })).toBe(-9);
  });

  it("whitespace and newlines are insignificant", () => {
    expect(run(" 1 +\n\t2\r\n* 3 ")).toBe(7);
  });
});
