/**
 * Character classes and the literal scanners (numbers and strings) of the
 * lexer. Every read is bounds-checked (`code`): reading past the end with
 * charCodeAt gives NaN, which makes V8 give up its fast inline string access
 * for the whole call site, and scanning always reaches the end of a formula.
 */
import { syntaxError } from "../errors.ts";

/** Returned by `code` past the end of the source. */
export const END = -1;

/** The char code at `i`, or END past the end. */
export function code(source: string, i: number): number {
  return i < source.length ? source.charCodeAt(i) : END;
}

/** Character class bits. */
export const SPACE = 1;
export const NAME_START = 2;
export const DIGIT = 4;
export const NAME_PART = NAME_START | DIGIT;

const CLASSES: Uint8Array = (() => {
  const table = new Uint8Array(128);
  for (const c of " \t\n\r") table[c.charCodeAt(0)] = SPACE;
  for (let c = 48; c <= 57; c++) table[c] = DIGIT;
  for (let c = 65; c <= 90; c++) table[c] = NAME_START;
  for (let c = 97; c <= 122; c++) table[c] = NAME_START;
  table[95] = NAME_START;
  return table;
})();

/** The class bits of char code `c` (0 for END and anything outside ASCII). */
export function classOf(c: number): number {
  return (c & -128) === 0 ? (CLASSES[c] as number) : 0;
}

/**
 * The offset of a binary operator whose left operand ends at `leftEnd`: the
 * first character there that is not a space, since only spaces separate two
 * tokens, and a node ends where its last token (or closing bracket) does.
 */
export function operatorOffset(source: string, leftEnd: number): number {
  let i = leftEnd;
  while (classOf(code(source, i)) === SPACE) i++;
  return i;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHexDigit = (ch: string): boolean => ch !== "" && "0123456789abcdefABCDEF".includes(ch);

/** 10^0 … 10^22: every one exactly representable as a double. */
const POWERS_OF_TEN: Float64Array = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Where a literal scanner leaves its result. */
export interface LiteralTarget {
  value: number;
  text: string;
}

/**
 * Reads the number starting at `start` into `into.value`; returns its end.
 * Most literals have at most 15 significant digits and a small exponent;
 * those are computed exactly as digits × 10^k with one correctly rounded
 * multiplication or division (Clinger's fast path), which is the correctly
 * rounded value and avoids slicing the text.
 */
export function scanNumber(source: string, start: number, into: LiteralTarget): number {
  let i = start;
  let mantissa = 0;
  let significant = 0;
  let scale = 0;
  let c = code(source, i);
  while (isDigit(c)) {
    mantissa = mantissa * 10 + (c - 48);
    if (mantissa !== 0) significant++;
    c = code(source, ++i);
  }
  if (c === 46) {
    const afterDot = ++i;
    c = code(source, i);
    while (isDigit(c)) {
      mantissa = mantissa * 10 + (c - 48);
      if (mantissa !== 0) significant++;
      scale--;
      c = code(source, ++i);
    }
    if (i === afterDot)
      throw syntaxError(source, afterDot - 1, "expected a digit after the decimal point");
  }
  if (c === 101 || c === 69) {
    let j = i + 1;
    const sign = code(source, j);
    if (sign === 43 || sign === 45) j++;
    const digits = j;
    let exponent = 0;
    for (let d = code(source, j); isDigit(d); d = code(source, ++j)) {
      if (exponent < 100_000) exponent = exponent * 10 + (d - 48);
    }
    if (j === digits) throw syntaxError(source, i, "expected digits in the exponent of a number");
    scale += sign === 45 ? -exponent : exponent;
    i = j;
  }
  if ((classOf(code(source, i)) & NAME_PART) !== 0) {
    const text = source.slice(start, i);
    throw syntaxError(
      source,
      i,
      `a number cannot be followed directly by a name (after \`${text}\`)`,
      `write a multiplication explicitly, e.g. \`${text} * x\``,
    );
  }
  if (significant <= 15 && scale >= -22 && scale <= 22) {
    into.value =
      scale < 0
        ? mantissa / (POWERS_OF_TEN[-scale] as number)
        : mantissa * (POWERS_OF_TEN[scale] as number);
  } else {
    into.value = Number(source.slice(start, i));
  }
  return i;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\",
  '"': '"',
  "'": "'",
  n: "\n",
  t: "\t",
};

/** Reads the string whose opening quote is at `start` into `into.text`; returns its end. */
export function scanString(source: string, start: number, into: LiteralTarget): number {
  const quote = source.charCodeAt(start);
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
  into.text = value + source.slice(chunk, i);
  return i + 1;
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
