/**
 * Generators for the property tests: expression trees over a small set of
 * names and functions, printed either fully parenthesized or with the fewest
 * parentheses the precedence rules allow, and input values to go with them.
 */
import fc from "fast-check";
import { REFERENCE_FUNCTIONS } from "./functions.ts";

export type Expr =
  | { t: "num"; v: number }
  | { t: "str"; v: string }
  | { t: "lit"; v: "true" | "false" | "null" | "pi" | "e" }
  | { t: "name"; v: string }
  | { t: "field"; of: Expr; name: string }
  | { t: "index"; of: Expr; at: Expr }
  | { t: "arr"; items: Expr[] }
  | { t: "un"; op: "-" | "+" | "not" | "!"; e: Expr }
  | { t: "bin"; op: string; l: Expr; r: Expr }
  | { t: "cond"; c: Expr; a: Expr; b: Expr }
  | { t: "call"; f: string; args: Expr[] };

export const NAMES = ["a", "b", "c", "s", "flag", "n", "xs", "ys", "o", "missing"];
const FIELDS = ["p", "q", "r", "zz"];
const OPS = [
  "+",
  "-",
  "*",
  "/",
  "%",
  "^",
  "<",
  "<=",
  ">",
  ">=",
  "==",
  "!=",
  "and",
  "or",
  "&&",
  "||",
];

const number = fc.oneof(
  fc.integer({ min: -5, max: 20 }),
  fc.constantFrom(0, 0.5, 1.5, 2.5, 0.1, 1e-3, 1e300),
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
);

/** Expression trees up to a modest depth. */
export const expr: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    number.map((v): Expr => ({ t: "num", v: Math.abs(v) })),
    fc.constantFrom("", "x", "ab", "it's").map((v): Expr => ({ t: "str", v })),
    fc.constantFrom("true", "false", "null", "pi", "e").map((v): Expr => ({ t: "lit", v })),
    fc.constantFrom(...NAMES).map((v): Expr => ({ t: "name", v })),
    fc
      .record({
        of: fc.constantFrom<Expr>({ t: "name", v: "o" }, { t: "name", v: "n" }),
        name: fc.constantFrom(...FIELDS),
      })
      .map((r): Expr => ({ t: "field", ...r })),
    fc.record({ of: tie("e"), at: tie("e") }).map((r): Expr => ({ t: "index", ...r })),
    fc.array(tie("e"), { maxLength: 3 }).map((items): Expr => ({ t: "arr", items })),
    fc
      .record({ op: fc.constantFrom("-", "+", "not", "!"), e: tie("e") })
      .map((r) => ({ t: "un", ...r }) as Expr),
    fc
      .record({ op: fc.constantFrom(...OPS), l: tie("e"), r: tie("e") })
      .map((r): Expr => ({ t: "bin", ...r })),
    fc.record({ c: tie("e"), a: tie("e"), b: tie("e") }).map((r): Expr => ({ t: "cond", ...r })),
    fc
      .constantFrom(...Object.keys(REFERENCE_FUNCTIONS))
      .chain((f) =>
        fc
          .constantFrom(...(REFERENCE_FUNCTIONS[f] ?? [1]))
          .chain((n) =>
            fc
              .array(tie("e"), { minLength: n, maxLength: n })
              .map((args): Expr => ({ t: "call", f, args })),
          ),
      ),
  ),
})).e;

/** Fully parenthesized: the tree is unambiguous whatever the precedence rules. */
export function printFull(e: Expr): string {
  switch (e.t) {
    case "num":
      return String(e.v);
    case "str":
      return JSON.stringify(e.v);
    case "lit":
    case "name":
      return e.v;
    case "field":
      return `${printFull(e.of)}.${e.name}`;
    case "index":
      return `(${printFull(e.of)})[${printFull(e.at)}]`;
    case "arr":
      return `[${e.items.map(printFull).join(", ")}]`;
    case "un":
      return `(${e.op} (${printFull(e.e)}))`;
    case "bin":
      return `((${printFull(e.l)}) ${e.op} (${printFull(e.r)}))`;
    case "cond":
      return `((${printFull(e.c)}) ? (${printFull(e.a)}) : (${printFull(e.b)}))`;
    case "call":
      return `${e.f}(${e.args.map(printFull).join(", ")})`;
  }
}

