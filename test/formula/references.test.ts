import { describe, expect, it } from "vitest";
import { referencedFormulas } from "../../src/formula/index.ts";

describe("referencedFormulas: the fn.NAME calls of a source, from its syntax tree", () => {
  it("finds calls however they are spaced, across lines too", () => {
    expect(referencedFormulas("fn.a(1)")).toEqual(["a"]);
    expect(referencedFormulas("fn . b(2)")).toEqual(["b"]);
    expect(referencedFormulas("fn\n.c(3)")).toEqual(["c"]);
    expect(referencedFormulas("fn.\r\n\tprice(2) * 3")).toEqual(["price"]);
  });

  it("finds nested and repeated calls, sorted and unique", () => {
    expect(referencedFormulas("fn.zeta(fn.alpha(1), fn.zeta(2)) + if(x, fn.mid(x), 0)")).toEqual([
      "alpha",
      "mid",
      "zeta",
    ]);
  });

  it("a string literal that looks like a call is not one", () => {
    expect(referencedFormulas('concat("fn.secret(1)", x)')).toEqual([]);
    expect(referencedFormulas("'fn . other(2)' == label")).toEqual([]);
    expect(referencedFormulas('fn.real("fn.fake(1)")')).toEqual(["real"]);
  });

  it("fn as a property of data, or inside a longer name, is not a call", () => {
    expect(referencedFormulas("obs.fn.x + 1")).toEqual([]);
    expect(referencedFormulas("xs[0].fn")).toEqual([]);
    expect(referencedFormulas("fnord + defn")).toEqual([]);
  });

  it("a source that does not parse calls nothing; compiling it reports the error", () => {
    expect(referencedFormulas("fn.a(1")).toEqual([]);
    expect(referencedFormulas("fn.a")).toEqual([]);
    expect(referencedFormulas("fn + 1")).toEqual([]);
  });

  it("a source without calls has none", () => {
    expect(referencedFormulas("a * x^2 + b")).toEqual([]);
    expect(referencedFormulas("")).toEqual([]);
  });
});
