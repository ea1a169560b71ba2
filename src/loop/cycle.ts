/**
 * One cycle of a goal's loop, as a pure function of (compiled goal, state,
 * inputs, time) → (new state, verdicts, actions, receipt). No clock, no I/O,
 * no randomness: the Durable Object, simulate and replay all run exactly
 * this, so they agree.
 *
 * Order: observe (apply observations and act results), orient, decide
 * (assess every rule, apply the policy), plan actions (guards), check
 * expectations, evaluate `done`.
 */
import { sourceAvailability } from "./availability.ts";
import type { CompiledGoal } from "./compiled-goal.ts";
import { assessRules } from "./decide.ts";
import { checkDone } from "./done.ts";
import { checkExpectations } from "./expect.ts";
import { pruneActionTimes } from "./guard.ts";
import type { CycleInput } from "./input.ts";
import { applyActResults, applyObservations, type Observed } from "./observe.ts";
import { orient } from "./orient.ts";
import { planWinners } from "./plan.ts";
import { choose } from "./policy.ts";
import { isQuiet, type PlannedAction, type Receipt, type Verdict } from "./receipt.ts";
import { copyState, type GoalState } from "./state.ts";
import { buildVars } from "./vars.ts";

/** What one cycle produced. */
export interface CycleResult {
  /** The state to store (the input state is never changed). */
  state: GoalState;
  /** One per rule, in rule order. */
  verdicts: Verdict[];
  /** Actions to run, hold for approval, or (dry run) only record. */
  actions: PlannedAction[];
  receipt: Receipt;
  /** True when the goal is done: its loop stops. */
  done: boolean;
}

/**
 * Whole alarm periods skipped: when an alarm cycle comes more than 1.5
 * periods after the last alarm cycle, at least one and otherwise the whole
 * periods between them minus the one this cycle runs. The first alarm
 * cycle, and cycles with other triggers, never count missed periods; missed
 * cycles are not replayed.
 */
export function missedPeriods(goal: CompiledGoal, state: GoalState, input: CycleInput): number {
  if (input.trigger !== "alarm" || state.lastAlarmAt === null) return 0;
  const elapsed = input.now - state.lastAlarmAt;
  if (!(elapsed > 1.5 * goal.everyMs)) return 0;
  return Math.max(1, Math.floor(elapsed / goal.everyMs) - 1);
}

/**
 * Runs one cycle. Never throws for any observations or act results: every
 * formula failure becomes a verdict or receipt entry. On a goal that is
 * already done it changes nothing and reports `done` again.
 */
export function runCycle(goal: CompiledGoal, state: GoalState, input: CycleInput): CycleResult {
  const now = Number.isFinite(input.now) ? input.now : (state.lastCycleAt ?? state.startedAt);
  if (state.status === "done") return finished(state, input, now);
  const cycle = state.cycle + 1;
  const next = copyState(state);
  const missed = missedPeriods(goal, state, { ...input, now });

  const observed: Observed = { observed: {}, actResults: [], ignored: [] };
  applyObservations(goal, next, input.observations, now, observed);
  applyActResults(goal, next, input.actResults ?? [], now, observed);

  const unavailable = sourceAvailability(goal, next, now);
  const stale = [...unavailable.keys()].sort();
  const vars = buildVars(goal, next, unavailable, now, cycle);
  const oriented = orient(goal, vars, unavailable);

  const assessments = assessRules(goal, next, vars, unavailable, now);
  for (const assessment of assessments) next.rules[assessment.rule.id] = assessment.hold;
  const choice = choose(goal.policy, assessments, vars, unavailable);
  pruneActionTimes(goal, next, now);
  // A cycle started only by act results does not fire those actions again
  // from a rule that was already matched: with a rule that stays true, that
  // would loop as fast as the queues. A rule that turns true on the result
  // (a retry on failure) still fires.
  const echoed =
    input.trigger !== "alarm" && input.observations.length === 0
      ? new Set((input.actResults ?? []).map((r) => String(r.action)))
      : new Set<string>();
  const planned = planWinners(
    {
      goal,
      state: next,
      goalId: input.goalId,
      cycle,
      now,
      vars,
      unavailable,
      echoed,
      previous: state.verdicts,
    },
    choice.winners,
  );
  const byRule = new Map([
    ...choice.verdicts,
    ...planned.verdicts.map((v) => [v.rule, v] as const),
  ]);
  const verdicts = goal.rules.flatMap((rule) => {
    const verdict = byRule.get(rule.id);
    return verdict === undefined ? [] : [verdict];
  });

  const expectations = checkExpectations(goal, next, vars, unavailable, now, cycle);
  const done = checkDone(goal, vars, unavailable);

  next.cycle = cycle;
  next.lastCycleAt = now;
  if (input.trigger === "alarm") next.lastAlarmAt = now;
  next.oriented = oriented.values;
  next.verdicts = Object.fromEntries(verdicts.map((verdict) => [verdict.rule, verdict.status]));
  if (done.done) next.status = "done";

  const draft: Omit<Receipt, "quiet"> = {
    goal_id: input.goalId,
    cycle,
    at: now,
    trigger: input.trigger,
    missed,
    observed: observed.observed,
    act_results: observed.actResults,
    ignored: observed.ignored,
    stale,
    oriented: oriented.entries,
    verdicts,
    actions: planned.actions,
    expectations,
    done: done.done,
    ...(done.check === undefined ? {} : { done_check: done.check }),
  };
  const receipt: Receipt = { ...draft, quiet: isQuiet(draft, state.verdicts) };
  return { state: next, verdicts, actions: planned.actions, receipt, done: done.done };
}

/** The result of running a cycle on a goal that is done: nothing changes. */
function finished(state: GoalState, input: CycleInput, now: number): CycleResult {
  const receipt: Receipt = {
    goal_id: input.goalId,
    cycle: state.cycle,
    at: now,
    trigger: input.trigger,
    missed: 0,
    observed: {},
    act_results: [],
    ignored: input.observations.map((o) => ({ name: String(o.name), reason: "the goal is done" })),
    stale: [],
    oriented: {},
    verdicts: [],
    actions: [],
    expectations: [],
    done: true,
    quiet: true,
  };
  return { state, verdicts: [], actions: [], receipt, done: true };
}
