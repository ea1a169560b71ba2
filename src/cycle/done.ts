/**
 * The `done` check, last in a cycle: when its formula is true the goal is
 * complete and its loop stops. Missing data or an error never completes a goal.
 */

import type { CompiledGoal } from "../spec/index.ts";
import { type Availability, blockerOf } from "./availability.ts";
import { evaluateSafely } from "./evaluate.ts";
import type { DoneCheck } from "./receipt.ts";

/** Whether the goal is done, and why it could not tell when it could not. */
export function checkDone(
  goal: CompiledGoal,
  vars: Readonly<Record<string, unknown>>,
  unavailable: Availability,
): { done: boolean; check?: DoneCheck } {
  if (goal.done === null) return { done: false };
  const blocker = blockerOf(goal.done.reads, unavailable);
  if (blocker?.kind === "error") {
    return { done: false, check: { status: "error", reason: blocker.message, code: blocker.code } };
  }
  if (blocker !== undefined) {
    return {
      done: false,
      check: { status: "insufficient_data", reason: blocker.reasons.join("; ") },
    };
  }
  const result = evaluateSafely(goal.done.formula, vars);
  if (!result.ok) {
    return { done: false, check: { status: "error", reason: result.message, code: result.code } };
  }
  if (typeof result.value !== "boolean") {
    const reason = `done must be true or false, got ${JSON.stringify(result.value)}`;
    return { done: false, check: { status: "error", reason, code: "DONE_NOT_BOOLEAN" } };
  }
  return { done: result.value };
}
