/**
 * The syntax tree: its node types, the language's named constants, and the
 * builders the parser makes nodes with. Every node keeps the source span it
 * came from (`start`, `end`), so errors can point at it and messages can
 * quote it.
 */

interface Span {
  /** Offset of the node's first character. */
  start: number;
  /** Offset just past the node's last character. */
  end: number;
}

/** Binary operators other than the lazy logical ones. */
export type BinaryOp = "+" | "-" | "*" | "/" | "%" | "^" | "<" | "<=" | ">" | ">=" | "==" | "!=";

/** Arithmetic operators: these broadcast over arrays. */
export type ArithmeticOp = "+" | "-" | "*" | "/" | "%" | "^";

export interface NumberNode extends Span {
  kind: "number";
  value: number;
}
export interface StringNode extends Span {
  kind: "string";
  value: string;
}
export interface BooleanNode extends Span {
  kind: "boolean";
  value: boolean;
}
export interface NullNode extends Span {
  kind: "null";
}
/** `pi` or `e`. */
export interface ConstantNode extends Span {
  kind: "constant";
  name: "pi" | "e";
  value: number;
}
export interface ArrayNode extends Span {
  kind: "array";
  items: Node[];
}
/** A variable read. */
export interface NameNode extends Span {
  kind: "name";
  name: string;
}
/** `object.property`, where object is a name, a member or an index of one (a data path). */
export interface MemberNode extends Span {
  kind: "member";
  object: Node;
  property: string;
  propertyStart: number;
}
/** `object[index]`. */
export interface IndexNode extends Span {
  kind: "index";
  object: Node;
  index: Node;
}
/** `-x`, `+x`, `not x` (also written `!x`). */
export interface UnaryNode extends Span {
  kind: "unary";
  op: "-" | "+" | "not";
  operand: Node;
}
/**
 * The operator's offset, where errors of the operation point, is not kept:
 * it is the first character after the left operand that is not a space
 * (operatorOffset in parse/literals.ts), and only an error needs it.
 */
export interface BinaryNode extends Span {
  kind: "binary";
  op: BinaryOp;
  left: Node;
  right: Node;
}
/** `and` / `&&`, `or` / `||`: lazy. */
export interface LogicalNode extends Span {
  kind: "logical";
  op: "and" | "or";
  left: Node;
  right: Node;
}
/** `test ? consequent : alternate`: lazy. */
export interface ConditionalNode extends Span {
  kind: "conditional";
  test: Node;
  consequent: Node;
  alternate: Node;
}
/** A call of a built-in function. */
export interface CallNode extends Span {
  kind: "call";
  callee: string;
  args: Node[];
}
/** `fn.NAME(args)`: a call of another registered formula. */
export interface FormulaCallNode extends Span {
  kind: "formula";
  name: string;
  args: Node[];
}

/** Any node of the syntax tree. */
export type Node =
  | NumberNode
  | StringNode
  | BooleanNode
  | NullNode
  | ConstantNode
  | ArrayNode
  | NameNode
  | MemberNode
  | IndexNode
  | UnaryNode
  | BinaryNode
  | LogicalNode
  | ConditionalNode
  | CallNode
  | FormulaCallNode;

/** True for nodes that read input data: a name, or a field or index of one. */
export function isDataPath(node: Node): boolean {
  let current = node;
  while (current.kind === "member" || current.kind === "index") current = current.object;
  return current.kind === "name";
}

/*
 * The named constants. They are part of the language, not inputs: no input
 * can shadow them, and declared parameters cannot take their names.
 */

/** The constants' names. */
export const CONSTANT_NAMES: readonly string[] = ["e", "pi"];

/*
 * The node builders. Every node starts with the same three fields in
 * the same order (kind, start, end), which the parser and compiler read
 * most. Depths are the parser's business (it checks them against the
 * limits as it goes) and are not stored in the nodes.
 */

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
