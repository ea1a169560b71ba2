/**
 * Finds formulas that are pure number crunching — every name a number, and
 * only arithmetic, comparisons, logic, conditionals and functions with numeric
 * kernels — and types them into a small IR of number- and boolean-valued
 * nodes. Such a formula can run on unboxed numbers (fast/scalar.ts) and over
 * whole columns at once (fast/vector.ts).
 *
 * The IR assumes every name holds a finite number; the fast paths check that
 * before running it. Anything the IR cannot express exactly makes the whole
 * formula ineligible, and it simply runs on the general closures.
 */
import type { ArithmeticOp, Node } from "../ast.ts";
import { lookupFunction } from "../functions/library.ts";

/** A number-valued IR node. */
export type NumberIR =
  | { kind: "const"; value: number }
  | { kind: "slot"; slot: number }
  | { kind: "arith"; op: ArithmeticOp; left: NumberIR; right: NumberIR }
  | { kind: "negate"; operand: NumberIR }
  | { kind: "call"; kernel: (...xs: number[]) => number; args: NumberIR[] }
  | { kind: "select"; test: BooleanIR; whenTrue: NumberIR; whenFalse: NumberIR };

/** A boolean-valued IR node. */
export type BooleanIR =
  | { kind: "bool"; value: boolean }
  | { kind: "compare"; op: "<" | "<=" | ">" | ">=" | "==" | "!="; left: NumberIR; right: NumberIR }
  | { kind: "equal"; negate: boolean; left: BooleanIR; right: BooleanIR }
  | { kind: "and" | "or"; left: BooleanIR; right: BooleanIR }
  | { kind: "not"; operand: BooleanIR }
  | { kind: "pick"; test: BooleanIR; whenTrue: BooleanIR; whenFalse: BooleanIR };

/** A typed formula: its result type and root. */
export type NumericPlan = { type: "number"; root: NumberIR } | { type: "boolean"; root: BooleanIR };

type Typed = NumericPlan | undefined;

/** Types `node` with each name at its slot in `slots`; undefined if not purely numeric. */
export function planNumeric(node: Node, slots: ReadonlyMap<string, number>): Typed {
  return new Planner(slots).type(node);
}

class Planner {
  private readonly slots: ReadonlyMap<string, number>;

  constructor(slots: ReadonlyMap<string, number>) {
    this.slots = slots;
  }

  number(node: Node): NumberIR | undefined {
    const typed = this.type(node);
    return typed?.type === "number" ? typed.root : undefined;
  }

  boolean(node: Node): BooleanIR | undefined {
    const typed = this.type(node);
    return typed?.type === "boolean" ? typed.root : undefined;
  }

  type(node: Node): Typed {
    switch (node.kind) {
      case "number":
      case "constant":
        return { type: "number", root: { kind: "const", value: node.value } };
      case "boolean":
        return { type: "boolean", root: { kind: "bool", value: node.value } };
      case "name": {
        const slot = this.slots.get(node.name);
        return slot === undefined ? undefined : { type: "number", root: { kind: "slot", slot } };
      }
      case "unary":
        return this.unary(node.op, node.operand);
      case "binary":
        return this.binary(node.op, node.left, node.right);
      case "logical": {
        const left = this.boolean(node.left);
        const right = this.boolean(node.right);
        return left && right && { type: "boolean", root: { kind: node.op, left, right } };
      }
      case "conditional":
        return this.select(node.test, node.consequent, node.alternate);
      case "call":
        return this.call(node.callee, node.args);
      default:
        return undefined;
    }
  }

  private unary(op: "-" | "+" | "not", operand: Node): Typed {
    if (op === "not") {
      const inner = this.boolean(operand);
      return inner && { type: "boolean", root: { kind: "not", operand: inner } };
    }
    const inner = this.number(operand);
    if (inner === undefined) return undefined;
    return { type: "number", root: op === "-" ? { kind: "negate", operand: inner } : inner };
  }

  private binary(
    op: ArithmeticOp | "<" | "<=" | ">" | ">=" | "==" | "!=",
    leftNode: Node,
    rightNode: Node,
  ): Typed {
    const left = this.type(leftNode);
    const right = this.type(rightNode);
    if (left === undefined || right === undefined) return undefined;
    if (left.type === "number" && right.type === "number") {
      if (op === "<" || op === "<=" || op === ">" || op === ">=" || op === "==" || op === "!=") {
        return {
          type: "boolean",
          root: { kind: "compare", op, left: left.root, right: right.root },
        };
      }
      return { type: "number", root: { kind: "arith", op, left: left.root, right: right.root } };
    }
    if (left.type === "boolean" && right.type === "boolean" && (op === "==" || op === "!=")) {
      return {
        type: "boolean",
        root: { kind: "equal", negate: op === "!=", left: left.root, right: right.root },
      };
    }
    // Mixed types compare unequal without error; anything else is a type error the general path reports.
    return undefined;
  }

  private select(testNode: Node, thenNode: Node, otherwiseNode: Node): Typed {
    const test = this.boolean(testNode);
    const then = this.type(thenNode);
    const otherwise = this.type(otherwiseNode);
    if (test === undefined || then === undefined || otherwise === undefined) return undefined;
    if (then.type === "number" && otherwise.type === "number") {
      return {
        type: "number",
        root: { kind: "select", test, whenTrue: then.root, whenFalse: otherwise.root },
      };
    }
    if (then.type === "boolean" && otherwise.type === "boolean") {
      return {
        type: "boolean",
        root: { kind: "pick", test, whenTrue: then.root, whenFalse: otherwise.root },
      };
    }
    return undefined;
  }

  private call(name: string, argNodes: readonly Node[]): Typed {
    if (name === "if" && argNodes.length === 3) {
      const [test, then, otherwise] = argNodes as [Node, Node, Node];
      return this.select(test, then, otherwise);
    }
    if (name === "coalesce") {
      // A number is never null, so coalesce(x, …) is x and the rest is never evaluated.
      const first = argNodes[0];
      return first === undefined ? undefined : this.type(first);
    }
    const def = lookupFunction(name);
    const kernel =
      argNodes.length === 1
        ? def?.kernel1
        : argNodes.length === 2
          ? def?.kernel2
          : argNodes.length === 3
            ? def?.kernel3
            : undefined;
    if (kernel === undefined) return undefined;
    const args: NumberIR[] = [];
    for (const argNode of argNodes) {
      const arg = this.number(argNode);
      if (arg === undefined) return undefined;
      args.push(arg);
    }
    // Each kernel takes exactly as many numbers as there are arguments here.
    return {
      type: "number",
      root: { kind: "call", kernel: kernel as (...xs: number[]) => number, args },
    };
  }
}
