/**
 * The guards that can stop an action the policy chose: allowed hosts, an
 * approval already awaited, and the hourly action budget.
 *
 * The budget counts every action planned in the last rolling hour, dry-run
 * ones and ones sent for approval included, so a dry run rehearses exactly
 * what a live goal would be allowed to do.
 */
import type { CompiledAction, CompiledGoal } from "./compiled-goal.ts";
import { formatDuration } from "./duration.ts";
import { hostAllowed } from "./hosts.ts";
import { getOwn } from "./json.ts";
import type { GuardName } from "./receipt.ts";
import type { GoalState } from "./state.ts";

/** The budget window of `max_actions_per_hour`. */
export const HOUR_MS = 3_600_000;

/** A guard's refusal. */
export interface GuardStop {
  guard: GuardName;
  reason: string;
}

/** Drops action times that left the budget window (and all of them when there is no budget). */
export function pruneActionTimes(goal: CompiledGoal, state: GoalState, now: number): void {
  state.actionTimes =
    goal.guard.maxActionsPerHour === null
      ? []
      : state.actionTimes.filter((at) => at > now - HOUR_MS && at <= now);
}

/** Why `action` may not be planned now, or undefined when it may. */
export function guardStop(
  goal: CompiledGoal,
  state: GoalState,
  action: CompiledAction,
  now: number,
): GuardStop | undefined {
  const { allowHosts, maxActionsPerHour, dryRun } = goal.guard;
  if (
    action.payload.kind === "webhook" &&
    allowHosts !== null &&
    !hostAllowed(action.payload.host, allowHosts)
  ) {
    // Registration rejects such a spec; this only holds if a goal was compiled some other way.
    return {
      guard: "allow_hosts",
      reason: `${action.name}: host ${action.payload.host} is not allowed`,
    };
  }
  const waiting = getOwn(state.approvals, action.name);
  if (action.approve && !dryRun && waiting !== undefined) {
    return {
      guard: "approve",
      reason: `${action.name}: awaiting approval of ${waiting.key} (asked ${formatDuration(now - waiting.since)} ago)`,
    };
  }
  if (maxActionsPerHour !== null && state.actionTimes.length >= maxActionsPerHour) {
    const oldest = Math.min(...state.actionTimes);
    return {
      guard: "max_actions_per_hour",
      reason: `${action.name}: ${state.actionTimes.length} actions in the last hour (max ${maxActionsPerHour}); next slot in ${formatDuration(oldest + HOUR_MS - now)}`,
    };
  }
  return undefined;
}
