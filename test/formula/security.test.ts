import { afterEach, describe, expect, it } from "vitest";
import { compile, FormulaError, type Vars } from "../../src/formula/index.ts";

const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
const arrayProtoKeys = Object.getOwnPropertyNames(Array.prototype).sort();

/** Every attempt must fail cleanly with a FormulaError or read own data only. */
function attempt(source: string, vars: Vars = {}): unknown {
  try {
    const formula = compile(source);
    // Three times: the first evaluation, then the general and the fast paths.
    formula.evaluate(vars);
    formula.evaluate(vars);
    return formula.evaluate(vars);
  } catch (error) {
    expect(error).toBeInstanceOf(FormulaError);
    return error;
  }
}

afterEach(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoKeys);
  expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(arrayProtoKeys);
});

describe("injection attempts", () => {
  it.each([
    "__proto__",
    "constructor",
    "toString",
    "prototype",
    "hasOwnProperty",
    "valueOf",
    "globalThis",
    "process",
    "this",
    "window",
    "eval",
  ])("the name %s is an ordinary missing name", (name) => {
    const error = attempt(name);
    expect(error).toBeInstanceOf(FormulaError);
    expect((error as FormulaError).code).toBe("FORMULA_UNKNOWN_NAME");
  });

  it.each([
    "constructor(1)",
    "toString()",
    "__proto__(1)",
    "hasOwnProperty('x')",
    "eval('1')",
    "Function('return 1')",
  ])("%s is an unknown function", (source) => {
    expect((attempt(source) as FormulaError).code).toBe("FORMULA_UNKNOWN_FUNCTION");
  });

  it.each([
    ["x.__proto__.polluted", { x: {} }],
    ["x.constructor", { x: {} }],
    ["x.constructor.constructor", { x: {} }],
    ["constructor.constructor", {}],
    ["x.toString", { x: { a: 1 } }],
    ["xs.length", { xs: [1] }],
    ["xs.constructor", { xs: [1] }],
    ["s.length", { s: "abc" }],
  ])("%s reads nothing from a prototype", (source, vars) => {
    const error = attempt(source, vars);
    expect(error).toBeInstanceOf(FormulaError);
  });

  it.each([
    "[].constructor",
    "[1].__proto__",
    "'a'.constructor",
    "(1).constructor",
    "sum(xs).constructor",
  ])("%s cannot even be written", (source) => {
    expect((attempt(source) as FormulaError).code).toBe("FORMULA_SYNTAX");
  });

  it("an own __proto__ key in vars is read as data, and nothing else", () => {
    const vars = JSON.parse('{"__proto__": {"polluted": 1}, "o": {"__proto__": {"polluted": 2}}}');
    expect(attempt("__proto__.polluted", vars)).toBe(1);
    expect(attempt("o.__proto__.polluted", vars)).toBe(2);
    expect((attempt("polluted", vars) as FormulaError).code).toBe("FORMULA_UNKNOWN_NAME");
  });

  it("inherited properties of vars are not read", () => {
    const vars = Object.create({ secret: 42, nested: { a: 1 } }) as Vars;
    expect((attempt("secret", vars) as FormulaError).code).toBe("FORMULA_UNKNOWN_NAME");
    expect((attempt("nested.a", vars) as FormulaError).code).toBe("FORMULA_UNKNOWN_NAME");
  });

  it("a polluted Object.prototype is still not read", () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.sneaky = 7;
    try {
      expect((attempt("sneaky + 1", { x: 1 }) as FormulaError).code).toBe("FORMULA_UNKNOWN_NAME");
      expect((attempt("o.sneaky", { o: {} }) as FormulaError).code).toBe("FORMULA_UNKNOWN_NAME");
    } finally {
      delete proto.sneaky;
    }
  });

  it("evaluation never mutates vars", () => {
    const vars = { xs: [3, 1, 2], o: { a: [1] }, s: "x" };
    const before = JSON.stringify(vars);
    attempt(
      "[median(xs), mode(xs), percentile(xs, 0.5), slice(xs, 1), xs * 2, o.a[0], concat(s, 'y')]",
      vars,
    );
    expect(JSON.stringify(vars)).toBe(before);
  });

  it("strings that look like code are only strings", () => {
    expect(attempt("'constructor' + '.constructor'")).toBe("constructor.constructor");
    expect(attempt("concat('__proto__', '')")).toBe("__proto__");
  });

  it("arrays returned or passed through do not expose prototypes to later formulas", () => {
    const formula = compile("contains(xs, 'constructor')");
    expect(formula.evaluate({ xs: ["a"] })).toBe(false);
  });
});
