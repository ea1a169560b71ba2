/**
 * Templates: the JSON an action sends (a webhook body, formula args, a record
 * or signal value), in which some strings are formulas.
 *
 * - A string starting with `=` is a formula: `"=qty"`, `"=concat('price ', price)"`.
 * - A string starting with `==` is the literal text after the first `=`:
 *   `"==5"` renders as the string `"=5"`. That is the only escape; every other
 *   string, number, boolean, null and every object key is literal.
 *
 * Templates are compiled once with the goal; a cycle renders them each time
 * an action is planned (`renderTemplate` in `src/cycle/payload.ts`).
 */

import type { CompiledFormula } from "../formula/index.ts";
import type { JsonValue } from "./json.ts";

/** A compiled template: literal subtrees stay as they were written. */
export type TemplateNode =
  | { readonly kind: "literal"; readonly value: JsonValue }
  | { readonly kind: "formula"; readonly path: string; readonly formula: CompiledFormula }
  | { readonly kind: "array"; readonly items: readonly TemplateNode[] }
  | { readonly kind: "object"; readonly entries: readonly (readonly [string, TemplateNode])[] };

/** What a template string is: a formula's source, or literal text. */
export type TemplateString =
  | { readonly kind: "formula"; readonly source: string }
  | { readonly kind: "literal"; readonly text: string };

/** Reads one template string: `"=x"` is the formula `x`, `"==x"` the text `"=x"`, else the text itself. */
export function readTemplateString(text: string): TemplateString {
  if (text.startsWith("==")) return { kind: "literal", text: text.slice(1) };
  if (text.startsWith("=")) return { kind: "formula", source: text.slice(1) };
  return { kind: "literal", text };
}

/** The formula sources of a template as written, in document order (object keys are literal). */
export function templateSources(value: JsonValue): string[] {
  if (typeof value === "string") {
    const read = readTemplateString(value);
    return read.kind === "formula" ? [read.source] : [];
  }
  if (Array.isArray(value)) return value.flatMap(templateSources);
  if (value !== null && typeof value === "object")
    return Object.values(value).flatMap(templateSources);
  return [];
}

/**
 * Compiles a template. `compileAt` compiles one formula found at a dotted path
 * below `path` and returns undefined when it failed (the caller records the
 * issue), so one pass reports every bad formula in the template.
 */
export function compileTemplate(
  value: JsonValue,
  path: string,
  compileAt: (source: string, path: string) => CompiledFormula | undefined,
): TemplateNode {
  if (typeof value === "string") {
    const read = readTemplateString(value);
    if (read.kind === "literal") return { kind: "literal", value: read.text };
    const formula = compileAt(read.source, path);
    return formula === undefined
      ? { kind: "literal", value: null }
      : { kind: "formula", path, formula };
  }
  if (Array.isArray(value)) {
    const items = value.map((item, index) => compileTemplate(item, `${path}.${index}`, compileAt));
    const literals = items.flatMap(literalValue);
    return literals.length === items.length
      ? { kind: "literal", value: literals }
      : { kind: "array", items };
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(
      ([key, item]) => [key, compileTemplate(item, `${path}.${key}`, compileAt)] as const,
    );
    const literals = entries.flatMap(([key, node]) =>
      literalValue(node).map((item) => [key, item]),
    );
    return literals.length === entries.length
      ? { kind: "literal", value: Object.fromEntries(literals) }
      : { kind: "object", entries };
  }
  return { kind: "literal", value };
}

/** A literal node's value (with `==` escapes already resolved) as a one-element list, else none. */
function literalValue(node: TemplateNode): JsonValue[] {
  return node.kind === "literal" ? [node.value] : [];
}

/** Every formula in a template, with the dotted path where it was written. */
export function templateFormulas(
  node: TemplateNode,
): { readonly path: string; readonly formula: CompiledFormula }[] {
  switch (node.kind) {
    case "literal":
      return [];
    case "formula":
      return [{ path: node.path, formula: node.formula }];
    case "array":
      return node.items.flatMap(templateFormulas);
    case "object":
      return node.entries.flatMap(([, item]) => templateFormulas(item));
  }
}
