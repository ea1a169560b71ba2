/**
 * The one error type of the formula language. Every failure — syntax, unknown
 * name, type, null, non-finite result, limit, parameter — is a `FormulaError`
 * with a stable code, a message a person can act on, and where it applies the
 * position in the source and a hint.
 */

/** The stable codes a formula error can carry. */
export type FormulaErrorCode =
  | "FORMULA_SYNTAX"
  | "FORMULA_UNKNOWN_NAME"
  | "FORMULA_UNKNOWN_FUNCTION"
  | "FORMULA_ARITY"
  | "FORMULA_TYPE"
  | "FORMULA_NULL"
  | "FORMULA_NON_FINITE"
  | "FORMULA_LIMIT"
  | "FORMULA_BUDGET"
  | "FORMULA_MISSING_PARAM"
  | "FORMULA_PARAM_RANGE";

/** A place in the source: `offset` is 0-based, `line` and `column` are 1-based (UTF-16 units). */
export interface Position {
  offset: number;
  line: number;
  column: number;
}

/** The JSON form of a formula error, as the API puts it in its error envelope. */
export interface FormulaErrorJSON {
  code: FormulaErrorCode;
  message: string;
  position?: Position;
  hint?: string;
  details?: Readonly<Record<string, unknown>>;
}

/** Optional parts of a formula error. */
export interface FormulaErrorOptions {
  position?: Position;
  hint?: string;
  details?: Readonly<Record<string, unknown>>;
}

/**
 * Thrown by `compile`, `evaluate` and `evaluateColumns` for every failure the
 * formula author or the caller can fix. Anything else escaping the module is a
 * bug in the module.
 */
export class FormulaError extends Error {
  readonly code: FormulaErrorCode;
  readonly position?: Position;
  readonly hint?: string;
  readonly details?: Readonly<Record<string, unknown>>;

  constructor(code: FormulaErrorCode, message: string, options: FormulaErrorOptions = {}) {
    super(message);
    this.name = "FormulaError";
    this.code = code;
    if (options.position !== undefined) this.position = options.position;
    if (options.hint !== undefined) this.hint = options.hint;
    if (options.details !== undefined) this.details = options.details;
  }

  /** The error without its stack, with absent parts left out. */
  toJSON(): FormulaErrorJSON {
    const json: FormulaErrorJSON = { code: this.code, message: this.message };
    if (this.position !== undefined) json.position = { ...this.position };
    if (this.hint !== undefined) json.hint = this.hint;
    if (this.details !== undefined) json.details = this.details;
    return json;
  }
}
