import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Node } from "../../src/formula/ast.ts";
import { compile, DEFAULT_LIMITS, FormulaError, type Value } from "../../src/formula/index.ts";
import { parse } from "../../src/formula/parse/parser.ts";
import { expr, printFull, printMinimal, vars } from "./reference/arbitraries.ts";
import { evaluate, RefError } from "./reference/evaluator.ts";

/** A node without its source positions, to compare trees parsed from different texts. */
function shape(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(shape);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (!["start", "end", "depth", "opStart", "propertyStart"].includes(key))
      out[key] = shape(value);
  }
  return out;
}

type Outcome = { value: string } | { code: string };

function outcome(action: () => Value): Outcome {
  try {
    // JSON, because results are promised JSON-safe and -0 and 0 are the same JSON.
    return { value: JSON.stringify(action()) };
  } catch (error) {
    if (error instanceof FormulaError || error instanceof RefError) return { code: error.code };
    throw error;
  }
}

describe("compiled formulas agree with the reference evaluator", () => {
  it("fully parenthesized and minimally parenthesized prints parse to the same tree", () => {
    fc.assert(
      fc.property(expr, (e) => {
        const full = parse(printFull(e), DEFAULT_LIMITS);
        const minimal = parse(printMinimal(e), DEFAULT_LIMITS);
        expect(shape(minimal)).toEqual(shape(full));
      }),
      { numRuns: 400 },
    );
  });

  it("every evaluation path gives the reference's value or error code", () => {
    fc.assert(
      fc.property(expr, vars, (e, inputs) => {
        const source = printMinimal(e);
        let ast: Node;
        try {
          ast = parse(source, DEFAULT_LIMITS);
        } catch (error) {
          // Generated trees may exceed the depth limit; compile must say so too.
          expect(error).toBeInstanceOf(FormulaError);
          return;
        }
        const expected = outcome(() => evaluate(ast, inputs));
        const formula = compile(source);
        // First evaluation, then the general path, then the numeric fast path (if the formula has one).
        for (let i = 0; i < 3; i++)
          expect(
            outcome(() => formula.evaluate(inputs)),
            source,
          ).toEqual(expected);
        const columns = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, [v, v]]));
        const batch = outcome(() => {
          const values = formula.evaluateColumns(columns);
          expect(values[0]).toEqual(values[1]);
          return values[0] ?? null;
        });
        expect(batch, `${source} (columns)`).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it("numeric formulas over numbers agree on the fast and columnar paths", () => {
    const numeric = fc.record({
      a: fc.double({ min: -100, max: 100, noNaN: true }),
      c: fc.integer({ min: -3, max: 3 }),
    });
    const numericExpr = expr.filter(
      (e) =>
        !JSON.stringify(e).match(/"(str|arr|field|index)"|"v":"(null|s|flag|n|xs|ys|o|missing|b)"/),
    );
    fc.assert(
      fc.property(numericExpr, fc.array(numeric, { minLength: 1, maxLength: 5 }), (e, rows) => {
        const source = printMinimal(e);
        const formula = compile(source);
        const expected = rows.map((row) => outcome(() => compile(source).evaluate(row)));
        for (let i = 0; i < 2; i++)
          expect(rows.map((row) => outcome(() => formula.evaluate(row)))).toEqual(expected);
        const columns = { a: rows.map((r) => r.a), c: rows.map((r) => r.c) };
        if (expected.every((o) => "value" in o)) {
          expect(
            formula.evaluateColumns(columns).map((v) => ({ value: JSON.stringify(v) })),
          ).toEqual(expected);
        }
      }),
      { numRuns: 500 },
    );
  });
});
