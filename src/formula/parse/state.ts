/**
 * The parser's state and bookkeeping: the current token, the counters behind
 * the node and depth limits, and the builders of its errors. The grammar
 * itself is in parser.ts.
 */
import type { Node } from "../ast.ts";
import { errorAt, syntaxError } from "../errors.ts";
import type { FormulaLimits } from "../limits.ts";
import type * as Lexer from "./lexer.ts";
import { Scanner } from "./lexer.ts";

/** The token kinds as constants of this module, which optimized code folds (see lexer.ts). */
const EOF: typeof Lexer.EOF = 0;
const NUMBER: typeof Lexer.NUMBER = 1;
const STRING: typeof Lexer.STRING = 2;
const NAME: typeof Lexer.NAME = 3;
const OP: typeof Lexer.OP = 4;

/** Words with a meaning of their own, which cannot be names. */
const RESERVED: ReadonlySet<string> = new Set(["and", "or", "not", "true", "false", "null", "fn"]);

/**
 * Token handling, limits and errors shared by every grammar rule. The current
 * token is in the fields inherited from the scanner, one load away.
 */
export class ParseState extends Scanner {
  protected limits: FormulaLimits;
  private nodes = 0;

  /** How many nodes the tree parsed last has. */
  get nodeCount(): number {
    return this.nodes;
  }
  private nesting = 0;
  /** The offset just past the `)` of the argument list parsed last. */
  protected argumentsEnd = 0;
  /**
   * The depth of the subtree parsed last (a leaf is 1), which every rule
   * leaves here with the node it returns (`add` sets it), so that depths are
   * checked against the limits without being stored in the nodes; after a
   * list, the depth of its deepest item (0 for none).
   */
  protected depth = 0;

  constructor(source: string, limits: FormulaLimits) {
    super(source);
    this.limits = limits;
  }

  /** Starts over on `source` under `limits`, as a new parser would. */
  protected begin(source: string, limits: FormulaLimits): void {
    this.limits = limits;
    this.nodes = 0;
    this.nesting = 0;
    this.argumentsEnd = 0;
    this.depth = 0;
    this.restart(source);
  }

  /** Moves past the current token; returns its start. */
  protected next(): number {
    const start = this.start;
    this.scan();
    return start;
  }

  protected isOp(text: string): boolean {
    return this.kind === OP && this.text === text;
  }

  /** Moves past `text`, or fails saying `what` was expected; returns the end of the operator. */
  protected expectOp(text: string, what = `\`${text}\``): number {
    if (!this.isOp(text)) throw this.expected(what);
    const end = this.end;
    this.scan();
    return end;
  }

  /** Counts a node of depth `depth` (left in `depth`) and checks the node and depth limits; returns it. */
  protected add<T extends Node>(node: T, depth: number): T {
    this.depth = depth;
    this.nodes++;
    if (this.nodes > this.limits.maxNodes) {
      throw this.limit(
        node.start,
        `formula has more than ${this.limits.maxNodes} nodes`,
        "maxNodes",
        this.limits.maxNodes,
      );
    }
    if (depth > this.limits.maxDepth) throw this.tooDeep(node.start);
    return node;
  }

  /** Enters a nested construct (parentheses, brackets, arguments, prefix operators). */
  protected enter(offset: number): void {
    this.nesting++;
    if (this.nesting > this.limits.maxDepth) throw this.tooDeep(offset);
  }

  protected leave(): void {
    this.nesting--;
  }

  protected tooDeep(offset: number) {
    const max = this.limits.maxDepth;
    return this.limit(offset, `formula is nested more than ${max} levels deep`, "maxDepth", max);
  }

  protected limit(offset: number, message: string, limit: keyof FormulaLimits, value: number) {
    return errorAt("FORMULA_LIMIT", this.source, offset, message, undefined, { limit, value });
  }

  protected expected(what: string, hint?: string) {
    return syntaxError(this.source, this.start, `expected ${what}, found ${describe(this)}`, hint);
  }
}

/** How a token is named in "expected …, found …". */
function describe(token: Scanner): string {
  const text = token.source.slice(token.start, token.end);
  switch (token.kind) {
    case EOF:
      return "the end of the formula";
    case NUMBER:
      return `number \`${text}\``;
    case STRING:
      return `string ${text}`;
    case NAME:
      return RESERVED.has(text) ? `keyword \`${text}\`` : `name \`${text}\``;
    default:
      return `\`${text}\``;
  }
}
