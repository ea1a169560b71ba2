/**
 * Builds syntax-tree nodes. Every node starts with the same three fields in
 * the same order (kind, start, end), which the parser and compiler read
 * most. Depths are the parser's business (it checks them against the
 * limits as it goes) and are not stored in the nodes.
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

export function numberNode(value: number, start: number, end: number): NumberNode {
  return { kind: "number", start, end, value };
}

export function stringNode(value: string, start: number, end: number): StringNode {
  return { kind: "string", start, end, value };
}

export function booleanNode(value: boolean, start: number, end: number): BooleanNode {
  return { kind: "boolean", start, end, value };
}

export function nullNode(start: number, end: number): NullNode {
  return { kind: "null", start, end };
}

export function constantNode(name: "pi" | "e", start: number, end: number): ConstantNode {
  return { kind: "constant", start, end, name, value: name === "pi" ? Math.PI : Math.E };
}

export function arrayNode(items: Node[], start: number, end: number): ArrayNode {
  return { kind: "array", start, end, items };
}

export function nameNode(name: string, start: number, end: number): NameNode {
  return { kind: "name", start, end, name };
}

export function memberNode(
  object: Node,
  property: string,
  propertyStart: number,
  end: number,
): MemberNode {
  return { kind: "member", start: object.start, end, object, property, propertyStart };
}

export function indexNode(object: Node, index: Node, end: number): IndexNode {
  return { kind: "index", start: object.start, end, object, index };
}

export function unaryNode(op: UnaryNode["op"], operand: Node, start: number): UnaryNode {
  return { kind: "unary", start, end: operand.end, op, operand };
}

export function binaryNode(op: BinaryOp, left: Node, right: Node): BinaryNode {
  return { kind: "binary", start: left.start, end: right.end, op, left, right };
}

export function logicalNode(op: LogicalNode["op"], left: Node, right: Node): LogicalNode {
  return { kind: "logical", start: left.start, end: right.end, op, left, right };
}

export function conditionalNode(test: Node, consequent: Node, alternate: Node): ConditionalNode {
  return {
    kind: "conditional",
    start: test.start,
    end: alternate.end,
    test,
    consequent,
    alternate,
  };
}

export function callNode(callee: string, args: Node[], start: number, end: number): CallNode {
  return { kind: "call", start, end, callee, args };
}

export function formulaCallNode(
  name: string,
  args: Node[],
  start: number,
  end: number,
): FormulaCallNode {
  return { kind: "formula", start, end, name, args };
}
