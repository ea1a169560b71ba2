/**
 * Reading input data. Names and paths are looked up with own-property checks
 * only, so nothing on a prototype (`__proto__`, `constructor`, `toString`) is
 * ever reachable, and every value read is checked to be a formula value
 * before the formula sees it: finite numbers, strings, booleans, null, and
 * arrays of those within the array limit.
 */

import { CONSTANT_NAMES, type Node } from "./ast.ts";
import { charge, elementsCost } from "./budget.ts";
import { type FormulaErrorCode, type Origin, type Site, suggest } from "./errors.ts";
import type { Value, Vars } from "./types.ts";
import { recordElementCount } from "./values.ts";

/** True for objects whose fields a dotted path may read: plain objects only. */
export function isPlainObject(raw: unknown): raw is Readonly<Record<string, unknown>> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return false;
  const proto: unknown = Object.getPrototypeOf(raw);
  return proto === Object.prototype || proto === null;
}

/**
 * The error for a root name that vars does not have, with a did-you-mean over
 * what it has, the declared parameters and the constants.
 */
export function unknownName(
  site: Site,
  name: string,
  vars: Vars,
  declared: ReadonlySet<string> | undefined,
) {
  const candidates = [...(declared ?? []), ...CONSTANT_NAMES, ...ownKeys(vars)];
  const guess = suggest(name, candidates);
  const hint = guess === undefined ? undefined : `did you mean \`${guess}\`?`;
  const message = `unknown name \`${name}\`${guess === undefined ? "" : `; did you mean \`${guess}\`?`}`;
  return site.error("FORMULA_UNKNOWN_NAME", message, hint, { name });
}

/** Own enumerable keys, at most a thousand: enough for a hint, bounded for huge inputs. */
function ownKeys(vars: Vars): string[] {
  const keys: string[] = [];
  for (const key of Object.keys(vars)) {
    if (keys.length >= 1000) break;
    keys.push(key);
  }
  return keys;
}

/**
 * Checks that raw input data read at `node` is a formula value: finite
 * numbers, strings, booleans, null, and arrays of those with at most
 * maxArrayLength elements (nested ones counted) nested at most maxDepth deep.
 */
export function toValue(raw: unknown, origin: Origin, node: Node): Value {
  switch (typeof raw) {
    case "number":
      if (raw - raw === 0) return raw;
      break;
    case "string":
    case "boolean":
      return raw;
    case "object":
      if (raw === null) return null;
      if (Array.isArray(raw)) {
        const counter = { count: 0 };
        const array = toArray(raw, new Reader(origin, node), [], counter, 1);
        charge(elementsCost(counter.count));
        return array;
      }
      break;
  }
  return invalid(raw, new Reader(origin, node), []);
}

/** Where a value is being read, for messages. */
class Reader {
  readonly origin: Origin;
  readonly node: Node;

  constructor(origin: Origin, node: Node) {
    this.origin = origin;
    this.node = node;
  }

  /** The path read, e.g. `xs` or `xs[2][0]`. */
  what(indexes: readonly number[]): string {
    const base = this.origin.source.slice(this.node.start, this.node.end);
    return base + indexes.map((i) => `[${i}]`).join("");
  }

  error(
    code: FormulaErrorCode,
    message: string,
    hint?: string,
    details?: Readonly<Record<string, unknown>>,
  ) {
    return this.origin.site(this.node).error(code, message, hint, details);
  }
}

/** The error for data that is not a value. */
function invalid(raw: unknown, reader: Reader, indexes: readonly number[]): never {
  const what = reader.what(indexes);
  if (typeof raw === "number") {
    throw reader.error("FORMULA_NON_FINITE", `\`${what}\` is ${String(raw)}, not a finite number`);
  }
  if (typeof raw === "object" && raw !== null) {
    const hint = isPlainObject(raw)
      ? `read one of its fields with a dotted path, e.g. \`${what}.field\``
      : undefined;
    throw reader.error("FORMULA_TYPE", `\`${what}\` is an object, not a value`, hint);
  }
  const kind = raw === undefined ? "undefined" : `a ${typeof raw}`;
  throw reader.error("FORMULA_TYPE", `\`${what}\` is ${kind}, not a value`);
}

function toArray(
  raw: readonly unknown[],
  reader: Reader,
  indexes: readonly number[],
  counter: { count: number },
  depth: number,
): readonly Value[] {
  const { maxArrayLength, maxDepth } = reader.origin.limits;
  if (depth > maxDepth) {
    throw reader.error(
      "FORMULA_LIMIT",
      `\`${reader.what(indexes)}\` nests arrays more than ${maxDepth} levels deep`,
      undefined,
      {
        limit: "maxDepth",
        value: maxDepth,
      },
    );
  }
  const before = counter.count;
  counter.count += raw.length;
  if (counter.count > maxArrayLength) {
    throw reader.error(
      "FORMULA_LIMIT",
      `\`${reader.what(indexes)}\` has more than ${maxArrayLength} elements`,
      undefined,
      {
        limit: "maxArrayLength",
        value: maxArrayLength,
      },
    );
  }
  let nested = false;
  for (let i = 0; i < raw.length; i++) {
    const item: unknown = raw[i];
    if (
      typeof item === "number"
        ? item - item === 0
        : typeof item === "string" || typeof item === "boolean" || item === null
    ) {
      continue;
    }
    if (Array.isArray(item)) {
      nested = true;
      toArray(item, reader, [...indexes, i], counter, depth + 1);
    } else {
      invalid(item, reader, [...indexes, i]);
    }
  }
  // The checks above guarantee every element is a value; the cast records that.
  const value = raw as readonly Value[];
  recordElementCount(value, nested ? counter.count - before : raw.length);
  return value;
}
