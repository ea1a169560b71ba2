/**
 * Runs a compiled formula over one of the three request shapes: vars (one
 * value), rows (one value per row) or columns (one value per index).
 */
import { type CompiledFormula, FormulaError, type Value } from "../formula/index.ts";
import { ApiError, fromFormulaError } from "./errors.ts";
import type { EvalShape } from "./formula-schemas.ts";

export type EvalOutput = { value: Value } | { values: Value[] };

/** Evaluates `formula` as the request asks; a failing row is named in the error. */
export function runEval(formula: CompiledFormula, input: EvalShape): EvalOutput {
  const options = { nonFinite: input.non_finite ?? "error" } as const;
  if (input.rows) {
    const values: Value[] = [];
    input.rows.forEach((row, i) => {
      try {
        values.push(formula.evaluate(row, options));
      } catch (error) {
        if (error instanceof FormulaError) throw fromFormulaError(error, { row: i });
        throw error;
      }
    });
    return { values };
  }
  if (input.columns) {
    const lengths = new Set(Object.values(input.columns).map((column) => column.length));
    if (lengths.size > 1) {
      throw new ApiError(400, "VALIDATION_FAILED", "every column must have the same length", {
        lengths: Object.fromEntries(Object.entries(input.columns).map(([k, v]) => [k, v.length])),
      });
    }
    return { values: formula.evaluateColumns(input.columns, options) };
  }
  return { value: formula.evaluate(input.vars ?? {}, options) };
}
