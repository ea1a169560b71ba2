/**
 * Shared test helpers: evaluate a formula in one call, and capture the
 * FormulaError a call throws (failing the test if it throws anything else
 * or nothing).
 */
import { expect } from "vitest";
import {
  type CompileOptions,
  compile,
  type EvaluateOptions,
  FormulaError,
  type FormulaErrorCode,
  type Value,
  type Vars,
} from "../../src/formula/index.ts";

/** Compiles and evaluates once. */
export function run(
  source: string,
  vars: Vars = {},
  options?: CompileOptions & EvaluateOptions,
): Value {
  return compile(source, options).evaluate(vars, options);
}

/**
 * Evaluates three times (first evaluation, general path, numeric fast path)
 * and checks all three agree before returning the value.
 */
export function runAll(source: string, vars: Vars = {}): Value {
  const formula = compile(source);
  const first = formula.evaluate(vars);
  expect(formula.evaluate(vars)).toEqual(first);
  expect(formula.evaluate(vars)).toEqual(first);
  return first;
}

/** The FormulaError thrown by `action`. */
export function errorOf(action: () => unknown): FormulaError {
  try {
    action();
  } catch (error) {
    if (error instanceof FormulaError) return error;
    throw new Error(`expected a FormulaError, got ${String(error)}`);
  }
  throw new Error("expected a FormulaError, but nothing was thrown");
}

/** The error of compiling and evaluating `source`, checked to have `code`. */
export function failure(
  source: string,
  code: FormulaErrorCode,
  vars: Vars = {},
  options?: CompileOptions,
): FormulaError {
  const error = errorOf(() => compile(source, options).evaluate(vars));
  expect(error.code, error.message).toBe(code);
  return error;
}

/** The position as [offset, line, column]. */
export function at(error: FormulaError): [number, number, number] | undefined {
  const p = error.position;
  return p === undefined ? undefined : [p.offset, p.line, p.column];
}
