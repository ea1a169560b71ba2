/**
 * Compiles reads of input data: a name, a dotted path (`obs.order.qty`), an
 * index (`xs[-1]`), and mixes of them (`obs.items[0].qty`). A data path walks
 * the raw input with own-property checks, so intermediate plain objects are
 * fine, and only the value at its end must be a formula value.
 *
 * Indexing takes an integer; negative counts from the end; out of range is
 * FORMULA_UNKNOWN_NAME, like a missing field: the data is not there.
 */
import type { IndexNode, MemberNode, NameNode, Node } from "../ast.ts";
import { isDataPath } from "../ast.ts";
import { type Origin, type Site, suggest } from "../errors.ts";
import { isPlainObject, toValue, unknownName } from "../inputs.ts";
import type { Value, Vars } from "../types.ts";
import { isArray, typeName } from "../values.ts";
import type { CompileContext, Evaluator } from "./context.ts";

type CompileNode = (node: Node, ctx: CompileContext) => Evaluator;

/** Checks a root name read against the declared parameters. */
function declareRead(node: NameNode, ctx: CompileContext): void {
  const name = node.name;
  const declared = ctx.declared;
  if (declared !== undefined && !declared.has(name)) {
    const guess = suggest(name, ctx.known);
    const hint = guess === undefined ? "declare it in params" : `did you mean \`${guess}\`?`;
    throw ctx.error(
      "FORMULA_UNKNOWN_NAME",
      node.start,
      `\`${name}\` is not a declared parameter`,
      hint,
      { name },
    );
  }
}

/** Reads a plain name: the hottest read, so numbers take the shortest path. */
export function readName(vars: Vars, node: NameNode, origin: Origin): Value {
  const name = node.name;
  if (Object.hasOwn(vars, name)) {
    const raw = vars[name];
    if (typeof raw === "number" && raw - raw === 0) return raw;
    return toValue(raw, origin, node);
  }
  throw unknownName(origin.site(node), name, vars, origin.declared);
}

/** A plain name. */
export function compileName(node: NameNode, ctx: CompileContext): Evaluator {
  declareRead(node, ctx);
  const origin = ctx.origin;
  return (vars) => readName(vars, node, origin);
}

/**
 * An operand of an operator that has closures reading plain names itself
 * (with readName): the name's node, checked as compileName checks it, so the
 * name costs no closure of its own; or any other operand, compiled.
 */
export type Operand = Evaluator | NameNode;

export function compileOperand(node: Node, ctx: CompileContext, compile: CompileNode): Operand {
  if (node.kind !== "name") return compile(node, ctx);
  declareRead(node, ctx);
  return node;
}

/** One step of a data path: a field, or an index with its compiled expression. */
interface Step {
  readonly link: MemberNode | IndexNode;
  readonly index: Evaluator | undefined;
}

/** Flattens a data path into its root name and steps, compiling index expressions. */
function steps(
  node: Node,
  ctx: CompileContext,
  compile: CompileNode,
): { root: NameNode; steps: Step[] } {
  const chain: (MemberNode | IndexNode)[] = [];
  let current = node;
  while (current.kind === "member" || current.kind === "index") {
    chain.unshift(current);
    current = current.object;
  }
  if (current.kind !== "name") throw new Error("steps() needs a data path");
  declareRead(current, ctx);
  const out: Step[] = [];
  for (const link of chain) {
    out.push({ link, index: link.kind === "member" ? undefined : compile(link.index, ctx) });
  }
  return { root: current, steps: out };
}

/** The site of a step: at the field name or the `[`, quoting the path up to and including it. */
function stepSite(origin: Origin, link: MemberNode | IndexNode): Site {
  return origin.site(link, link.kind === "member" ? link.propertyStart : link.object.end);
}

