/**
 * The function library: every built-in by name, in a Map, so a name like
 * `constructor` or `__proto__` is simply not a function.
 */
import type { FunctionDef } from "./definition.ts";
import { FINANCE_FUNCTIONS } from "./finance.ts";
import { MATH_FUNCTIONS } from "./math.ts";
import { SERIES_FUNCTIONS } from "./series.ts";
import { STATISTICS_FUNCTIONS } from "./statistics.ts";
import { TEXT_FUNCTIONS } from "./text.ts";

const ALL: readonly FunctionDef[] = [
  ...MATH_FUNCTIONS,
  ...STATISTICS_FUNCTIONS,
  ...SERIES_FUNCTIONS,
  ...FINANCE_FUNCTIONS,
  ...TEXT_FUNCTIONS,
];

/**
 * The functions in an open-addressing table keyed by a hash of their name,
 * rather than in a Map or an object: the names looked up are fresh slices of
 * the source, which V8 would first have to hash (or internalize) itself, at
 * several times the cost of this short loop over a name's characters. A
 * table, not an object, so `constructor` or `__proto__` is simply not found.
 */
const SLOTS = 256;
const TABLE: (FunctionDef | undefined)[] = new Array<FunctionDef | undefined>(SLOTS).fill(
  undefined,
);

/** The first slot to probe for `name`. */
function slotOf(name: string): number {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (Math.imul(hash, 31) + name.charCodeAt(i)) | 0;
  return hash & (SLOTS - 1);
}

for (const def of ALL) {
  let slot = slotOf(def.name);
  while (TABLE[slot] !== undefined && TABLE[slot]?.name !== def.name)
    slot = (slot + 1) & (SLOTS - 1);
  TABLE[slot] = def;
}

/** The built-in function called `name`, if there is one. */
export function lookupFunction(name: string): FunctionDef | undefined {
  for (let slot = slotOf(name); ; slot = (slot + 1) & (SLOTS - 1)) {
    const def = TABLE[slot];
    if (def === undefined || def.name === name) return def;
  }
}

/** Every built-in function name, sorted. */
export const FUNCTION_NAMES: readonly string[] = Object.freeze(ALL.map((def) => def.name).sort());
