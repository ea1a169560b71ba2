/**
 * The orient step: the goal's named formulas, in dependency order, over the
 * cycle's variables. A formula whose inputs are unavailable is skipped, one
 * that fails is recorded; either way the name is unavailable to everything
 * after it, and the cycle goes on.
 */

import { type CompiledGoal, type JsonValue, toJsonValue } from "../spec/index.ts";
import { type Availability, blockerOf } from "./availability.ts";
import { evaluateSafely } from "./evaluate.ts";
import type { OrientedEntry } from "./receipt.ts";

/** What orienting produced. */
export interface Oriented {
  /** Per orient name: its value, or why it has none (for the receipt). */
  entries: Record<string, OrientedEntry>;
  /** The names that have a value this cycle (what becomes `prev` next cycle). */
  values: Record<string, JsonValue>;
}

/**
 * Evaluates every orient formula in order. Adds each value to `vars` and
 * each unavailable name to `unavailable` (both mutated), so later formulas,
 * rules and templates see them.
 */
export function orient(
  goal: CompiledGoal,
  vars: Record<string, unknown>,
  unavailable: Availability,
): Oriented {
  const entries: Record<string, OrientedEntry> = {};
  const values: Record<string, JsonValue> = {};
  for (const { name, formula, reads } of goal.orient) {
    const blocker = blockerOf(reads, unavailable);
    if (blocker !== undefined) {
      unavailable.set(name, blocker);
      entries[name] =
        blocker.kind === "error"
          ? { error: { code: blocker.code, message: blocker.message } }
          : { insufficient_data: { reason: blocker.reasons.join("; ") } };
      continue;
    }
    const result = evaluateSafely(formula, vars);
    if (!result.ok) {
      unavailable.set(name, {
        kind: "error",
        code: result.code,
        message: `${name} failed: ${result.message}`,
      });
      entries[name] = { error: { code: result.code, message: result.message } };
      continue;
    }
    // JSON has no -0: normalize now so the stored state decides exactly like the live one.
    const value = toJsonValue(result.value);
    vars[name] = value;
    values[name] = value;
    entries[name] = value;
  }
  return { entries, values };
}
