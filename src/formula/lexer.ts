/**
 * The scanner: reads one token at a time into its own fields, on char codes,
 * without building token objects, because scanning is a large part of
 * compiling a short formula. Operator texts come from constant tables, so
 * only names and strings allocate.
 */
import { syntaxError } from "./syntax-error.ts";

/** 10^0 … 10^22: every one exactly representable as a double. */
const POWERS_OF_TEN: readonly number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Token kinds: the end, a number, a string, a name (keywords included), an operator. */
export const EOF = 0;
export const NUMBER = 1;
export const STRING = 2;
export const NAME = 3;
export const OP = 4;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isNameStart = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isNamePart = (c: number): boolean => isNameStart(c) || isDigit(c);
const isHexDigit = (ch: string): boolean => ch !== "" && "0123456789abcdefABCDEF".includes(ch);

/** One-character operators by char code. */
const SINGLE: readonly (string | undefined)[] = (() => {
  const table: (string | undefined)[] = [];
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

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\",
  '"': '"',
  "'": "'",
  n: "\n",
  t: "\t",
};

/** Scans `source`; the current token is in the fields, `next()` moves on. Throws FORMULA_SYNTAX. */
export class Scanner {
  readonly source: string;
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
    this.next();
  }

  /** Reads the next token. */
  next(): void {
    const source = this.source;
    const length = source.length;
    let i = this.end;
    let c = source.charCodeAt(i);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = source.charCodeAt(++i);
    this.start = i;
    this.level = 0;
    this.keyword = false;
    if (i >= length) {
      this.kind = EOF;
      this.end = length;
      this.text = "";
    } else if (isNameStart(c)) {
      let j = i + 1;
      while (isNamePart(source.charCodeAt(j))) j++;
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
    } else if (isDigit(c) || (c === 46 && isDigit(source.charCodeAt(i + 1)))) {
      this.number(i);
    } else if (c === 34 || c === 39) {
      this.string(i, c);
    } else {
      this.operator(i, c);
    }
  }

  private operator(i: number, c: number): void {
    const source = this.source;
    const d = source.charCodeAt(i + 1);
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
    const single = SINGLE[c];
    if (single !== undefined) {
      this.kind = OP;
      this.end = i + 1;
      this.text = single;
      this.level = SINGLE_LEVEL[c] ?? 0;
      return;
    }
    const shown = String.fromCodePoint(source.codePointAt(i) ?? c);
    const first = source.charAt(i);
    const hint = Object.hasOwn(LONE_CHAR_HINTS, first) ? LONE_CHAR_HINTS[first] : undefined;
    throw syntaxError(source, i, `unexpected character \`${shown}\``, hint);
  }

  /**
   * Reads a number. Most literals have at most 15 significant digits and a
   * small exponent; those are computed exactly as digits × 10^k with one
   * correctly rounded multiplication or division (Clinger's fast path),
   * which is the correctly rounded value and avoids slicing the text.
   */
  private number(start: number): void {
    const source = this.source;
    let i = start;
    let mantissa = 0;
    let significant = 0;
    let scale = 0;
    let c = source.charCodeAt(i);
    while (isDigit(c)) {
      mantissa = mantissa * 10 + (c - 48);
      if (mantissa !== 0) significant++;
      c = source.charCodeAt(++i);
    }
    if (c === 46) {
      const afterDot = ++i;
      c = source.charCodeAt(i);
      while (isDigit(c)) {
        mantissa = mantissa * 10 + (c - 48);
        if (mantissa !== 0) significant++;
        scale--;
        c = source.charCodeAt(++i);
      }
      if (i === afterDot)
        throw syntaxError(source, afterDot - 1, "expected a digit after the decimal point");
    }
    if (c === 101 || c === 69) {
      let j = i + 1;
      const sign = source.charCodeAt(j);
      if (sign === 43 || sign === 45) j++;
      const digits = j;
      let exponent = 0;
      while (isDigit(source.charCodeAt(j))) {
        if (exponent < 100_000) exponent = exponent * 10 + (source.charCodeAt(j) - 48);
        j++;
      }
      if (j === digits) throw syntaxError(source, i, "expected digits in the exponent of a number");
      scale += sign === 45 ? -exponent : exponent;
      i = j;
    }
    if (isNamePart(source.charCodeAt(i))) {
      const text = source.slice(start, i);
      throw syntaxError(
        source,
        i,
        `a number cannot be followed directly by a name (after \`${text}\`)`,
        `write a multiplication explicitly, e.g. \`${text} * x\``,
      );
    }
    this.kind = NUMBER;
    this.end = i;
    if (significant <= 15 && scale >= -22 && scale <= 22) {
      this.value =
        scale < 0
          ? mantissa / (POWERS_OF_TEN[-scale] as number)
          : mantissa * (POWERS_OF_TEN[scale] as number);
    } else {
      this.value = Number(source.slice(start, i));
    }
  }

  private string(start: number, quote: number): void {
    const source = this.source;
    let value = "";
    let i = start + 1;
    let chunk = i;
    for (;;) {
      if (i >= source.length) throw syntaxError(source, start, "unterminated string");
      const c = source.charCodeAt(i);
      if (c === quote) break;
      if (c !== 92) {
        i++;
        continue;
      }
      value += source.slice(chunk, i);
      const [text, width] = readEscape(source, i);
      value += text;
      i += width;
      chunk = i;
    }
    this.kind = STRING;
    this.end = i + 1;
    this.text = value + source.slice(chunk, i);
  }
}

/** Reads the escape at `i` (a backslash); returns its text and its width in the source. */
function readEscape(source: string, i: number): [string, number] {
  const next = source.charAt(i + 1);
  const simple = Object.hasOwn(SIMPLE_ESCAPES, next) ? SIMPLE_ESCAPES[next] : undefined;
  if (simple !== undefined) return [simple, 2];
  if (next === "u") {
    const hex = source.slice(i + 2, i + 6);
    if (hex.length === 4 && [...hex].every(isHexDigit)) {
      return [String.fromCharCode(Number.parseInt(hex, 16)), 6];
    }
    throw syntaxError(source, i, "expected four hex digits after `\\u`");
  }
  if (next === "") throw syntaxError(source, i, "unterminated string");
  throw syntaxError(
    source,
    i,
    `unknown escape \`\\${next}\``,
    "valid escapes are \\\\ \\\" \\' \\n \\t \\uXXXX",
  );
}
