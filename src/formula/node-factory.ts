/**
 * Builds syntax-tree nodes, computing each node's depth from its children.
 * Every node starts with the same four fields in the same order (kind, start,
 * end, depth), which the parser and compiler read most.
 */
import type {
  ArrayNode,
  BinaryNode,
  BinaryOp,
  BooleanNode,
  CallNode,
  ConditionalNode,
  ConstantNode,
  FormulaCallNode,
  IndexNode,
  LogicalNode,
  MemberNode,
  NameNode,
  Node,
  NullNode,
  NumberNode,
  StringNode,
  UnaryNode,
} from "./ast.ts";

/** One more than the deepest of `nodes`. */
function deepest(nodes: readonly Node[]): number {
  let depth = 0;
  for (const node of nodes) if (node.depth > depth) depth = node.depth;
  return depth + 1;
}

const deeper = (a: Node, b: Node): number => Math.max(a.depth, b.depth) + 1;

export function numberNode(value: number, start: number, end: number): NumberNode {
  return { kind: "number", start, end, depth: 1, value };
}

export function stringNode(value: string, start: number, end: number): StringNode {
  return { kind: "string", start, end, depth: 1, value };
}

export function booleanNode(value: boolean, start: number, end: number): BooleanNode {
  return { kind: "boolean", start, end, depth: 1, value };
}

export function nullNode(start: number, end: number): NullNode {
  return { kind: "null", start, end, depth: 1 };
}

export function constantNode(name: "pi" | "e", start: number, end: number): ConstantNode {
  return { kind: "constant", start, end, depth: 1, name, value: name === "pi" ? Math.PI : Math.E };
}

export function arrayNode(items: Node[], start: number, end: number): ArrayNode {
  return { kind: "array", start, end, depth: deepest(items), items };
}

export function nameNode(name: string, start: number, end: number): NameNode {
  return { kind: "name", start, end, depth: 1, name };
}

export function memberNode(
  object: Node,
  property: string,
  propertyStart: number,
  end: number,
): MemberNode {
  return {
    kind: "member",
    start: object.start,
    end,
    depth: object.depth + 1,
    object,
    property,
    propertyStart,
  };
}

export function indexNode(object: Node, index: Node, end: number): IndexNode {
  return { kind: "index", start: object.start, end, depth: deeper(object, index), object, index };
}

export function unaryNode(op: UnaryNode["op"], operand: Node, start: number): UnaryNode {
  return { kind: "unary", start, end: operand.end, depth: operand.depth + 1, op, operand };
}

export function binaryNode(op: BinaryOp, left: Node, right: Node, opStart: number): BinaryNode {
  return {
    kind: "binary",
    start: left.start,
    end: right.end,
    depth: deeper(left, right),
    op,
    left,
    right,
    opStart,
  };
}

export function logicalNode(
  op: LogicalNode["op"],
  left: Node,
  right: Node,
  opStart: number,
): LogicalNode {
  return {
    kind: "logical",
    start: left.start,
    end: right.end,
    depth: deeper(left, right),
    op,
    left,
    right,
    opStart,
  };
}

export function conditionalNode(test: Node, consequent: Node, alternate: Node): ConditionalNode {
  const depth = deeper(test, consequent.depth > alternate.depth ? consequent : alternate);
  return {
    kind: "conditional",
    start: test.start,
    end: alternate.end,
    depth,
    test,
    consequent,
    alternate,
  };
}

export function callNode(callee: string, args: Node[], start: number, end: number): CallNode {
  return { kind: "call", start, end, depth: deepest(args), callee, args };
}

export function formulaCallNode(
  name: string,
  args: Node[],
  start: number,
  end: number,
): FormulaCallNode {
  return { kind: "formula", start, end, depth: deepest(args), name, args };
}
