/**
 * Parses tokens into a syntax tree by recursive descent, one function per
 * precedence level, enforcing the depth, node and array limits as it goes so
 * that an oversized formula is rejected before any work is spent on it.
 *
 * Precedence, tightest first: call/index/member; `^` (right-assoc, operand of
 * unary minus: `-2^2 = -4`, its exponent may carry a sign: `2^-1`); unary
 * `- + not !`; `* / %`; `+ -`; `< <= > >=`; `== !=`; `and &&`; `or ||`;
 * `c ? a : b` (right-assoc).
 */
import {
  type ArrayNode,
  arrayNode,
  type BinaryOp,
  binaryNode,
  booleanNode,
  callNode,
  conditionalNode,
  constantNode,
  formulaCallNode,
  indexNode,
  isDataPath,
  logicalNode,
  memberNode,
  type Node,
  nameNode,
  nullNode,
  numberNode,
  stringNode,
  unaryNode,
} from "../ast.ts";
import { errorAt, syntaxError } from "../errors.ts";
import type { FormulaLimits } from "../limits.ts";
import type * as Lexer from "./lexer.ts";
import { ParseState } from "./state.ts";

/** The token kinds as constants of this module, which optimized code folds (see lexer.ts). */
const EOF: typeof Lexer.EOF = 0;
const NUMBER: typeof Lexer.NUMBER = 1;
const STRING: typeof Lexer.STRING = 2;
const NAME: typeof Lexer.NAME = 3;
const OP: typeof Lexer.OP = 4;

/** Parses `source` under `limits`. Throws FORMULA_SYNTAX, FORMULA_LIMIT or FORMULA_NON_FINITE. */
export function parse(source: string, limits: FormulaLimits): Node {
  if (source.length > limits.maxSourceLength) {
    throw errorAt(
      "FORMULA_LIMIT",
      source,
      limits.maxSourceLength,
      `formula is ${source.length} characters long; the limit is ${limits.maxSourceLength}`,
      undefined,
      { limit: "maxSourceLength", value: limits.maxSourceLength },
    );
  }
  // Parsing never re-enters itself (no code but the parser's runs meanwhile), so one parser
  // serves every formula; taken while in use, a nested parse would simply build its own.
  const parser = idle ?? new Parser("", limits);
  idle = undefined;
  try {
    const node = parser.parseFormula(source, limits);
    lastNodes = parser.nodeCount;
    return node;
  } finally {
    idle = parser;
  }
}

/** The node count of the tree `parse` returned last (read right after it, as `compile` does). */
let lastNodes = 0;

/** How many syntax nodes the formula parsed last has. */
export function parsedNodes(): number {
  return lastNodes;
}

/** The parser between two parses: building one per formula was a sizeable share of compiling. */
let idle: Parser | undefined;

class Parser extends ParseState {
  parseFormula(source: string, limits: FormulaLimits): Node {
    this.begin(source, limits);
    if (this.kind === EOF) throw this.expected("an expression");
    const node = this.parseConditional();
    if (this.kind !== EOF) throw this.expected("an operator or the end of the formula");
    return node;
  }

  private parseConditional(): Node {
    const test = this.parseBinary(1);
    if (!this.isOp("?")) return test;
    const testDepth = this.depth;
    this.enter(this.next());
    const consequent = this.parseConditional();
    const consequentDepth = this.depth;
    this.expectOp(":", "`:` of the conditional `c ? a : b`");
    const alternate = this.parseConditional();
    const depth = Math.max(testDepth, consequentDepth, this.depth) + 1;
    this.leave();
    return this.add(conditionalNode(test, consequent, alternate), depth);
  }

  /** Precedence climbing over the binary levels: operands bind at least as tight as `minLevel`. */
  private parseBinary(minLevel: number): Node {
    let left = this.parseUnary();
    for (;;) {
      const text = this.text;
      const level = this.level;
      if (level === 0 || level < minLevel) return left;
      const leftDepth = this.depth;
      this.next();
      const right = this.parseBinary(level + 1);
      const depth = Math.max(leftDepth, this.depth) + 1;
      if (level <= 2) {
        left = this.add(logicalNode(level === 1 ? "or" : "and", left, right), depth);
      } else {
        // The scanner gave `text` a level above 2, so it is one of the binary operators.
        left = this.add(binaryNode(text as BinaryOp, left, right), depth);
      }
    }
  }