/** Binding levels as PRODUCT.md lists them, loosest first. */
const LEVEL: Readonly<Record<string, number>> = {
  or: 2,
  "||": 2,
  and: 3,
  "&&": 3,
  "==": 4,
  "!=": 4,
  "<": 5,
  "<=": 5,
  ">": 5,
  ">=": 5,
  "+": 6,
  "-": 6,
  "*": 7,
  "/": 7,
  "%": 7,
  "^": 9,
};

function level(e: Expr): number {
  if (e.t === "cond") return 1;
  if (e.t === "bin") return LEVEL[e.op] ?? 0;
  if (e.t === "un" || (e.t === "num" && Object.is(e.v, -0))) return 8;
  return 10;
}

const wrap = (s: string, yes: boolean): string => (yes ? `(${s})` : s);

/** With only the parentheses the precedence and associativity rules need. */
export function printMinimal(e: Expr): string {
  switch (e.t) {
    case "field":
      return `${wrap(printMinimal(e.of), level(e.of) < 10)}.${e.name}`;
    case "index":
      return `${wrap(printMinimal(e.of), level(e.of) < 10)}[${printMinimal(e.at)}]`;
    case "arr":
      return `[${e.items.map(printMinimal).join(", ")}]`;
    case "un":
      return `${e.op}${e.op === "not" ? " " : e.op === "-" || e.op === "+" ? " " : ""}${wrap(printMinimal(e.e), level(e.e) < 8)}`;
    case "bin": {
      const mine = level(e);
      if (e.op === "^") {
        return `${wrap(printMinimal(e.l), level(e.l) <= 9)} ^ ${wrap(printMinimal(e.r), level(e.r) < 8)}`;
      }
      return `${wrap(printMinimal(e.l), level(e.l) < mine)} ${e.op} ${wrap(printMinimal(e.r), level(e.r) <= mine)}`;
    }
    case "cond":
      return `${wrap(printMinimal(e.c), level(e.c) <= 1)} ? ${printMinimal(e.a)} : ${printMinimal(e.b)}`;
    case "call":
      return `${e.f}(${e.args.map(printMinimal).join(", ")})`;
    default:
      return printFull(e);
  }
}

const scalar = fc.oneof(number, fc.constant(null), fc.constantFrom("", "x", "ab"), fc.boolean());

/** Inputs for the names above; each name may also be absent. */
export const vars: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    a: number,
    b: fc.oneof(number, scalar),
    c: fc.constantFrom(0, 1, 2, -1),
    s: fc.oneof(fc.constantFrom("", "x", "ab"), scalar),
    flag: fc.oneof(fc.boolean(), scalar),
    n: fc.constant(null),
    xs: fc.array(number, { maxLength: 4 }),
    ys: fc.oneof(fc.array(fc.oneof(number, fc.constant(null)), { maxLength: 3 }), scalar),
    o: fc.record({
      p: number,
      q: fc.constant(null),
      r: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
    }),
  },
  { requiredKeys: ["a", "xs", "o"] },
);

/** Pieces of formulas, to make random text that is often nearly valid. */
export const pieces = fc.constantFrom(
  ..."()[],.?:+-*/%^<>=!&|'\"\\ \n\t0123456789eE".split(""),
  "a",
  "xs",
  "o",
  "fn",
  "fn.",
  "not",
  "and",
  "or",
  "true",
  "null",
  "pi",
  "__proto__",
  "constructor",
  "sum(",
  "max(",
  "round(",
  "if(",
  "irr(",
  "slice(",
  "1e999",
  "0.5",
  "\\u00",
  "é",
  "🙂",
  "**",
  "==",
  "<=",
);
