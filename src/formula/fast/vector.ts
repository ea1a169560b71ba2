/**
 * Column-at-a-time evaluation of a numeric formula: each IR node fills a
 * Float64Array for a chunk of rows, so a batch costs a few tight loops per
 * node instead of a tree of calls per row.
 *
 * Everything is evaluated eagerly (both branches of a conditional, both sides
 * of `and`), which is safe because nothing here can fail except by producing
 * a non-finite number or meeting an input that is not a number — and either
 * throws BAIL, making the caller evaluate the batch row by row on the exact
 * path instead.
 */
import type { ArithmeticOp } from "../ast.ts";
import type { BooleanIR, NumberIR, NumericPlan } from "./numeric-plan.ts";
import { BAIL } from "./scalar.ts";

/** Rows per chunk: small enough that a formula's buffers stay in cache. */
const CHUNK = 1024;

/** Fills (and returns) a node's buffer for rows [start, start + n). */
type ChunkFn = (start: number, n: number) => Float64Array;

/** The columns of the batch being evaluated, by register slot. */
interface Batch {
  columns: readonly ArrayLike<unknown>[];
  /** Counts batches, so a chunk cached in one batch is never reused in the next. */
  generation: number;
}

/** Evaluates a batch; throws BAIL when the exact path must take over. */
export type VectorEvaluator = (
  columns: readonly ArrayLike<unknown>[],
  rows: number,
) => (number | boolean)[];

function arithmetic(op: ArithmeticOp, left: ChunkFn, right: ChunkFn, square: boolean): ChunkFn {
  const out = new Float64Array(CHUNK);
  return (start, n) => {
    const a = left(start, n);
    const b = square ? a : right(start, n);
    let bad = 0;
    switch (op) {
      case "+":
        for (let i = 0; i < n; i++) {
          const y = (a[i] as number) + (b[i] as number);
          out[i] = y;
          bad += y * 0;
        }
        break;
      case "-":
        for (let i = 0; i < n; i++) {
          const y = (a[i] as number) - (b[i] as number);
          out[i] = y;
          bad += y * 0;
        }
        break;
      case "*":
        for (let i = 0; i < n; i++) {
          const y = (a[i] as number) * (b[i] as number);
          out[i] = y;
          bad += y * 0;
        }
        break;
      case "/":
        for (let i = 0; i < n; i++) {
          const y = (a[i] as number) / (b[i] as number);
          out[i] = y;
          bad += y * 0;
        }
        break;
      case "%":
        for (let i = 0; i < n; i++) {
          const y = (a[i] as number) % (b[i] as number);
          out[i] = y;
          bad += y * 0;
        }
        break;
      default:
        for (let i = 0; i < n; i++) {
          const e = b[i] as number;
          const y = e === 2 ? (a[i] as number) * (a[i] as number) : (a[i] as number) ** e;
          out[i] = y;
          bad += y * 0;
        }
    }
    // x * 0 is 0 for finite x and NaN otherwise, so `bad` is 0 only if every result was finite.
    if (bad !== 0) throw BAIL;
    return out;
  };
}

function slot(batch: Batch, index: number, min: number, max: number): ChunkFn {
  const out = new Float64Array(CHUNK);
  let loadedGeneration = -1;
  let loadedStart = -1;
  return (start, n) => {
    // A name read twice is loaded once per chunk.
    if (batch.generation === loadedGeneration && start === loadedStart) return out;
    const column = batch.columns[index] as ArrayLike<unknown>;
    for (let i = 0; i < n; i++) {
      const x = column[start + i];
      if (typeof x !== "number" || !(x >= min && x <= max) || x - x !== 0) throw BAIL;
      out[i] = x;
    }
    loadedGeneration = batch.generation;
    loadedStart = start;
    return out;
  };
}

function call(kernel: (...xs: number[]) => number, args: ChunkFn[]): ChunkFn {
  const out = new Float64Array(CHUNK);
  return (start, n) => {
    const inputs = args.map((arg) => arg(start, n));
    const [a, b, c] = inputs;
    let bad = 0;
    for (let i = 0; i < n; i++) {
      const y =
        a === undefined
          ? kernel()
          : b === undefined
            ? kernel(a[i] as number)
            : c === undefined
              ? kernel(a[i] as number, b[i] as number)
              : kernel(a[i] as number, b[i] as number, c[i] as number);
      out[i] = y;
      bad += y * 0;
    }
    if (bad !== 0) throw BAIL;
    return out;
  };
}

/** An element-wise map of one buffer into a new buffer. */
function map1(operand: ChunkFn, f: (a: number) => number): ChunkFn {
  const out = new Float64Array(CHUNK);
  return (start, n) => {
    const a = operand(start, n);
    for (let i = 0; i < n; i++) out[i] = f(a[i] as number);
    return out;
  };
}

/** An element-wise map of two buffers into a new buffer. */
function map2(left: ChunkFn, right: ChunkFn, f: (a: number, b: number) => number): ChunkFn {
  const out = new Float64Array(CHUNK);
  return (start, n) => {
    const a = left(start, n);
    const b = right(start, n);
    for (let i = 0; i < n; i++) out[i] = f(a[i] as number, b[i] as number);
    return out;
  };
}

