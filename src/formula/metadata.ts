/**
 * What a formula reads and calls — its root names, dotted paths, built-in
 * functions and fn.NAME formulas — collected from its syntax tree the first
 * time it is asked for, not while compiling: evaluating never needs it, so a
 * formula compiled to be evaluated once does not pay for it. The walk records
 * exactly what compiling the same tree reads (the compiler checks names and
 * functions as it goes, so a tree that compiled has no unknown ones).
 * `referencedFormulas` reads the fn.NAME calls of a source not compiled yet.
 */
import type { Node } from "./ast.ts";
import { isDataPath } from "./ast.ts";
import { FormulaError } from "./errors.ts";
import { DEFAULT_LIMITS } from "./limits.ts";
import { parse } from "./parse/parser.ts";

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

/*
 * The registered formulas a source calls, read from its syntax tree before
 * anything is compiled: a caller (the formula registry, a goal) loads those
 * callees first, then compiles with a resolver over them.
 */

const NONE: readonly string[] = Object.freeze([]);

/**
 * The formulas `source` calls as `fn.NAME(…)`, sorted and without duplicates,
 * wherever the calls are (nested in arguments, across lines). Text that only
 * looks like a call, such as `"fn.x(1)"` inside a string literal, is not one.
 * A source that does not parse (under the default limits) calls nothing:
 * compiling it reports the error with its position.
 *
 * Every call is written with the keyword `fn`, so a source without those two
 * letters is not parsed at all: compiling it is the only parse it gets.
 */
export function referencedFormulas(source: string): readonly string[] {
  if (typeof source !== "string" || !source.includes("fn")) return NONE;
  try {
    return collectMetadata(parse(source, DEFAULT_LIMITS)).formulas;
  } catch (error) {
    if (error instanceof FormulaError) return NONE;
    throw error;
  }
}

/*
 * A sorted list of unique names, kept sorted as names are added. Formulas
 * read a handful of names, so insertion into a small array beats collecting
 * a Set and sorting it at the end (which showed up in compile profiles).
 */

const EMPTY: readonly string[] = Object.freeze([]);

/** Names in code-unit order, without duplicates. */
class SortedNames {
  private list: string[] | undefined;

  /** Adds `name` unless present. */
  add(name: string): void {
    const list = this.list;
    if (list === undefined) {
      this.list = [name];
      return;
    }
    for (let k = 0; k < list.length; k++) if (list[k] === name) return;
    // Insertion step by hand: Array.prototype.splice costs more than the whole loop.
    let i = list.length;
    list.push(name);
    while (i > 0 && (list[i - 1] as string) > name) {
      list[i] = list[i - 1] as string;
      i--;
    }
    list[i] = name;
  }

  /** The names in code-unit order. */
  get values(): readonly string[] {
    return this.list ?? EMPTY;
  }
}
