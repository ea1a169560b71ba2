/**
 * A request body as JSON, refused with a 400 that names the path when it is
 * empty, malformed, nested deeper than MAX_JSON_DEPTH, or holds a number beyond
 * a double's range or a string with a lone surrogate.
 */
import { ApiError } from "./errors.ts";

/** Deepest nesting of arrays and objects accepted in a request body. */
export const MAX_JSON_DEPTH = 32;

const OPENERS = /[[{]/g;

/**
 * Whether `text` has more opening brackets than `MAX_JSON_DEPTH` at all (a
 * native scan): only then can it nest deeper, and the exact count is needed.
 * A large body of numbers (an array of 100,000) has a handful.
 */
function mayNestDeeper(text: string): boolean {
  OPENERS.lastIndex = 0;
  let count = 0;
  while (OPENERS.exec(text) !== null) if (++count > MAX_JSON_DEPTH) return true;
  return false;
}

/** How deeply `text` nests brackets outside strings (a linear scan, before parsing). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92)
        i++; // backslash: skip the escaped character
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 || ch === 123) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (ch === 93 || ch === 125) depth--;
  }
  return deepest;
}

/** Most paths a refusal of non-finite numbers names (like `issueDetails`). */
const MAX_NAMED_PATHS = 20;

/**
 * Whether parsed JSON holds a number that is not finite. JSON.parse reads a
 * literal beyond a double's range (`1e400`, 400 digits) as ±Infinity, which
 * JSON.stringify would write back as null. One walk, allocating nothing (a
 * tenth of the parse's time on a large body); depth is bounded by
 * `MAX_JSON_DEPTH`, checked before parsing.
 */
export function hasNonFinite(value: unknown): boolean {
  if (typeof value === "number") return !Number.isFinite(value);
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (hasNonFinite(value[i])) return true;
    return false;
  }
  // JSON.parse makes plain objects: every enumerable key is their own.
  for (const key in value) if (hasNonFinite((value as Record<string, unknown>)[key])) return true;
  return false;
}

/**
 * Paths (`a.b.0`, at most `MAX_NAMED_PATHS`) in `value` where `bad` holds for a
 * leaf, or for an object key (`a.<key>`).
 */
function pathsWhere(value: unknown, bad: (leaf: unknown) => boolean): string[] {
  const found: string[] = [];
  const trail: (string | number)[] = [];
  const walk = (item: unknown): void => {
    if (found.length >= MAX_NAMED_PATHS) return;
    if (Array.isArray(item)) {
      for (let i = 0; i < item.length; i++) {
        trail.push(i);
        walk(item[i]);
        trail.pop();
      }
    } else if (typeof item === "object" && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        trail.push(key);
        if (bad(key)) found.push(trail.join("."));
        else walk(child);
        trail.pop();
      }
    } else if (bad(item)) found.push(trail.join("."));
  };
  walk(value);
  return found;
}

/** A lone surrogate, or the escape that writes one (a quick screen of a body's text). */
const SURROGATE_SCREEN = /\\u[dD][89a-fA-F]|[\uD800-\uDFFF]/;
/** A surrogate that is not half of a pair: not Unicode, and no store keeps it as it is. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Parses a request body as JSON; empty, malformed or too deeply nested is a
 * 400, and so is a number beyond a double's range or a string (or key) with a
 * lone surrogate (naming each path).
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === "")
    throw new ApiError(400, "INVALID_JSON", "request body is empty; send JSON");
  if (mayNestDeeper(text) && jsonDepth(text) > MAX_JSON_DEPTH) {
    throw new ApiError(400, "JSON_TOO_DEEP", `JSON nests at most ${MAX_JSON_DEPTH} levels`, {
      max_depth: MAX_JSON_DEPTH,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ApiError(
      400,
      "INVALID_JSON",
      `request body is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (hasNonFinite(value)) {
    const paths = pathsWhere(value, (leaf) => typeof leaf === "number" && !Number.isFinite(leaf));
    const message =
      "a number beyond the range of a double (about ±1.8e308); numbers must be finite";
    throw new ApiError(400, "VALIDATION_FAILED", `invalid request body: ${message}`, {
      issues: paths.map((path) => ({ path, message })),
    });
  }
  if (SURROGATE_SCREEN.test(text)) {
    // `"\ud800"` parses to a string D1 would read back as three U+FFFD and MySQL as one.
    const paths = pathsWhere(
      value,
      (leaf) => typeof leaf === "string" && LONE_SURROGATE.test(leaf),
    );
    if (paths.length > 0) {
      const message = "a lone surrogate (\\ud800-\\udfff not in a pair); strings must be Unicode";
      throw new ApiError(400, "VALIDATION_FAILED", `invalid request body: ${message}`, {
        issues: paths.map((path) => ({ path, message })),
      });
    }
  }
  return value;
}