/** An index value as an array position, or the error saying why it is not one. */
function position(index: Value, length: number, origin: Origin, link: IndexNode): number {
  if (typeof index !== "number") {
    const indexSite = origin.site(link.index);
    if (index === null) throw indexSite.isNull();
    throw indexSite.error(
      "FORMULA_TYPE",
      `an index must be an integer, but \`${indexSite.text}\` is ${typeName(index)}`,
    );
  }
  if (!Number.isInteger(index)) {
    throw origin
      .site(link.index)
      .error("FORMULA_TYPE", `an index must be an integer, got ${index}`);
  }
  const at = index < 0 ? length + index : index;
  if (at < 0 || at >= length) {
    const site = stepSite(origin, link);
    const of = origin.source.slice(link.object.start, link.object.end);
    throw site.error(
      "FORMULA_UNKNOWN_NAME",
      `index ${index} is out of range for \`${of}\` (length ${length})`,
      undefined,
      {
        name: site.text,
      },
    );
  }
  return at;
}

function describeRaw(raw: unknown): string {
  if (raw === null) return "null";
  if (Array.isArray(raw)) return "an array";
  return typeof raw === "object" ? "an object" : `a ${typeof raw}`;
}

/** One step down the raw data, with own-property checks only. */
function step(current: unknown, { link, index }: Step, vars: Vars, origin: Origin): unknown {
  if (current === null) {
    const site = stepSite(origin, link);
    const parent = origin.source.slice(link.object.start, link.object.end);
    throw site.error(
      "FORMULA_NULL",
      `\`${parent}\` is null, so \`${site.text}\` cannot be read`,
      `use coalesce(${site.text}, …)`,
    );
  }
  if (link.kind === "member") {
    const field = link.property;
    if (isPlainObject(current) && Object.hasOwn(current, field)) return current[field];
    const site = stepSite(origin, link);
    const parent = origin.source.slice(link.object.start, link.object.end);
    if (!isPlainObject(current)) {
      throw site.error(
        "FORMULA_TYPE",
        `\`${parent}\` is ${describeRaw(current)}; it has no field \`${field}\``,
      );
    }
    const guess = suggest(field, Object.keys(current).slice(0, 1000));
    const hint = guess === undefined ? undefined : `did you mean \`${parent}.${guess}\`?`;
    throw site.error("FORMULA_UNKNOWN_NAME", `\`${parent}\` has no field \`${field}\``, hint, {
      name: site.text,
    });
  }
  const at = (index as Evaluator)(vars);
  if (!Array.isArray(current)) {
    const parent = origin.source.slice(link.object.start, link.object.end);
    throw stepSite(origin, link).error(
      "FORMULA_TYPE",
      `\`${parent}\` is ${describeRaw(current)}; only arrays can be indexed`,
    );
  }
  const list: readonly unknown[] = current;
  return list[position(at, list.length, origin, link)];
}

/** A data path: a name followed by fields and indexes. */
export function compileDataPath(node: Node, ctx: CompileContext, compile: CompileNode): Evaluator {
  const { root, steps: links } = steps(node, ctx, compile);
  const name = root.name;
  const origin = ctx.origin;
  return (vars) => {
    if (!Object.hasOwn(vars, name))
      throw unknownName(origin.site(root), name, vars, origin.declared);
    let current: unknown = vars[name];
    for (const link of links) current = step(current, link, vars, origin);
    return toValue(current, origin, node);
  };
}

/** `object[index]`: a data path when the object is data, else an index into a computed array. */
export function compileIndex(
  node: IndexNode,
  ctx: CompileContext,
  compile: CompileNode,
): Evaluator {
  if (isDataPath(node)) return compileDataPath(node, ctx, compile);
  const object = compile(node.object, ctx);
  const index = compile(node.index, ctx);
  const origin = ctx.origin;
  return (vars) => {
    const array = object(vars);
    const at = index(vars);
    if (!isArray(array)) {
      const objectSite = origin.site(node.object);
      if (array === null) throw objectSite.isNull();
      throw objectSite.error(
        "FORMULA_TYPE",
        `only arrays can be indexed, but \`${objectSite.text}\` is ${typeName(array)}`,
      );
    }
    return array[position(at, array.length, origin, node)] ?? null;
  };
}
