import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile, FormulaError } from "../../src/formula/index.ts";
import { expr, pieces, printFull, printMinimal, vars } from "./reference/arbitraries.ts";

/** Compiles and evaluates `source` a few times; returns how long each step took at most. */
function exercise(source: string, inputs: Record<string, unknown>): number {
  let slowest = 0;
  const timed = (action: () => unknown) => {
    const start = performance.now();
    try {
      action();
    } catch (error) {
      if (!(error instanceof FormulaError)) throw error;
    } finally {
      slowest = Math.max(slowest, performance.now() - start);
    }
  };
  let formula: ReturnType<typeof compile> | undefined;
  timed(() => {
    formula = compile(source);
  });
  if (formula === undefined) return slowest;
  const compiled = formula;
  for (let i = 0; i < 3; i++) timed(() => compiled.evaluate(inputs));
  timed(() => compiled.evaluate(inputs, { nonFinite: "null" }));
  timed(() =>
    compiled.evaluateColumns(Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, [v]]))),
  );
  return slowest;
}

describe("robustness: any input fails only with a FormulaError, quickly", () => {
  it("for printed expression trees", () => {
    fc.assert(
      fc.property(expr, vars, fc.boolean(), (e, inputs, full) => {
        expect(exercise(full ? printFull(e) : printMinimal(e), inputs)).toBeLessThan(100);
      }),
      { numRuns: 1500 },
    );
  });

  it("for random text made of formula pieces", () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), vars, (parts, inputs) => {
        expect(exercise(parts.join(""), inputs)).toBeLessThan(100);
      }),
      { numRuns: 3000 },
    );
  });

  it("for arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60, unit: "binary" }), (source) => {
        expect(exercise(source, {})).toBeLessThan(100);
      }),
      { numRuns: 2000 },
    );
  });

  it("for arbitrary JSON inputs to arbitrary formulas", () => {
    fc.assert(
      fc.property(
        expr,
        fc.dictionary(fc.constantFrom("a", "b", "xs", "o", "s"), fc.jsonValue({ maxDepth: 3 })),
        (e, inputs) => {
          expect(exercise(printMinimal(e), inputs)).toBeLessThan(100);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("for the limits at their edges", () => {
    const limits = fc.record({
      maxSourceLength: fc.integer({ min: 0, max: 200 }),
      maxDepth: fc.integer({ min: 0, max: 1000 }),
      maxNodes: fc.integer({ min: 0, max: 50 }),
      maxArrayLength: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(expr, vars, limits, (e, inputs, chosen) => {
        try {
          const formula = compile(printMinimal(e), { limits: chosen });
          formula.evaluate(inputs);
        } catch (error) {
          expect(error).toBeInstanceOf(FormulaError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
