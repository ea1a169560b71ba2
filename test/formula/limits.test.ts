import { describe, expect, it } from "vitest";
import { compile, DEFAULT_LIMITS } from "../../src/formula/index.ts";
import { errorOf, failure } from "./helpers.ts";

function limitError(action: () => unknown, limit: string, value: number) {
  const error = errorOf(action);
  expect(error.code).toBe("FORMULA_LIMIT");
  expect(error.details).toEqual({ limit, value });
  expect(error.message).toContain(String(value));
  return error;
}

describe("limits", () => {
  it("has sensible defaults", () => {
    expect(DEFAULT_LIMITS).toEqual({
      maxSourceLength: 4096,
      maxDepth: 64,
      maxNodes: 2000,
      maxArrayLength: 100_000,
    });
  });

  it("rejects a source longer than maxSourceLength", () => {
    compile(`1${" ".repeat(4095)}`);
    const error = limitError(() => compile(`1${" ".repeat(4096)}`), "maxSourceLength", 4096);
    expect(error.position?.offset).toBe(4096);
    limitError(() => compile("1 + 1", { limits: { maxSourceLength: 3 } }), "maxSourceLength", 3);
  });

  it("rejects nesting deeper than maxDepth, for parentheses and for operator chains", () => {
    compile(`${"(".repeat(60)}1${")".repeat(60)}`);
    limitError(() => compile(`${"(".repeat(65)}1${")".repeat(65)}`), "maxDepth", 64);
    limitError(() => compile(`${"-".repeat(70)}1`), "maxDepth", 64);
    limitError(() => compile(Array.from({ length: 70 }, () => "x").join(" + ")), "maxDepth", 64);
    limitError(() => compile("[[[[1]]]]", { limits: { maxDepth: 3 } }), "maxDepth", 3);
    limitError(() => compile("2^2^2^2^2", { limits: { maxDepth: 3 } }), "maxDepth", 3);
  });

  it("caps maxDepth at 256 whatever the caller asks, so the stack is never at risk", () => {
    const limits = { maxSourceLength: 1_000_000, maxDepth: 100_000, maxNodes: 1_000_000 };
    limitError(
      () => compile(`${"(".repeat(50_000)}1${")".repeat(50_000)}`, { limits }),
      "maxDepth",
      256,
    );
    limitError(
      () => compile(`${"[".repeat(50_000)}1${"]".repeat(50_000)}`, { limits }),
      "maxDepth",
      256,
    );
    expect(compile(`${"(".repeat(200)}1${")".repeat(200)}`, { limits }).evaluate({})).toBe(1);
  });

  it("rejects more than maxNodes nodes", () => {
    const wide = `[${"1,".repeat(2001)}1]`;
    const error = limitError(() => compile(wide), "maxNodes", 2000);
    expect(error.position).toBeDefined();
    limitError(() => compile("1 + 2 + 3", { limits: { maxNodes: 4 } }), "maxNodes", 4);
  });

  it("rejects an array literal longer than maxArrayLength", () => {
    limitError(
      () => compile("[1, 2, 3, 4]", { limits: { maxArrayLength: 3 } }),
      "maxArrayLength",
      3,
    );
  });

  it("rejects input arrays longer than maxArrayLength, nested elements counted", () => {
    const limits = { maxArrayLength: 5 };
    expect(compile("len(xs)", { limits }).evaluate({ xs: [1, 2, 3, 4, 5] })).toBe(5);
    limitError(
      () => compile("len(xs)", { limits }).evaluate({ xs: [1, 2, 3, 4, 5, 6] }),
      "maxArrayLength",
      5,
    );
    limitError(
      () =>
        compile("len(xs)", { limits }).evaluate({
          xs: [
            [1, 2],
            [3, 4],
          ],
        }),
      "maxArrayLength",
      5,
    );
    limitError(
      () => compile("len(xs)").evaluate({ xs: new Array(100_001).fill(0) }),
      "maxArrayLength",
      100_000,
    );
  });

  it("rejects input arrays nested deeper than maxDepth", () => {
    let nested: unknown = 1;
    for (let i = 0; i < 70; i++) nested = [nested];
    limitError(() => compile("xs").evaluate({ xs: nested }), "maxDepth", 64);
  });

  it("rejects arrays built at evaluation beyond maxArrayLength, counting shared copies in full", () => {
    const limits = { maxArrayLength: 6 };
    expect(compile("[xs, xs]", { limits }).evaluate({ xs: [1, 2] })).toEqual([
      [1, 2],
      [1, 2],
    ]);
    limitError(
      () => compile("[xs, xs, xs]", { limits }).evaluate({ xs: [1, 2] }),
      "maxArrayLength",
      6,
    );
    limitError(
      () =>
        compile("[[xs, xs], [xs, xs]]", { limits: { maxArrayLength: 12 } }).evaluate({
          xs: [1, 2],
        }),
      "maxArrayLength",
      12,
    );
  });

  it("bounds strings built by + and concat", () => {
    const limits = { maxArrayLength: 10 };
    expect(compile("s + s", { limits }).evaluate({ s: "abcde" })).toBe("abcdeabcde");
    limitError(
      () => compile("s + s + s", { limits }).evaluate({ s: "abcde" }),
      "maxArrayLength",
      10,
    );
    limitError(
      () => compile("concat(s, s, s)", { limits }).evaluate({ s: "abcde" }),
      "maxArrayLength",
      10,
    );
  });

  it("reports the array limit with its position", () => {
    const error = failure(
      "[xs, xs]",
      "FORMULA_LIMIT",
      { xs: [1, 2] },
      { limits: { maxArrayLength: 3 } },
    );
    expect(error.position?.offset).toBe(0);
  });
});
