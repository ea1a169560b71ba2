/**
 * What a formula reads and calls — its root names, dotted paths, built-in
 * functions and fn.NAME formulas — collected from its syntax tree the first
 * time it is asked for, not while compiling: evaluating never needs it, so a
 * formula compiled to be evaluated once does not pay for it. The walk records
 * exactly what compiling the same tree reads (the compiler checks names and
 * functions as it goes, so a tree that compiled has no unknown ones).
 */
import type { Node } from "./ast.ts";
import { isDataPath } from "./ast.ts";
import { SortedNames } from "./sorted-names.ts";

/** A formula's metadata, each list sorted and without duplicates. */
export interface Metadata {
  readonly names: readonly string[];
  readonly paths: readonly string[];
  readonly functions: readonly string[];
  readonly formulas: readonly string[];
}

/** The lists being collected. */
class Collector {
  readonly names = new SortedNames();
  readonly paths = new SortedNames();
  readonly functions = new SortedNames();
  readonly formulas = new SortedNames();

  visit(node: Node): void {
    switch (node.kind) {
      case "name":
        this.names.add(node.name);
        this.paths.add(node.name);
        return;
      case "member":
        this.dataPath(node);
        return;
      case "index":
        if (isDataPath(node)) {
          this.dataPath(node);
        } else {
          this.visit(node.object);
          this.visit(node.index);
        }
        return;
      case "array":
        this.visitAll(node.items);
        return;
      case "unary":
        this.visit(node.operand);
        return;
      case "binary":
      case "logical":
        this.visit(node.left);
        this.visit(node.right);
        return;
      case "conditional":
        this.visit(node.test);
        this.visit(node.consequent);
        this.visit(node.alternate);
        return;
      case "call":
        this.functions.add(node.callee);
        this.visitAll(node.args);
        return;
      case "formula":
        this.formulas.add(node.name);
        this.visitAll(node.args);
        return;
      default:
        return;
    }
  }

  private visitAll(nodes: readonly Node[]): void {
    for (const node of nodes) this.visit(node);
  }

  /** A data path: its root name, its dotted path up to the first index, and its index expressions. */
  private dataPath(node: Node): void {
    const chain: Node[] = [];
    let current = node;
    while (current.kind === "member" || current.kind === "index") {
      chain.push(current);
      current = current.object;
    }
    if (current.kind !== "name") return;
    this.names.add(current.name);
    let dotted = current.name;
    let indexed = false;
    for (let i = chain.length - 1; i >= 0; i--) {
      const link = chain[i] as Node;
      if (link.kind === "member") {
        if (!indexed) dotted += `.${link.property}`;
      } else if (link.kind === "index") {
        indexed = true;
        this.visit(link.index);
      }
    }
    this.paths.add(dotted);
  }
}

/**
 * The metadata of a syntax tree. Any parsed tree will do (`referencedFormulas`
 * reads the calls of one not compiled yet); for a tree that compiled it is
 * exactly what compiling read.
 */
export function collectMetadata(ast: Node): Metadata {
  const collector = new Collector();
  collector.visit(ast);
  return {
    names: collector.names.values,
    paths: collector.paths.values,
    functions: collector.functions.values,
    formulas: collector.formulas.values,
  };
}
