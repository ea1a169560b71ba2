/**
 * The first half of decide: each rule's condition, and what its holds make
 * of it. `for` delays a match until the condition held that long (pending);
 * `keep_for` keeps a rule matched that long after its condition was last
 * true (kept), so a value hovering at a threshold does not flap; while a
 * rule is kept, a true condition matches again at once, without a new `for` wait.
 * Missing data or an error resets the `for` hold, as an alerting rule's
 * pending state resolves when its data goes away.
 */

import {
  type CompiledGoal,
  type CompiledRule,
  formatDuration,
  getOwn,
  type JsonValue,
} from "../spec/index.ts";
import { type Availability, blockerOf } from "./availability.ts";
import { evaluateSafely } from "./evaluate.ts";
import type { GoalState, RuleHold } from "./state.ts";
import { valuesRead } from "./vars.ts";

/** What a rule's condition says this cycle, before the policy and guards. */
export type Phase = "active" | "kept" | "pending" | "false" | "insufficient_data" | "error";

/** One rule's assessment. */
export interface Assessment {
  rule: CompiledRule;
  phase: Phase;
  reason: string;
  values?: Record<string, JsonValue>;
  code?: string;
  /** The rule's hold state after this cycle's condition (firing is recorded later). */
  hold: RuleHold;
}

const NO_HOLD: RuleHold = {
  pendingSince: null,
  lastMatchedAt: null,
  lastFiredAt: null,
  matched: false,
};

/** Assesses every rule, in order. */
export function assessRules(
  goal: CompiledGoal,
  state: GoalState,
  vars: Readonly<Record<string, unknown>>,
  unavailable: Availability,
  now: number,
): Assessment[] {
  return goal.rules.map((rule) => {
    const assessment = assessRule(
      rule,
      getOwn(state.rules, rule.id) ?? NO_HOLD,
      vars,
      unavailable,
      now,
    );
    const matched = assessment.phase === "active" || assessment.phase === "kept";
    return { ...assessment, hold: { ...assessment.hold, matched } };
  });
}

function assessRule(
  rule: CompiledRule,
  previous: RuleHold,
  vars: Readonly<Record<string, unknown>>,
  unavailable: Availability,
  now: number,
): Assessment {
  const reset: RuleHold = { ...previous, pendingSince: null };
  const blocker = blockerOf(rule.when.reads, unavailable);
  if (blocker?.kind === "error") {
    return { rule, phase: "error", reason: blocker.message, code: blocker.code, hold: reset };
  }
  if (blocker !== undefined) {
    const reason = `insufficient data: ${blocker.reasons.join("; ")}`;
    return { rule, phase: "insufficient_data", reason, hold: reset };
  }
  const result = evaluateSafely(rule.when.formula, vars);
  if (!result.ok) {
    return { rule, phase: "error", reason: result.message, code: result.code, hold: reset };
  }
  const values = valuesRead(rule.when.formula.paths, vars);
  if (typeof result.value !== "boolean") {
    const reason = `when must be true or false, got ${JSON.stringify(result.value)}`;
    return { rule, phase: "error", reason, code: "WHEN_NOT_BOOLEAN", values, hold: reset };
  }
  const sinceMatch = previous.lastMatchedAt === null ? null : now - previous.lastMatchedAt;
  const kept = rule.keepForMs !== null && sinceMatch !== null && sinceMatch < rule.keepForMs;
  if (!result.value) {
    if (kept && rule.keepForMs !== null && sinceMatch !== null) {
      const reason = `condition is false, kept matched for ${formatDuration(rule.keepForMs - sinceMatch)} more (keep_for ${formatDuration(rule.keepForMs)}; last true ${formatDuration(sinceMatch)} ago)`;
      return { rule, phase: "kept", reason, values, hold: reset };
    }
    return { rule, phase: "false", reason: "condition is false", values, hold: reset };
  }
  if (rule.forMs !== null && !kept) {
    const since = previous.pendingSince ?? now;
    const held = now - since;
    if (held < rule.forMs) {
      const reason = `condition true for ${formatDuration(held)} of ${formatDuration(rule.forMs)}; ${formatDuration(rule.forMs - held)} left`;
      return { rule, phase: "pending", reason, values, hold: { ...previous, pendingSince: since } };
    }
    return {
      rule,
      phase: "active",
      reason: `condition held ${formatDuration(held)} (for ${formatDuration(rule.forMs)})`,
      values,
      hold: { ...previous, pendingSince: since, lastMatchedAt: now },
    };
  }
  return {
    rule,
    phase: "active",
    reason: "condition is true",
    values,
    hold: {
      ...previous,
      pendingSince: rule.forMs === null ? null : (previous.pendingSince ?? now),
      lastMatchedAt: now,
    },
  };
}