function select(test: ChunkFn, then: ChunkFn, otherwise: ChunkFn): ChunkFn {
  const out = new Float64Array(CHUNK);
  return (start, n) => {
    const t = test(start, n);
    const a = then(start, n);
    const b = otherwise(start, n);
    for (let i = 0; i < n; i++) out[i] = t[i] !== 0 ? (a[i] as number) : (b[i] as number);
    return out;
  };
}

function constant(value: number): ChunkFn {
  const out = new Float64Array(CHUNK).fill(value);
  return () => out;
}

class VectorCompiler {
  private readonly slots: ChunkFn[];

  constructor(batch: Batch, mins: Float64Array, maxs: Float64Array) {
    this.slots = Array.from(mins, (min, i) => slot(batch, i, min, maxs[i] as number));
  }

  number(node: NumberIR): ChunkFn {
    switch (node.kind) {
      case "const":
        return constant(node.value);
      case "slot":
        return this.slots[node.slot] as ChunkFn;
      case "arith": {
        const square = node.op === "^" && node.right.kind === "const" && node.right.value === 2;
        return arithmetic(
          square ? "*" : node.op,
          this.number(node.left),
          this.number(node.right),
          square,
        );
      }
      case "negate":
        return map1(this.number(node.operand), (a) => -a);
      case "call":
        return call(
          node.kernel,
          node.args.map((arg) => this.number(arg)),
        );
      case "select":
        return select(
          this.boolean(node.test),
          this.number(node.whenTrue),
          this.number(node.whenFalse),
        );
    }
  }

  boolean(node: BooleanIR): ChunkFn {
    switch (node.kind) {
      case "bool":
        return constant(node.value ? 1 : 0);
      case "compare": {
        const compareOp = COMPARE[node.op];
        return map2(this.number(node.left), this.number(node.right), compareOp);
      }
      case "equal":
        return map2(
          this.boolean(node.left),
          this.boolean(node.right),
          node.negate ? (a, b) => (a !== b ? 1 : 0) : (a, b) => (a === b ? 1 : 0),
        );
      case "and":
        return map2(this.boolean(node.left), this.boolean(node.right), (a, b) =>
          a !== 0 && b !== 0 ? 1 : 0,
        );
      case "or":
        return map2(this.boolean(node.left), this.boolean(node.right), (a, b) =>
          a !== 0 || b !== 0 ? 1 : 0,
        );
      case "not":
        return map1(this.boolean(node.operand), (a) => (a === 0 ? 1 : 0));
      case "pick":
        return select(
          this.boolean(node.test),
          this.boolean(node.whenTrue),
          this.boolean(node.whenFalse),
        );
    }
  }
}

const COMPARE: Readonly<
  Record<"<" | "<=" | ">" | ">=" | "==" | "!=", (a: number, b: number) => number>
> = {
  "<": (a, b) => (a < b ? 1 : 0),
  "<=": (a, b) => (a <= b ? 1 : 0),
  ">": (a, b) => (a > b ? 1 : 0),
  ">=": (a, b) => (a >= b ? 1 : 0),
  "==": (a, b) => (a === b ? 1 : 0),
  "!=": (a, b) => (a !== b ? 1 : 0),
};

// Separate functions for numbers and booleans, so each store site only ever sees one kind of
// value and V8 keeps a numbers-only result array unboxed.
function copyNumbers(from: Float64Array, to: (number | boolean)[], start: number, n: number): void {
  for (let i = 0; i < n; i++) to[start + i] = from[i] as number;
}

function copyBooleans(
  from: Float64Array,
  to: (number | boolean)[],
  start: number,
  n: number,
): void {
  for (let i = 0; i < n; i++) to[start + i] = from[i] !== 0;
}

/** Compiles a plan for batches whose columns (by slot) pass the given bounds. */
export function compileVector(
  plan: NumericPlan,
  mins: Float64Array,
  maxs: Float64Array,
): VectorEvaluator {
  const batch: Batch = { columns: [], generation: 0 };
  const compiler = new VectorCompiler(batch, mins, maxs);
  const root = plan.type === "number" ? compiler.number(plan.root) : compiler.boolean(plan.root);
  const asBoolean = plan.type === "boolean";
  // An element getter in a column could re-enter while the buffers are in use.
  let busy = false;
  return (columns, rows) => {
    if (busy) throw BAIL;
    busy = true;
    try {
      batch.columns = columns;
      batch.generation++;
      // Preallocated: pushing a million results costs several times more than storing them.
      const results = new Array<number | boolean>(rows);
      for (let start = 0; start < rows; start += CHUNK) {
        const n = Math.min(CHUNK, rows - start);
        const out = root(start, n);
        if (asBoolean) copyBooleans(out, results, start, n);
        else copyNumbers(out, results, start, n);
      }
      return results;
    } finally {
      busy = false;
    }
  };
}
