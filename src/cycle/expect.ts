/**
 * Checking `expect`: the effect an action said it would have. From the cycle
 * after it was planned, its formula is evaluated over each cycle's
 * variables; true settles it as effective, and still not true at its
 * deadline (false, missing data or an error) settles it as failed, which
 * `failed.NAME` shows from the next cycle's rules on.
 */

import { type CompiledGoal, formatDuration } from "../spec/index.ts";
import { type Availability, blockerOf } from "./availability.ts";
import { evaluateSafely } from "./evaluate.ts";
import type { ExpectationOutcome } from "./receipt.ts";
import { EXPECTATION_LIMIT, type GoalState, type PendingExpectation } from "./state.ts";

/** Checks pending expectations (mutates `state`) and returns those settled this cycle. */
export function checkExpectations(
  goal: CompiledGoal,
  state: GoalState,
  vars: Readonly<Record<string, unknown>>,
  unavailable: Availability,
  now: number,
  cycle: number,
): ExpectationOutcome[] {
  const outcomes: ExpectationOutcome[] = [];
  const waiting: PendingExpectation[] = [];
  for (const expectation of state.expectations) {
    const check = goal.actions.get(expectation.action)?.expect ?? null;
    if (check === null) continue;
    if (expectation.cycle >= cycle || expectation.deadline === null) {
      waiting.push(expectation);
      continue;
    }
    const settle = (status: "effective" | "failed", reason: string): void => {
      outcomes.push({ ...pick(expectation), status, reason });
      state.failed[expectation.action] = status === "failed";
    };
    const blocker = blockerOf(check.reads, unavailable);
    const result = blocker === undefined ? evaluateSafely(check.formula, vars) : undefined;
    if (result?.ok === true && result.value === true) {
      settle("effective", `${check.formula.source} is true`);
    } else if (now >= expectation.deadline) {
      const within = formatDuration(goal.actions.get(expectation.action)?.withinMs ?? 0);
      settle(
        "failed",
        `${check.formula.source} not true within ${within}: ${whyNot(blocker, result)}`,
      );
    } else {
      waiting.push(expectation);
    }
  }
  const dropped = waiting.length - EXPECTATION_LIMIT;
  for (const expectation of waiting.slice(0, Math.max(0, dropped))) {
    outcomes.push({
      ...pick(expectation),
      status: "dropped",
      reason: `more than ${EXPECTATION_LIMIT} expectations waiting; the oldest are given up`,
    });
  }
  state.expectations = waiting.slice(Math.max(0, dropped));
  return outcomes;
}

function pick(
  expectation: PendingExpectation,
): Pick<ExpectationOutcome, "action" | "rule" | "key"> {
  return { action: expectation.action, rule: expectation.rule, key: expectation.key };
}

function whyNot(
  blocker: ReturnType<typeof blockerOf>,
  result: ReturnType<typeof evaluateSafely> | undefined,
): string {
  if (blocker?.kind === "error") return `${blocker.code}: ${blocker.message}`;
  if (blocker !== undefined) return `insufficient data: ${blocker.reasons.join("; ")}`;
  if (result === undefined) return "not evaluated";
  if (!result.ok) return `${result.code}: ${result.message}`;
  return `it is ${JSON.stringify(result.value)}`;
}
