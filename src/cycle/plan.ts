/**
 * Planning: turning the rules the policy chose into actions. A kept rule does
 * not fire again; a rule within its cooldown waits; a rule that was already
 * matched does not fire again in a cycle started only by consequences of
 * actions; otherwise every action it names is rendered (all or none: one
 * failing template or an oversized payload stops the rule) and passed through
 * the guards. A rule fires (and its cooldown starts) when at least one action
 * was planned that runs now; one held for approval starts it when approved.
 */

import {
  type CompiledGoal,
  type CompiledRule,
  formatDuration,
  getOwn,
  jsonBytes,
} from "../spec/index.ts";
import type { Availability } from "./availability.ts";
import type { Assessment } from "./decide.ts";
import { type GuardStop, guardStop } from "./guard.ts";
import type { Chain } from "./input.ts";
import { renderPayload } from "./payload.ts";
import type { ActionBody, PlannedAction, Verdict } from "./receipt.ts";
import type { GoalState, RuleHold } from "./state.ts";

/** Largest payload of one planned action, as UTF-8 JSON (a queue message is at most 128 KB). */
export const MAX_ACTION_BYTES = 64 * 1024;

/** What planning needs to know about the cycle. */
export interface PlanContext {
  goal: CompiledGoal;
  /** Mutated: holds, action times, approvals and expectations. */
  state: GoalState;
  goalId: string;
  cycle: number;
  now: number;
  vars: Readonly<Record<string, unknown>>;
  unavailable: Availability;
  /**
   * True when only consequences of actions started this cycle (their results,
   * records and signals they made, decisions on approvals): then a rule that
   * was already matched does not fire again.
   */
  echo: boolean;
  /** Each rule's hold as the previous cycle left it. */
  previous: Readonly<Record<string, RuleHold>>;
  /** The chain this cycle's actions continue: they carry it one level deeper. */
  chain: Chain;
}

/**
 * What planning reads of a winner: a rule the policy chose, or the model's
 * choice planned as if a rule (`MODEL_RULE`) named that one action.
 */
export interface PlanWinner {
  assessment: Pick<Assessment, "phase" | "reason" | "values"> & {
    rule: Pick<CompiledRule, "id" | "actions" | "cooldownMs">;
  };
  score?: number;
}

/** The idempotency key of an action planned by a rule in a cycle. */
export function actionKey(goalId: string, cycle: number, rule: string, action: string): string {
  return `${goalId}:${cycle}:${rule}:${action}`;
}

/** Plans the winners' actions; returns each winner's verdict and the planned actions. */
export function planWinners(
  context: PlanContext,
  winners: readonly PlanWinner[],
): { verdicts: Verdict[]; actions: PlannedAction[] } {
  const verdicts: Verdict[] = [];
  const actions: PlannedAction[] = [];
  for (const winner of winners) {
    const planned = planWinner(context, winner);
    const verdict: Verdict = { rule: winner.assessment.rule.id, ...planned.verdict };
    if (winner.assessment.values !== undefined) verdict.values = winner.assessment.values;
    if (winner.score !== undefined) verdict.score = winner.score;
    verdicts.push(verdict);
    actions.push(...planned.actions);
  }
  return { verdicts, actions };
}

