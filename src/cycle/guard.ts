/**
 * The guards that can stop an action the policy chose: allowed hosts, an
 * approval already awaited, the actions one causal chain may cause, and the
 * hourly action budget. Every goal has the last two (see `GUARD_DEFAULTS`),
 * so no spec can act without bound.
 *
 * Both budgets count every action planned, dry-run ones and ones sent for
 * approval included, so a dry run rehearses exactly what a live goal would be
 * allowed to do.
 */
import {
  type CompiledAction,
  type CompiledGoal,
  formatDuration,
  getOwn,
  hostAllowed,
} from "../spec/index.ts";
import type { GuardName } from "./receipt.ts";
import { CHAIN_LIMIT, type GoalState } from "./state.ts";

/** The budget window of `max_actions_per_hour`. */
export const HOUR_MS = 3_600_000;

/** A guard's refusal. */
export interface GuardStop {
  guard: GuardName;
  reason: string;
}

/** Drops action times that left the budget window. */
export function pruneActionTimes(state: GoalState, now: number): void {
  state.actionTimes = state.actionTimes.filter((at) => at > now - HOUR_MS && at <= now);
}

/**
 * Keeps the `CHAIN_LIMIT` chains seen most recently: forgets the least
 * recently seen (ties: the smaller id) until that many are left. A cycle adds
 * one chain at most, so this is one pass when it does anything at all.
 */
export function pruneChains(state: GoalState): void {
  let count = 0;
  for (const _ in state.chains) count++;
  while (count > CHAIN_LIMIT) {
    let oldest: string | undefined;
    let oldestAt = Number.POSITIVE_INFINITY;
    for (const [id, chain] of Object.entries(state.chains)) {
      if (chain.at < oldestAt || (chain.at === oldestAt && oldest !== undefined && id < oldest)) {
        oldest = id;
        oldestAt = chain.at;
      }
    }
    if (oldest === undefined) return;
    delete state.chains[oldest];
    count--;
  }
}

/** Why `action` may not be planned now in `chain`, or undefined when it may. */
export function guardStop(
  goal: CompiledGoal,
  state: GoalState,
  action: CompiledAction,
  now: number,
  chain: string,
): GuardStop | undefined {
  const { allowHosts, maxActionsPerHour, maxActionsPerChain, dryRun } = goal.guard;
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
      reason: `${action.name}: ${waiting.key} is still awaiting approval (asked ${formatDuration(now - waiting.since)} ago, expires in ${formatDuration(Math.max(0, waiting.expiresAt - now))}); it is not asked again until decided`,
    };
  }
  const caused = getOwn(state.chains, chain)?.actions ?? 0;
  if (caused >= maxActionsPerChain) {
    return {
      guard: "max_actions_per_chain",
      reason: `${action.name}: chain ${chain} has already caused ${caused} actions in this goal (max_actions_per_chain ${maxActionsPerChain}); a new observation from outside or the next alarm starts a new chain`,
    };
  }
  if (state.actionTimes.length >= maxActionsPerHour) {
    const oldest = Math.min(...state.actionTimes);
    return {
      guard: "max_actions_per_hour",
      reason: `${action.name}: ${state.actionTimes.length} actions in the last hour (max ${maxActionsPerHour}); next slot in ${formatDuration(oldest + HOUR_MS - now)}`,
    };
  }
  return undefined;
}