  private parseUnary(): Node {
    const text = this.text;
    const isPrefix =
      (this.kind === OP && (text === "-" || text === "+" || text === "!")) ||
      (this.keyword && text === "not");
    if (!isPrefix) return this.parsePower();
    const start = this.next();
    this.enter(start);
    const operand = this.parseUnary();
    this.leave();
    if (text === "-" && operand.kind === "number") {
      // Folding `-3` into one literal keeps `x * -3` as cheap as `x * 3`.
      this.depth = 1;
      return numberNode(-operand.value, start, operand.end);
    }
    const op = text === "-" ? "-" : text === "+" ? "+" : "not";
    return this.add(unaryNode(op, operand, start), this.depth + 1);
  }

  private parsePower(): Node {
    const base = this.parsePostfix();
    if (!this.isOp("^")) return base;
    const baseDepth = this.depth;
    this.enter(this.next());
    const exponent = this.parseUnary();
    this.leave();
    return this.add(binaryNode("^", base, exponent), Math.max(baseDepth, this.depth) + 1);
  }

  private parsePostfix(): Node {
    let node = this.parsePrimary();
    for (;;) {
      if (this.kind !== OP) {
        if (this.kind === NUMBER && this.source.charCodeAt(this.start) === 46) {
          // `obs.1` scans as `obs` and the number `.1`.
          const number = this.source.slice(this.start + 1, this.end);
          throw syntaxError(
            this.source,
            this.start + 1,
            `expected a field name after \`.\`, found number \`${number}\``,
          );
        }
        return node;
      }
      const text = this.text;
      if (text === "[") {
        const objectDepth = this.depth;
        this.enter(this.next());
        const index = this.parseConditional();
        const end = this.expectOp("]", "`]` to close the index");
        this.leave();
        node = this.add(indexNode(node, index, end), Math.max(objectDepth, this.depth) + 1);
      } else if (text === ".") {
        if (!isDataPath(node)) {
          throw syntaxError(
            this.source,
            this.start,
            "fields can only be read from data, as in `obs.order.qty`",
          );
        }
        this.next();
        const { text: property, start: propertyStart, end } = this;
        // Widened: TypeScript does not see that next() changed the token.
        if ((this.kind as number) !== NAME) throw this.expected("a field name after `.`");
        this.next();
        node = this.add(memberNode(node, property, propertyStart, end), this.depth + 1);
      } else if (text === "(") {
        throw syntaxError(this.source, this.start, "only functions can be called, as in `sqrt(x)`");
      } else {
        return node;
      }
    }
  }

  private parsePrimary(): Node {
    const { kind, start, end } = this;
    switch (kind) {
      case NUMBER: {
        const value = this.value;
        if (!Number.isFinite(value)) {
          const text = this.source.slice(start, end);
          throw errorAt(
            "FORMULA_NON_FINITE",
            this.source,
            start,
            `number \`${text}\` is too large`,
          );
        }
        this.next();
        return this.add(numberNode(value, start, end), 1);
      }
      case STRING: {
        const value = this.text;
        this.next();
        return this.add(stringNode(value, start, end), 1);
      }
      case NAME:
        return this.parseName();
      case OP:
        if (this.text === "(") return this.parseParenthesized();
        if (this.text === "[") return this.parseArray();
        throw this.expected("an expression");
      default:
        throw this.expected("an expression");
    }
  }

  private parseParenthesized(): Node {
    const start = this.next();
    this.enter(start);
    const inner = this.parseConditional();
    const end = this.expectOp(")", "`)` to close `(`");
    this.leave();
    // The node now spans its parentheses, so messages quote `(c - c)` whole, and so do its parents.
    inner.start = start;
    inner.end = end;
    return inner;
  }

