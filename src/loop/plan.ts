/**
 * Planning: turning the rules the policy chose into actions. A kept rule does
 * not fire again; a rule within its cooldown waits; otherwise every action
 * it names is rendered (all or none: one failing template stops the rule)
 * and passed through the guards. A rule fires (and its cooldown starts) when
 * at least one action was planned, including one sent for approval.
 */
import type { Availability } from "./availability.ts";
import type { CompiledGoal } from "./compiled-goal.ts";
import { formatDuration } from "./duration.ts";
import { type GuardStop, guardStop } from "./guard.ts";
import { getOwn, type JsonValue } from "./json.ts";
import { renderPayload } from "./payload.ts";
import type { Winner } from "./policy.ts";
import type { PlannedAction, Verdict } from "./receipt.ts";
import type { GoalState } from "./state.ts";

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
   * Actions whose results alone started this cycle: a rule naming one does
   * not fire again until new observations arrive or the alarm comes.
   */
  echoed: ReadonlySet<string>;
  /** Each rule's verdict status in the previous cycle. */
  previous: Readonly<Record<string, string>>;
}

/** The idempotency key of an action planned by a rule in a cycle. */
export function actionKey(goalId: string, cycle: number, rule: string, action: string): string {
  return `${goalId}:${cycle}:${rule}:${action}`;
}

/** Plans the winners' actions; returns each winner's verdict and the planned actions. */
export function planWinners(
  context: PlanContext,
  winners: readonly Winner[],
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
  winner: Winner,
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
  const before = getOwn(context.previous, rule.id);
  const echo = rule.actions.find((name) => context.echoed.has(name));
  if (echo !== undefined && (before === "matched" || before === "cooling_down")) {
    return {
      verdict: {
        status: "cooling_down",
        reason: `this cycle was started by the result of ${echo}; the rule fires again on new observations or at the next alarm`,
      },
      actions: [],
    };
  }
  const payloads = new Map<string, Record<string, JsonValue>>();
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
    payloads.set(name, rendered.payload);
  }
  const actions: PlannedAction[] = [];
  const stops: GuardStop[] = [];
  for (const [name, payload] of payloads) {
    const action = goal.actions.get(name);
    if (action === undefined) continue;
    const stop = guardStop(goal, state, action, now);
    if (stop !== undefined) {
      stops.push(stop);
      continue;
    }
    const key = actionKey(context.goalId, context.cycle, rule.id, name);
    const planned: PlannedAction = {
      action: name,
      rule: rule.id,
      kind: action.kind,
      key,
      payload,
      dry_run: goal.guard.dryRun,
      awaiting_approval: action.approve,
    };
    if (action.expect !== null) planned.expect = action.expect.formula.source;
    if (action.withinMs !== null) planned.within_ms = action.withinMs;
    actions.push(planned);
    record(context, planned, action.withinMs);
  }
  if (actions.length > 0 && hold !== undefined) hold.lastFiredAt = now;
  return { verdict: verdictOf(actions, stops, goal.guard.dryRun), actions };
}

/** Remembers a planned action: the hourly budget, the approval it waits for, its expectation. */
function record(context: PlanContext, planned: PlannedAction, withinMs: number | null): void {
  const { goal, state, now, cycle } = context;
  if (goal.guard.maxActionsPerHour !== null) state.actionTimes.push(now);
  if (goal.guard.dryRun) return;
  if (planned.awaiting_approval)
    state.approvals[planned.action] = { key: planned.key, since: now, cycle };
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
