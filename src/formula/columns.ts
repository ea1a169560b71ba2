/**
 * evaluateColumns: one value per row, where row i reads columns[name][i].
 * Numeric formulas over numeric columns run column-wise (fast/vector.ts);
 * anything else, or a batch where that path gives up, runs row by row through
 * evaluate() on one reused row object, with the exact semantics and errors.
 * A failing row's error carries `details.row`. With `nonFinite: "null"` each
 * row that hits FORMULA_NON_FINITE is null. The row count is not subject to
 * maxArrayLength: a batch is many evaluations, not one array value.
 */
import { charge, closeScope, DEFAULT_EVALUATION_BUDGET, openScope } from "./budget.ts";
import { FormulaError } from "./errors.ts";
import type { FastPath } from "./fast/fast-path.ts";
import { BAIL } from "./fast/scalar.ts";
import { compileVector, type VectorEvaluator } from "./fast/vector.ts";
import { setOwn } from "./params.ts";
import type { CompiledFormula, EvaluateOptions, ParamSpec, Value, Vars } from "./types.ts";

/** What evaluateColumns needs from a compiled formula. */
export interface ColumnarFormula extends CompiledFormula {
  fastPath(): FastPath | null;
}

type Columns = Readonly<Record<string, ArrayLike<unknown>>>;

function isArrayLike(raw: unknown): raw is ArrayLike<unknown> {
  if (Array.isArray(raw) || (ArrayBuffer.isView(raw) && !(raw instanceof DataView))) return true;
  if (typeof raw !== "object" || raw === null) return false;
  const length: unknown = (raw as { length?: unknown }).length;
  return typeof length === "number" && Number.isInteger(length) && length >= 0;
}

/** Checks the columns and returns their common length. */
function rowCount(columns: Columns): number {
  if (typeof columns !== "object" || columns === null || Array.isArray(columns)) {
    throw new FormulaError("FORMULA_TYPE", "columns must be an object of arrays");
  }
  let rows: number | undefined;
  let first = "";
  for (const name of Object.keys(columns)) {
    const column: unknown = columns[name];
    if (!isArrayLike(column)) {
      throw new FormulaError("FORMULA_TYPE", `column \`${name}\` is not an array`, {
        details: { column: name },
      });
    }
    if (rows === undefined) {
      rows = column.length;
      first = name;
    } else if (column.length !== rows) {
      throw new FormulaError(
        "FORMULA_TYPE",
        `column \`${name}\` has ${column.length} rows but \`${first}\` has ${rows}; all columns must have the same length`,
        { details: { column: name } },
      );
    }
  }
  return rows ?? 0;
}

/** The row's error with the row number added to its details. */
function atRow(error: FormulaError, row: number): FormulaError {
  const options: ConstructorParameters<typeof FormulaError>[2] = {
    details: { ...error.details, row },
  };
  if (error.position !== undefined) options.position = error.position;
  if (error.hint !== undefined) options.hint = error.hint;
  return new FormulaError(error.code, error.message, options);
}

const vectors = new WeakMap<FastPath, VectorEvaluator>();

function vectorized(fast: FastPath, columns: Columns, rows: number): Value[] | undefined {
  const inputs: ArrayLike<unknown>[] = [];
  for (const name of fast.inputs) {
    // A missing column may have a default or be an error: the row path knows.
    if (!Object.hasOwn(columns, name)) return undefined;
    inputs.push(columns[name] as ArrayLike<unknown>);
  }
  let run = vectors.get(fast);
  if (run === undefined) {
    run = compileVector(fast.plan, fast.mins, fast.maxs);
    vectors.set(fast, run);
  }
  try {
    return run(inputs, rows);
  } catch (error) {
    if (error === BAIL) return undefined;
    throw error;
  }
}

function rowByRow(
  formula: ColumnarFormula,
  columns: Columns,
  rows: number,
  options?: EvaluateOptions,
): Value[] {
  const inputNames: readonly string[] =
    formula.params?.map((p: ParamSpec) => p.name) ?? formula.names;
  const names = inputNames.filter((name) => Object.hasOwn(columns, name));
  const sources = names.map((name) => columns[name] as ArrayLike<unknown>);
  // One row object for the whole batch, its fields always set in the same order so
  // its shape never changes.
  const row: Record<string, unknown> = {};
  for (const name of names) setOwn(row, name, undefined);
  const vars: Vars = row;
  const results: Value[] = [];
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < names.length; k++)
      row[names[k] as string] = (sources[k] as ArrayLike<unknown>)[i];
    try {
      results.push(formula.evaluate(vars, options));
    } catch (error) {
      throw error instanceof FormulaError ? atRow(error, i) : error;
    }
  }
  return results;
}

/** Evaluates `formula` for every row of `columns`. */
export function evaluateColumns(
  formula: ColumnarFormula,
  columns: Columns,
  options?: EvaluateOptions,
): Value[] {
  const rows = rowCount(columns);
  // The whole batch is one job for the work budget (each row's evaluation shares it); called
  // outside any budget, a batch gets one evaluation's budget per row.
  const opened = openScope(Math.max(DEFAULT_EVALUATION_BUDGET, rows * formula.weight));
  try {
    const fast = formula.fastPath();
    if (fast !== null) {
      // The vectorized path does a node's work per row in about a quarter of a unit's time.
      charge(Math.ceil((rows * formula.nodes) / 4));
      const results = vectorized(fast, columns, rows);
      if (results !== undefined) return results;
    }
    return rowByRow(formula, columns, rows, options);
  } finally {
    if (opened) closeScope();
  }
}