  private parseArray(): ArrayNode {
    const start = this.next();
    this.enter(start);
    const items = this.parseList("]", "`,` or `]` in the array");
    const end = this.expectOp("]");
    this.leave();
    if (items.length > this.limits.maxArrayLength) {
      const max = this.limits.maxArrayLength;
      throw this.limit(start, `array literal has more than ${max} elements`, "maxArrayLength", max);
    }
    return this.add(arrayNode(items, start, end), this.depth + 1);
  }

  /**
   * Parses `a, b, c` up to (not including) `close`, leaving the depth of the
   * deepest item (0 for none) in `depth`. Lists of up to three items (most
   * argument lists) are built at their exact size rather than grown, which
   * would allocate room for sixteen more.
   */
  private parseList(close: string, what: string): Node[] {
    if (this.isOp(close)) return this.listOf([], 0);
    const first = this.parseConditional();
    let deepest = this.depth;
    if (!this.moreItems(close, what)) return this.listOf([first], deepest);
    const second = this.parseConditional();
    deepest = Math.max(deepest, this.depth);
    if (!this.moreItems(close, what)) return this.listOf([first, second], deepest);
    const third = this.parseConditional();
    deepest = Math.max(deepest, this.depth);
    if (!this.moreItems(close, what)) return this.listOf([first, second, third], deepest);
    const items = [first, second, third];
    do {
      items.push(this.parseConditional());
      deepest = Math.max(deepest, this.depth);
    } while (this.moreItems(close, what));
    return this.listOf(items, deepest);
  }

  /** `items`, with the depth of the deepest one left in `depth`. */
  private listOf(items: Node[], deepest: number): Node[] {
    this.depth = deepest;
    return items;
  }

  /** After an item of a list: false at `close`, true past a `,`, else fails saying `what` was expected. */
  private moreItems(close: string, what: string): boolean {
    if (this.isOp(close)) return false;
    if (!this.isOp(",")) throw this.expected(what);
    this.next();
    return true;
  }

  private parseName(): Node {
    const { text, start, end, keyword } = this;
    if (keyword) return this.parseWord(text, start, end);
    this.next();
    if (this.isOp("(")) return this.parseCall(text, start);
    return this.add(nameNode(text, start, end), 1);
  }

  /** A keyword or constant where an expression starts (a function may share a constant's name). */
  private parseWord(text: string, start: number, end: number): Node {
    switch (text) {
      case "true":
      case "false":
        this.next();
        return this.add(booleanNode(text === "true", start, end), 1);
      case "null":
        this.next();
        return this.add(nullNode(start, end), 1);
      case "fn":
        this.next();
        return this.parseFormulaCall(start);
      case "and":
      case "or":
      case "not":
        throw this.expected("an expression");
    }
    this.next();
    if (this.isOp("(")) return this.parseCall(text, start);
    if (text === "pi" || text === "e") {
      return this.add(constantNode(text, start, end), 1);
    }
    return this.add(nameNode(text, start, end), 1);
  }

  /** Parses `(a, b, …)`; the offset just past `)` is left in `argumentsEnd`, the deepest argument's depth in `depth`. */
  private parseArguments(): Node[] {
    this.enter(this.next());
    const args = this.parseList(")", "`,` or `)` in the argument list");
    this.argumentsEnd = this.expectOp(")");
    this.leave();
    return args;
  }

  private parseCall(callee: string, start: number): Node {
    const args = this.parseArguments();
    return this.add(callNode(callee, args, start, this.argumentsEnd), this.depth + 1);
  }

  private parseFormulaCall(start: number): Node {
    if (!this.isOp(".")) {
      throw this.expected(
        "`.` after `fn`",
        "`fn` is reserved for calling another formula: `fn.name(x)`",
      );
    }
    this.next();
    if (this.kind !== NAME) throw this.expected("a formula name after `fn.`");
    const name = this.text;
    this.next();
    if (!this.isOp("(")) throw this.expected(`\`(\` to call fn.${name}`);
    const args = this.parseArguments();
    return this.add(formulaCallNode(name, args, start, this.argumentsEnd), this.depth + 1);
  }
}
