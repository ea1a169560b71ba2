/**
 * Errors: the one error type of the formula language and everything that
 * places an error in the source. Every failure — syntax, unknown name, type,
 * null, non-finite result, limit, parameter — is a `FormulaError` with a
 * stable code, a message a person can act on, and where it applies the
 * position in the source and a hint. Compile-time errors are built at an
 * offset (`errorAt`, `syntaxError`); runtime errors at a site (`Origin`,
 * `Site`, `CallSite`), built only when an evaluation fails; hints come from
 * `suggest` ("did you mean …?").
 */
import type { Node } from "./ast.ts";
import type { FormulaLimits } from "./limits.ts";

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

/*
 * Turns a source offset into a position. Positions are computed only when an
 * error is built, so compiled formulas keep offsets and never pay for lines.
 */

/** The position of `offset` in `source` (lines split on `\n`). */
function positionAt(source: string, offset: number): Position {
  const clamped = Math.max(0, Math.min(offset, source.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset: clamped, line, column: clamped - lineStart + 1 };
}

/*
 * Builders for compile-time errors, which always carry a position.
 */

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

/*
 * Where a runtime error points. Compiled closures keep the syntax node and the
 * formula's origin, and build a site (and so a position and a quote of the
 * source) only when they actually fail, so compiling allocates nothing for
 * errors that never happen.
 */

/** What a formula's runtime errors need: its source, limits and declared parameters. */
export class Origin {
  readonly source: string;
  readonly limits: FormulaLimits;
  readonly declared: ReadonlySet<string> | undefined;

  constructor(source: string, limits: FormulaLimits, declared: ReadonlySet<string> | undefined) {
    this.source = source;
    this.limits = limits;
    this.declared = declared;
  }

  /** A site quoting `node`, positioned at `offset` (its start by default). */
  site(node: Node, offset = node.start): Site {
    return new Site(this.source, offset, node.start, node.end);
  }
}

/** A place in a formula's source that an evaluation error can point at. */
export class Site {
  readonly source: string;
  readonly offset: number;
  private readonly start: number;
  private readonly end: number;

  /** A site at `offset`, quoting source[start, end). */
  constructor(source: string, offset: number, start: number, end: number) {
    this.source = source;
    this.offset = offset;
    this.start = start;
    this.end = end;
  }

  /** The source text quoted in messages (`price` is null). */
  get text(): string {
    return this.source.slice(this.start, this.end);
  }

  /** An error at this site. */
  error(
    code: FormulaErrorCode,
    message: string,
    hint?: string,
    details?: Readonly<Record<string, unknown>>,
  ): FormulaError {
    const options: ConstructorParameters<typeof FormulaError>[2] = {
      position: positionAt(this.source, this.offset),
    };
    if (hint !== undefined) options.hint = hint;
    if (details !== undefined) options.details = details;
    return new FormulaError(code, message, options);
  }

  /** FORMULA_NON_FINITE for a result of this operation. */
  nonFinite(what = `\`${this.text}\``): FormulaError {
    return this.error(
      "FORMULA_NON_FINITE",
      `${what} is not a finite number (division by zero, overflow or an undefined result)`,
    );
  }

  /** FORMULA_NULL naming this node's text as the value that was null. */
  isNull(): FormulaError {
    const text = this.text;
    return this.error(
      "FORMULA_NULL",
      `\`${text}\` is null; use coalesce(${text}, …)`,
      `coalesce(${text}, 0) gives 0 when it is null`,
    );
  }
}

/** The site of a function call, with a site per argument. */
export class CallSite extends Site {
  readonly name: string;
  readonly args: readonly Site[];
  /** Limit on arrays and strings the function may build. */
  readonly maxLength: number;

  constructor(origin: Origin, node: Node, name: string, args: readonly Node[]) {
    super(origin.source, node.start, node.start, node.end);
    this.name = name;
    this.args = args.map((arg) => origin.site(arg));
    this.maxLength = origin.limits.maxArrayLength;
  }

  /** The site of argument `i`, or the call itself if there is no such argument. */
  arg(i: number): Site {
    return this.args[i] ?? this;
  }
}

/*
 * "Did you mean …?" for unknown names and functions: the closest candidate by
 * edit distance (adjacent transpositions count as one edit), close enough to
 * be a plausible typo.
 */

/** Edit distance with adjacent transpositions (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (d[(i - 1) * cols + j] ?? 0) + 1,
        (d[i * cols + j - 1] ?? 0) + 1,
        (d[(i - 1) * cols + j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (d[(i - 2) * cols + j - 2] ?? 0) + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1] ?? 0;
}

/**
 * The candidate closest to `name`, if within a third of its length (at least
 * one edit, at most three); ties go to the alphabetically first. Case-only
 * differences always qualify.
 */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const allowed = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const distance = candidate.toLowerCase() === lower ? 0 : editDistance(name, candidate);
    if (distance > allowed) continue;
    if (
      distance < bestDistance ||
      (distance === bestDistance && best !== undefined && candidate < best)
    ) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
