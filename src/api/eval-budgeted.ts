/**
 * Runs a compiled formula over one of the three request shapes: vars (one
 * value), rows (one value per row) or columns (one value per index), within
 * the request's work budget (see formula/budget.ts): every row spends from
 * one budget, no evaluation more than a slice of it, and the request lets
 * other requests in between slices.
 */
import { Budget, type CompiledFormula, FormulaError, type Value } from "../formula/index.ts";
import { ApiError, fromFormulaError } from "./errors.ts";
import type { EvalShape } from "./formula-schemas.ts";
import { spendWork } from "./work-rate.ts";

export type EvalOutput = { value: Value } | { values: Value[] };

/** The work units one evaluation request may spend, all its rows together (about 150 ms). */
export const REQUEST_BUDGET = 10_000_000;

/** Lets other requests in: the isolate's other work runs before this one goes on. */
export function yieldNow(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Evaluates `formula` as the request asks, for `tenant` (within its share of
 * the isolate's work, see work-rate.ts: the route admits the request and runs
 * it in the tenant's turn; this counts what it spent); a failing row is named
 * in the error.
 */
export async function runEval(
  tenant: string,
  formula: CompiledFormula,
  input: EvalShape,
): Promise<EvalOutput> {
  const budget = new Budget(REQUEST_BUDGET);
  try {
    return await evaluateWithin(budget, formula, input);
  } finally {
    spendWork(tenant, budget.spent);
  }
}

async function evaluateWithin(
  budget: Budget,
  formula: CompiledFormula,
  input: EvalShape,
): Promise<EvalOutput> {
  const options = { nonFinite: input.non_finite ?? "error" } as const;
  if (input.rows) {
    const values: Value[] = [];
    for (const [i, row] of input.rows.entries()) {
      try {
        values.push(budget.run(() => formula.evaluate(row, options)));
      } catch (error) {
        if (error instanceof FormulaError) throw fromFormulaError(error, { row: i });
        throw error;
      }
      if (budget.rest()) await yieldNow();
    }
    return { values };
  }
  if (input.columns) {
    const lengths = new Set(Object.values(input.columns).map((column) => column.length));
    if (lengths.size > 1) {
      throw new ApiError(400, "VALIDATION_FAILED", "every column must have the same length", {
        lengths: Object.fromEntries(Object.entries(input.columns).map(([k, v]) => [k, v.length])),
      });
    }
    const columns = input.columns;
    return { values: budget.run(() => formula.evaluateColumns(columns, options)) };
  }
  return { value: budget.run(() => formula.evaluate(input.vars ?? {}, options)) };
}
