/**
 * A reference evaluator for the property tests: a plain recursive walk over
 * the parser's syntax tree, written from the language's rules independently
 * of the compiler (it shares only the parser and the node types). It fails
 * with a RefError carrying the code the language prescribes.
 */
import type { Node } from "../../../src/formula/ast.ts";
import type { FormulaErrorCode, Value } from "../../../src/formula/index.ts";
import { callFunction } from "./functions.ts";

/** A failure of the reference evaluator: only its code is compared. */
export class RefError extends Error {
  readonly code: FormulaErrorCode;
  constructor(code: FormulaErrorCode) {
    super(code);
    this.code = code;
  }
}

export const fail = (code: FormulaErrorCode): never => {
  throw new RefError(code);
};

type Data = Record<string, unknown>;

const own = (o: object, k: string) => Object.hasOwn(o, k);
const isPlain = (o: unknown): o is Data =>
  typeof o === "object" &&
  o !== null &&
  !Array.isArray(o) &&
  [Object.prototype, null].includes(Object.getPrototypeOf(o));

/** Checks raw data is a value (finite numbers, strings, booleans, null, arrays of those). */
export function checkData(raw: unknown): Value {
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : fail("FORMULA_NON_FINITE");
  if (typeof raw === "string" || typeof raw === "boolean" || raw === null) return raw;
  if (Array.isArray(raw)) {
    for (const item of raw) checkData(item);
    return raw as Value[];
  }
  return fail("FORMULA_TYPE");
}

export function deepEqual(a: Value, b: Value): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i] as Value));
  }
  return a === b;
}

/** The numbers of an array operand: null elements are FORMULA_NULL, others FORMULA_TYPE. */
export function numbers(xs: readonly Value[]): number[] {
  return xs.map((x) =>
    typeof x === "number" ? x : x === null ? fail("FORMULA_NULL") : fail("FORMULA_TYPE"),
  );
}

export function finite(x: number): number {
  return Number.isFinite(x) ? x : fail("FORMULA_NON_FINITE");
}

function arith(op: string, a: number, b: number): number {
  if (op === "+") return a + b;
  if (op === "-") return a - b;
  if (op === "*") return a * b;
  if (op === "/") return a / b;
  if (op === "%") return a % b;
  return a ** b;
}

function arithmetic(op: string, a: Value, b: Value): Value {
  if (typeof a === "number" && typeof b === "number") return finite(arith(op, a, b));
  if (op === "+" && typeof a === "string" && typeof b === "string") return a + b;
  if (a === null || b === null) return fail("FORMULA_NULL");
  if (
    !(typeof a === "number" || Array.isArray(a)) ||
    !(typeof b === "number" || Array.isArray(b))
  ) {
    return fail("FORMULA_TYPE");
  }
  const left = Array.isArray(a) ? numbers(a) : a;
  const right = Array.isArray(b) ? numbers(b) : b;
  if (Array.isArray(left) && Array.isArray(right) && left.length !== right.length)
    return fail("FORMULA_TYPE");
  const length = Array.isArray(left) ? left.length : (right as number[]).length;
  return Array.from({ length }, (_, i) =>
    finite(
      arith(
        op,
        Array.isArray(left) ? (left[i] as number) : left,
        Array.isArray(right) ? (right[i] as number) : right,
      ),
    ),
  );
}

function bool(v: Value): boolean {
  return typeof v === "boolean" ? v : fail("FORMULA_TYPE");
}

function position(index: Value, length: number): number {
  if (index === null) return fail("FORMULA_NULL");
  if (typeof index !== "number" || !Number.isInteger(index)) return fail("FORMULA_TYPE");
  const at = index < 0 ? length + index : index;
  return at >= 0 && at < length ? at : fail("FORMULA_UNKNOWN_NAME");
}

/** Reads a data path (a name, then fields and indexes) over the raw inputs. */
function readPath(node: Node, vars: Data): unknown {
  if (node.kind === "name")
    return own(vars, node.name) ? vars[node.name] : fail("FORMULA_UNKNOWN_NAME");
  if (node.kind === "member") {
    const base = readPath(node.object, vars);
    if (base === null) return fail("FORMULA_NULL");
    if (!isPlain(base)) return fail("FORMULA_TYPE");
    return own(base, node.property) ? base[node.property] : fail("FORMULA_UNKNOWN_NAME");
  }
  if (node.kind === "index") {
    const base = readPath(node.object, vars);
    if (base === null) return fail("FORMULA_NULL");
    const index = evaluate(node.index, vars);
    if (!Array.isArray(base)) return fail("FORMULA_TYPE");
    return base[position(index, base.length)];
  }
  throw new Error(`not a data path: ${node.kind}`);
}

function isDataPath(node: Node): boolean {
  if (node.kind === "name") return true;
  return (node.kind === "member" || node.kind === "index") && isDataPath(node.object);
}

/** Evaluates `node` over `vars`, throwing RefError. */
export function evaluate(node: Node, vars: Data): Value {
  switch (node.kind) {
    case "number":
    case "string":
    case "boolean":
    case "constant":
      return node.value;
    case "null":
      return null;
    case "array":
      return node.items.map((item) => evaluate(item, vars));
    case "name":
    case "member":
      return checkData(readPath(node, vars));
    case "index": {
      if (isDataPath(node)) return checkData(readPath(node, vars));
      const base = evaluate(node.object, vars);
      const index = evaluate(node.index, vars);
      if (!Array.isArray(base)) return fail(base === null ? "FORMULA_NULL" : "FORMULA_TYPE");
      return base[position(index, base.length)] as Value;
    }
    case "unary": {
      const v = evaluate(node.operand, vars);
      if (node.op === "not") return !bool(v);
      if (typeof v === "number") return node.op === "-" ? -v : v;
      if (v === null) return fail("FORMULA_NULL");
      if (!Array.isArray(v)) return fail("FORMULA_TYPE");
      return numbers(v).map((x) => (node.op === "-" ? -x : x));
    }
    case "binary": {
      const a = evaluate(node.left, vars);
      const b = evaluate(node.right, vars);
      if (node.op === "==") return deepEqual(a, b);
      if (node.op === "!=") return !deepEqual(a, b);
      if (node.op === "<" || node.op === "<=" || node.op === ">" || node.op === ">=") {
        const comparable =
          (typeof a === "number" && typeof b === "number") ||
          (typeof a === "string" && typeof b === "string");
        if (!comparable) return fail("FORMULA_TYPE");
        const [x, y] = [a, b] as [number, number];
        return node.op === "<"
          ? x < y
          : node.op === "<="
            ? x <= y
            : node.op === ">"
              ? x > y
              : x >= y;
      }
      return arithmetic(node.op, a, b);
    }
    case "logical": {
      const left = bool(evaluate(node.left, vars));
      if (node.op === "and" ? !left : left) return left;
      return bool(evaluate(node.right, vars));
    }
    case "conditional":
      return bool(evaluate(node.test, vars))
        ? evaluate(node.consequent, vars)
        : evaluate(node.alternate, vars);
    case "call":
      return callFunction(node.callee, node.args, (arg) => evaluate(arg, vars));
    case "formula":
      throw new Error("the reference evaluator does not call other formulas");
  }
}
