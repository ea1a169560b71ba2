/**
 * Evaluating a formula inside a cycle without ever throwing: a cycle must
 * always finish and explain itself, so every failure becomes a value with a
 * code the receipt can show.
 */
import { type CompiledFormula, FormulaError, type Value, type Vars } from "../formula/index.ts";

/** A formula's result, or its failure. */
export type Evaluation =
  | { readonly ok: true; readonly value: Value }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** Evaluates `formula` over `vars`; a `FormulaError` keeps its code, anything else is `FORMULA_INTERNAL`. */
export function evaluateSafely(formula: CompiledFormula, vars: Vars): Evaluation {
  try {
    return { ok: true, value: formula.evaluate(vars) };
  } catch (error) {
    return failure(error);
  }
}

/** The code and message of anything thrown while evaluating. */
export function failure(error: unknown): { ok: false; code: string; message: string } {
  if (error instanceof FormulaError) return { ok: false, code: error.code, message: error.message };
  // Only a bug in the formula module gets here; the cycle records it and carries on.
  return {
    ok: false,
    code: "FORMULA_INTERNAL",
    message: error instanceof Error ? error.message : String(error),
  };
}
