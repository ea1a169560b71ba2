/**
 * Actions awaiting a person's approval (`guard.approve`), as the loop sees
 * them. Planning holds such an action and records it in `state.approvals`;
 * from then on the action's later firings are blocked until it is decided.
 * A decision arrives as a cycle input: `approved` ends the wait (the shell
 * sends the held action with its original key, and the rule's cooldown starts
 * now, since only now does it take effect); `rejected`, and the clock
 * (`guard.approve_within`) as `expired`, come back as the action's result
 * (`act.NAME.status`), so a rule can react. An expectation of an action that
 * never ran is given up.
 */
import { type CompiledGoal, formatDuration, getOwn } from "../spec/index.ts";
import type { ApprovalDecision, Decider } from "./input.ts";
import type { Observed } from "./observe.ts";
import type { DecisionEntry, ExpectationOutcome } from "./receipt.ts";
import type { ActStatus, GoalState, PendingApproval } from "./state.ts";

/**
 * Applies people's decisions in time order. A decision for a key that is not
 * awaiting approval (decided already, expired, or never asked) is ignored
 * and said so. Mutates `state`; expectations given up go to `settled`.
 */
export function applyDecisions(
  goal: CompiledGoal,
  state: GoalState,
  decisions: readonly ApprovalDecision[],
  into: Observed,
  settled: ExpectationOutcome[],
): void {
  const ordered = decisions
    .map((decision, index) => ({ decision, index }))
    .sort((a, b) => a.decision.at - b.decision.at || a.index - b.index);
  for (const { decision } of ordered) {
    const name = String(decision.action);
    const waiting = getOwn(state.approvals, name);
    if (waiting === undefined || waiting.key !== decision.key) {
      into.ignored.push({ name, reason: `${decision.key} is not awaiting approval` });
      continue;
    }
    const reason = typeof decision.reason === "string" ? decision.reason : null;
    decide(goal, state, name, waiting, {
      decision: decision.decision,
      by: decision.by,
      reason,
      at: decision.at,
      into,
      settled,
    });
  }
}

/** Expires every approval not given by `now`, as if decided `expired` then. Mutates `state`. */
export function expireApprovals(
  goal: CompiledGoal,
  state: GoalState,
  now: number,
  into: Observed,
  settled: ExpectationOutcome[],
): void {
  for (const [name, waiting] of Object.entries(state.approvals)) {
    if (waiting.expiresAt > now) continue;
    const within = formatDuration(goal.guard.approveWithinMs);
    decide(goal, state, name, waiting, {
      decision: "expired",
      by: null,
      reason: `not approved within ${within}`,
      at: waiting.expiresAt,
      into,
      settled,
    });
  }
}

/** The earliest time an approval of `state` expires, or null when none waits. */
export function nextExpiry(state: GoalState): number | null {
  const times = Object.values(state.approvals).map((approval) => approval.expiresAt);
  return times.length === 0 ? null : Math.min(...times);
}

interface Decided {
  decision: DecisionEntry["decision"];
  by: Decider | null;
  reason: string | null;
  at: number;
  into: Observed;
  settled: ExpectationOutcome[];
}

function decide(
  goal: CompiledGoal,
  state: GoalState,
  name: string,
  waiting: PendingApproval,
  { decision, by, reason, at, into, settled }: Decided,
): void {
  delete state.approvals[name];
  into.decisions.push({
    action: name,
    key: waiting.key,
    rule: waiting.rule,
    decision,
    by,
    reason,
    at,
  });
  if (decision === "approved") {
    const hold = getOwn(state.rules, waiting.rule);
    if (hold !== undefined && goal.rules.some((rule) => rule.id === waiting.rule)) {
      hold.lastFiredAt = at;
    }
    return;
  }
  const status: ActStatus = decision;
  const error = reason ?? decision;
  state.acts[name] = {
    key: waiting.key,
    status,
    value: by === null ? null : { by: { key_id: by.key_id, name: by.name }, reason },
    http_status: null,
    latency_ms: 0,
    attempt: 0,
    at,
    error,
  };
  into.actResults.push({ action: name, key: waiting.key, status, attempt: 0, at, error });
  state.expectations = state.expectations.filter((expectation) => {
    if (expectation.key !== waiting.key) return true;
    settled.push({
      action: expectation.action,
      rule: expectation.rule,
      key: expectation.key,
      status: "dropped",
      reason: `the action was ${decision}, so it never ran`,
    });
    return false;
  });
}