function planWinner(
  context: PlanContext,
  winner: PlanWinner,
): { verdict: Omit<Verdict, "rule">; actions: PlannedAction[] } {
  const { goal, state, now } = context;
  const { rule, phase, reason } = winner.assessment;
  if (phase === "kept") return { verdict: { status: "kept", reason }, actions: [] };
  const hold = getOwn(state.rules, rule.id);
  const lastFiredAt = hold?.lastFiredAt ?? null;
  if (rule.cooldownMs !== null && lastFiredAt !== null && now - lastFiredAt < rule.cooldownMs) {
    const left = rule.cooldownMs - (now - lastFiredAt);
    return {
      verdict: {
        status: "cooling_down",
        reason: `fired ${formatDuration(now - lastFiredAt)} ago; cooldown ${formatDuration(rule.cooldownMs)}, ${formatDuration(left)} left`,
      },
      actions: [],
    };
  }
  if (context.echo && getOwn(context.previous, rule.id)?.matched === true) {
    return {
      verdict: {
        status: "already_matched",
        reason:
          "already matched before this cycle, which only consequences of actions started (results, the records and signals they made, decisions); it fires again on a new observation from outside or at the next alarm",
      },
      actions: [],
    };
  }
  const payloads = new Map<string, ActionBody>();
  for (const name of rule.actions) {
    const action = goal.actions.get(name);
    if (action === undefined) continue;
    const rendered = renderPayload(
      action,
      context.vars,
      context.unavailable,
      goal.guard.allowHosts,
    );
    if (!rendered.ok) {
      const verdict: Omit<Verdict, "rule"> = { status: rendered.status, reason: rendered.reason };
      if (rendered.code !== undefined) verdict.code = rendered.code;
      return { verdict, actions: [] };
    }
    const bytes = jsonBytes(rendered.body.payload);
    if (bytes > MAX_ACTION_BYTES) {
      const reason = `act.${name}: the rendered payload is ${bytes} bytes of JSON; an action carries at most ${MAX_ACTION_BYTES}`;
      return { verdict: { status: "error", reason, code: "ACTION_TOO_LARGE" }, actions: [] };
    }
    payloads.set(name, rendered.body);
  }
  const actions: PlannedAction[] = [];
  const stops: GuardStop[] = [];
  const chain = { id: context.chain.id, depth: context.chain.depth + 1 };
  for (const [name, body] of payloads) {
    const action = goal.actions.get(name);
    if (action === undefined) continue;
    const stop = guardStop(goal, state, action, now, chain.id);
    if (stop !== undefined) {
      stops.push(stop);
      continue;
    }
    const planned: PlannedAction = {
      ...body,
      action: name,
      rule: rule.id,
      key: actionKey(context.goalId, context.cycle, rule.id, name),
      dry_run: goal.guard.dryRun,
      awaiting_approval: action.approve,
      chain,
    };
    if (action.expect !== null) planned.expect = action.expect.formula.source;
    if (action.withinMs !== null) planned.within_ms = action.withinMs;
    actions.push(planned);
    record(context, planned, action.withinMs);
  }
  // Held for approval, an action has not fired: its rule's cooldown starts when it is approved.
  const fires = actions.some((action) => action.dry_run || !action.awaiting_approval);
  if (fires && hold !== undefined) hold.lastFiredAt = now;
  return { verdict: verdictOf(actions, stops, goal.guard.dryRun), actions };
}

/** Remembers a planned action: the budgets, the approval it waits for, its expectation. */
function record(context: PlanContext, planned: PlannedAction, withinMs: number | null): void {
  const { goal, state, now, cycle } = context;
  state.actionTimes.push(now);
  const counted = getOwn(state.chains, planned.chain.id);
  state.chains[planned.chain.id] = { actions: (counted?.actions ?? 0) + 1, at: now };
  if (goal.guard.dryRun) return;
  if (planned.awaiting_approval) {
    state.approvals[planned.action] = {
      key: planned.key,
      rule: planned.rule,
      since: now,
      cycle,
      expiresAt: now + goal.guard.approveWithinMs,
    };
  }
  if (planned.expect !== undefined && withinMs !== null) {
    state.expectations.push({
      action: planned.action,
      rule: planned.rule,
      key: planned.key,
      cycle,
      // An action awaiting approval has not run; its clock starts with its result.
      deadline: planned.awaiting_approval ? null : now + withinMs,
    });
  }
}

function verdictOf(
  actions: readonly PlannedAction[],
  stops: readonly GuardStop[],
  dryRun: boolean,
): Omit<Verdict, "rule"> {
  const runs = actions.filter((action) => !action.awaiting_approval);
  const waits = actions.filter((action) => action.awaiting_approval);
  const notes = [
    ...(waits.length > 0 ? [`awaiting approval: ${waits.map((a) => a.action).join(", ")}`] : []),
    ...stops.map((stop) => `blocked by ${stop.guard}: ${stop.reason}`),
  ];
  if (runs.length > 0) {
    const fires = `fires ${runs.map((a) => a.action).join(", ")}${dryRun ? " (dry run)" : ""}`;
    return { status: "matched", reason: [fires, ...notes].join("; ") };
  }
  const first = stops[0];
  if (waits.length > 0 || first === undefined) {
    return { status: "blocked", guard: "approve", reason: notes.join("; ") || "awaiting approval" };
  }
  return { status: "blocked", guard: first.guard, reason: notes.join("; ") };
}
