/**
 * JSON values as the loop stores them. Goal state lives in Durable Object
 * storage and receipts go to D1, so everything the loop keeps must survive a
 * JSON round trip unchanged: `toJsonValue` is the one place that makes an
 * untrusted value (an observation, an act result) safe to keep.
 */

/** A value that JSON can carry and give back unchanged. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** How deep `toJsonValue` follows nested arrays and objects; deeper parts become null. */
export const MAX_JSON_DEPTH = 32;

/**
 * A JSON-safe copy of `value`: non-finite numbers, `undefined`, functions,
 * symbols and bigints become null, `-0` becomes 0, objects keep only their own
 * enumerable string keys (an own `__proto__` key stays an ordinary key), and
 * anything nested deeper than `MAX_JSON_DEPTH` (including a cycle) becomes null.
 * Never throws.
 */
export function toJsonValue(value: unknown, depth = 0): JsonValue {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return null;
    return value === 0 ? 0 : value;
  }
  if (typeof value !== "object" || depth >= MAX_JSON_DEPTH) return null;
  if (Array.isArray(value)) return value.map((item: unknown) => toJsonValue(item, depth + 1));
  try {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, toJsonValue(item, depth + 1)]),
    );
  } catch {
    // A hostile getter or proxy: keep nothing rather than fail the cycle.
    return null;
  }
}

/** True when `value` is already JSON-safe (what `toJsonValue` would return unchanged). */
export function isJsonValue(value: unknown, depth = 0): value is JsonValue {
  if (value === null || typeof value === "boolean" || typeof value === "string") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object" || depth >= MAX_JSON_DEPTH) return false;
  if (Array.isArray(value)) return value.every((item: unknown) => isJsonValue(item, depth + 1));
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((item: unknown) => isJsonValue(item, depth + 1));
}

/** The own property `key` of a record, or undefined (never an inherited one such as `constructor`). */
export function getOwn<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** True for a non-array object, whose own string keys can be read. */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const NON_ASCII = /[\u0080-\uffff]/;

/** The UTF-8 length of `value` as JSON (what a queue, D1 or storage counts). */
export function jsonBytes(value: unknown): number {
  return utf8Bytes(JSON.stringify(value) ?? "null");
}

/**
 * The UTF-8 length of `text`, counted without encoding it. A lone surrogate
 * counts 3 bytes, as the U+FFFD that encoding writes for it.
 */
export function utf8Bytes(text: string): number {
  // Mostly ASCII: the native scan answers at once.
  if (!NON_ASCII.test(text)) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
