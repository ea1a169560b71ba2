/**
 * The scanner: reads one token at a time into its own fields, on char codes,
 * without building token objects, because scanning is a large part of
 * compiling a short formula. Operator texts come from constant tables, so
 * only names and strings allocate. Literals are read in literals.ts.
 */

import { syntaxError } from "../errors.ts";
import type * as Literals from "./literals.ts";
import { classOf, code, scanNumber, scanString } from "./literals.ts";

/*
 * The character classes and END as constants of this module: optimized code
 * folds a module's own constants, but loads an imported binding (and checks
 * that it is initialized) at every use, which showed in scanning. The types
 * tie each one to its definition in literals.ts.
 */
const END: typeof Literals.END = -1;
const SPACE: typeof Literals.SPACE = 1;
const NAME_START: typeof Literals.NAME_START = 2;
const DIGIT: typeof Literals.DIGIT = 4;
const NAME_PART = NAME_START | DIGIT;

/** Token kinds: the end, a number, a string, a name (keywords included), an operator. */
export const EOF = 0;
export const NUMBER = 1;
export const STRING = 2;
export const NAME = 3;
export const OP = 4;

/** One-character operators by char code. */
const SINGLE: readonly (string | undefined)[] = (() => {
  const table = new Array<string | undefined>(128).fill(undefined);
  for (const op of "+-*/%^()[],.?:<>!") table[op.charCodeAt(0)] = op;
  return table;
})();

/** The two-character operator starting with char codes c and d, if they form one. */
function double(c: number, d: number): string | undefined {
  if (d === 61) {
    // `<=` `>=` `==` `!=`
    if (c === 60) return "<=";
    if (c === 62) return ">=";
    if (c === 61) return "==";
    if (c === 33) return "!=";
  }
  if (c === 38 && d === 38) return "&&";
  if (c === 124 && d === 124) return "||";
  return undefined;
}

/**
 * Binding levels of the binary operators (higher binds tighter; 0: not a
 * binary operator): or 1, and 2, == != 3, < <= > >= 4, + - 5, * / % 6.
 * `^` is handled by the parser on its own, being right-associative.
 */
const LEVELS: Readonly<Record<string, number>> = {
  "||": 1,
  "&&": 2,
  "==": 3,
  "!=": 3,
  "<": 4,
  "<=": 4,
  ">": 4,
  ">=": 4,
  "+": 5,
  "-": 5,
  "*": 6,
  "/": 6,
  "%": 6,
};

/** Each operator's level by its text, filled once so scanning does a plain array read. */
const SINGLE_LEVEL: readonly number[] = (() => {
  const table: number[] = new Array<number>(128).fill(0);
  for (const op of "+-*/%<>") table[op.charCodeAt(0)] = LEVELS[op] ?? 0;
  return table;
})();

/**
 * The keyword or constant at source[i, i + length), if it is one, as the
 * literal string (so the parser compares it by identity), else undefined.
 * Dispatches on the first character: most names are rejected at once.
 */
function word(source: string, i: number, length: number): string | undefined {
  switch (source.charCodeAt(i)) {
    case 101: // e
      return length === 1 ? "e" : undefined;
    case 111: // o
      return length === 2 && source.startsWith("r", i + 1) ? "or" : undefined;
    case 112: // p
      return length === 2 && source.startsWith("i", i + 1) ? "pi" : undefined;
    case 102: // f
      if (length === 2) return source.startsWith("n", i + 1) ? "fn" : undefined;
      return length === 5 && source.startsWith("alse", i + 1) ? "false" : undefined;
    case 97: // a
      return length === 3 && source.startsWith("nd", i + 1) ? "and" : undefined;
    case 116: // t
      return length === 4 && source.startsWith("rue", i + 1) ? "true" : undefined;
    case 110: // n
      if (length === 3) return source.startsWith("ot", i + 1) ? "not" : undefined;
      return length === 4 && source.startsWith("ull", i + 1) ? "null" : undefined;
    default:
      return undefined;
  }
}

/** Mistakes common enough to deserve their own message. */
const LONE_CHAR_HINTS: Readonly<Record<string, string>> = {
  "=": "use `==` to compare",
  "&": "use `and` (or `&&`)",
  "|": "use `or` (or `||`)",
};

/**
 * Scans `source`; the current token is in the fields, `scan()` moves on.
 * Throws FORMULA_SYNTAX. `restart()` begins again on another source, so that
 * one scanner can serve one formula after another.
 */
export class Scanner {
  source: string;
  /** EOF, NUMBER, STRING, NAME or OP. */
  kind = EOF;
  start = 0;
  end = 0;
  /** A name, an operator, or a string's value (escapes resolved). */
  text = "";
  /** A number's value. */
  value = 0;
  /** For a binary operator (`and` and `or` included) its binding level, else 0. */
  level = 0;
  /** Whether a NAME token is a keyword or a constant (its `text` is then one of WORDS). */
  keyword = false;

  constructor(source: string) {
    this.source = source;
    this.scan();
  }

  /** Starts over on `source`, at its first token. */
  protected restart(source: string): void {
    this.source = source;
    this.end = 0;
    this.scan();
  }

  /** Reads the next token. */
  scan(): void {
    const source = this.source;
    let i = this.end;
    let c = code(source, i);
    let kind = classOf(c);
    while (kind === SPACE) {
      c = code(source, ++i);
      kind = classOf(c);
    }
    this.start = i;
    this.level = 0;
    this.keyword = false;
    if (kind === NAME_START) {
      this.name(i);
    } else if (kind === DIGIT || (c === 46 && classOf(code(source, i + 1)) === DIGIT)) {
      this.kind = NUMBER;
      this.end = scanNumber(source, i, this);
    } else if (c === 34 || c === 39) {
      this.kind = STRING;
      this.end = scanString(source, i, this);
    } else if (c === END) {
      this.kind = EOF;
      this.end = i;
      this.text = "";
    } else {
      this.operator(i, c);
    }
  }

  private name(i: number): void {
    const source = this.source;
    let j = i + 1;
    while ((classOf(code(source, j)) & NAME_PART) !== 0) j++;
    this.kind = NAME;
    this.end = j;
    const known = word(source, i, j - i);
    if (known === undefined) {
      this.text = source.slice(i, j);
    } else {
      this.text = known;
      this.keyword = true;
      this.level = known === "or" ? 1 : known === "and" ? 2 : 0;
    }
  }

  private operator(i: number, c: number): void {
    const source = this.source;
    const d = code(source, i + 1);
    const two = double(c, d);
    if (two !== undefined) {
      this.kind = OP;
      this.end = i + 2;
      this.text = two;
      this.level = LEVELS[two] ?? 0;
      return;
    }
    if (c === 42 && d === 42) {
      throw syntaxError(source, i, "unexpected `**`", "use `^` for powers: `x ^ 2`");
    }
    const single = (c & -128) === 0 ? SINGLE[c] : undefined;
    if (single !== undefined) {
      this.kind = OP;
      this.end = i + 1;
      this.text = single;
      this.level = SINGLE_LEVEL[c] as number;
      return;
    }
    const shown = String.fromCodePoint(source.codePointAt(i) ?? c);
    const first = source.charAt(i);
    const hint = Object.hasOwn(LONE_CHAR_HINTS, first) ? LONE_CHAR_HINTS[first] : undefined;
    throw syntaxError(source, i, `unexpected character \`${shown}\``, hint);
  }
}
