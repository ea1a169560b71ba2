/**
 * Builders for compile-time errors, which always carry a position.
 */
import { FormulaError, type FormulaErrorCode } from "./errors.ts";
import { positionAt } from "./position.ts";

/** A compile-time error at `offset` in `source`. */
export function errorAt(
  code: FormulaErrorCode,
  source: string,
  offset: number,
  message: string,
  hint?: string,
  details?: Readonly<Record<string, unknown>>,
): FormulaError {
  const options: {
    position: ReturnType<typeof positionAt>;
    hint?: string;
    details?: Readonly<Record<string, unknown>>;
  } = {
    position: positionAt(source, offset),
  };
  if (hint !== undefined) options.hint = hint;
  if (details !== undefined) options.details = details;
  return new FormulaError(code, message, options);
}

/** A FORMULA_SYNTAX error at `offset`. */
export function syntaxError(
  source: string,
  offset: number,
  message: string,
  hint?: string,
): FormulaError {
  return errorAt("FORMULA_SYNTAX", source, offset, message, hint);
}
