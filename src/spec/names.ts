/**
 * Which names a goal may declare. Params, observed names and oriented names
 * share one namespace (formulas read them bare, `stock`), so they must be
 * identifiers and must not shadow what the loop itself provides.
 */

/** An identifier: a letter or `_`, then letters, digits or `_`; at most 64 characters. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * A record's collection or key: 1-128 of `A-Z a-z 0-9 _ . -`, for the API and
 * for record actions alike (a key a formula rendered included), so every
 * record can be read, listed past and deleted through `/v1/records`, and
 * compares the same in both stores (MySQL's collations ignore trailing
 * spaces: `k ` would be `k` there, and a longer key would not fit its column).
 */
export const RECORD_SEGMENT = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * A rule id: like an identifier but may also contain `-` (`low-stock`). Never a
 * `:`, because idempotency keys join the goal id, cycle, rule and action with `:`.
 */
export const RULE_ID = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

/**
 * Names a goal may not declare as a param, observed or oriented name:
 * - the loop's own variables: `history`, `prev`, `now`, `cycle`, `act`, `failed`;
 * - `fn` (calls registered formulas) and `params` (kept free so params can
 *   later also be read as `params.NAME` without breaking existing goals);
 * - the language's constants and keywords: `pi`, `e`, `true`, `false`, `null`,
 *   `and`, `or`, `not`.
 * Names starting with `__` are reserved too (see `isReservedName`).
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  "history",
  "prev",
  "now",
  "cycle",
  "act",
  "failed",
  "fn",
  "params",
  "pi",
  "e",
  "true",
  "false",
  "null",
  "and",
  "or",
  "not",
]);

/** True for an identifier (see `IDENTIFIER`). */
export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/**
 * True for a reserved name. A leading `__` is reserved so that no declared
 * name can ever be `__proto__`, which would change an object's prototype
 * instead of adding a key.
 */
export function isReservedName(name: string): boolean {
  return RESERVED_NAMES.has(name) || name.startsWith("__");
}
