/**
 * Where a runtime error points. Compiled closures keep the syntax node and the
 * formula's origin, and build a site (and so a position and a quote of the
 * source) only when they actually fail, so compiling allocates nothing for
 * errors that never happen.
 */
import type { Node } from "./ast.ts";
import { FormulaError, type FormulaErrorCode } from "./errors.ts";
import type { FormulaLimits } from "./limits.ts";
import { positionAt } from "./position.ts";

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
