/**
 * One cycle of a goal's loop, as a pure function of (compiled goal, state,
 * inputs, time) → (new state, verdicts, actions, receipt). No clock, no I/O,
 * no randomness: the Durable Object, simulate and replay all run exactly
 * this, so they agree.
 *
 * Order: observe (apply observations, act results and decisions on
 * approvals; expire approvals not given in time), orient, decide (assess
 * every rule, apply the policy), plan actions (guards), check expectations,
 * evaluate `done`.
 */
import { scoped } from "../formula/index.ts";
import { type CompiledGoal, CYCLE_BUDGET, getOwn } from "../spec/index.ts";
import { applyDecisions, expireApprovals } from "./approvals.ts";
import { sourceAvailability } from "./availability.ts";
import { assessRules } from "./decide.ts";
import { checkDone } from "./done.ts";
import { checkExpectations } from "./expect.ts";
import { pruneActionTimes, pruneChains } from "./guard.ts";
import type { Chain, CycleInput } from "./input.ts";
import { judgeModel, MODEL_RULE, type ModelVerdict, NONE } from "./model.ts";
import { applyActResults, applyObservations, type Observed } from "./observe.ts";
import { orient } from "./orient.ts";
import { type PlanContext, type PlanWinner, planWinners } from "./plan.ts";
import { type Choice, choose } from "./policy.ts";
import {
  type ExpectationOutcome,
  isQuiet,
  type PlannedAction,
  type Receipt,
  type Verdict,
} from "./receipt.ts";
import { compactReceipt } from "./receipt-size.ts";
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
  // Paused time is not downtime: count from the resume when it came after the last alarm cycle.
  const from = Math.max(state.lastAlarmAt, input.resumedAt ?? Number.NEGATIVE_INFINITY);
  const elapsed = input.now - from;
  if (!(elapsed > 1.5 * goal.everyMs)) return 0;
  return Math.max(1, Math.floor(elapsed / goal.everyMs) - 1);
}

/**
 * Whether only consequences of actions started this cycle: it is not the
 * alarm, every observation an action caused (chain depth above 0), and
 * something arrived (act results and decisions on approvals are always
 * consequences) or it is the pass that expires an approval.
 */
export function startedByConsequences(input: CycleInput): boolean {
  if (input.trigger === "alarm") return false;
  if (input.observations.some((observation) => (observation.chain?.depth ?? 0) === 0)) return false;
  const results = (input.actResults?.length ?? 0) + (input.decisions?.length ?? 0);
  return results + input.observations.length > 0 || input.trigger === "approval";
}

/**
 * The chain a cycle continues: of the chains its inputs belong to, the one
 * that has caused the most actions in this goal (so a chain that loops cannot
 * start afresh by arriving beside something new), ties going to the deeper,
 * then the first. An arrival from outside, and the alarm, bring a chain of
 * their own, named after the goal and cycle.
 */
export function cycleChain(state: GoalState, input: CycleInput, cycle: number): Chain {
  const own: Chain = { id: `${input.goalId}:${cycle}`, depth: 0 };
  const candidates: Chain[] = [];
  const add = (chain: Chain | undefined, fallback: Chain): void => {
    const valid =
      chain !== undefined && typeof chain.id === "string" && Number.isFinite(chain.depth);
    candidates.push(
      valid ? { id: chain.id, depth: Math.max(0, Math.floor(chain.depth)) } : fallback,
    );
  };
  if (input.trigger === "alarm") candidates.push(own);
  for (const observation of input.observations) add(observation.chain, own);
  for (const result of input.actResults ?? [])
    add(result.chain, { id: `${input.goalId}:act:${String(result.key)}`, depth: 1 });
  for (const decision of input.decisions ?? [])
    add(decision.chain, { id: `${input.goalId}:act:${String(decision.key)}`, depth: 1 });
  const caused = (chain: Chain) => getOwn(state.chains, chain.id)?.actions ?? 0;
  let best = candidates[0] ?? own;
  for (const chain of candidates) {
    const more = caused(chain) - caused(best);
    if (more > 0 || (more === 0 && chain.depth > best.depth)) best = chain;
  }
  return best;
}

/**
 * Runs one cycle. Never throws for any observations or act results: every
 * formula failure becomes a verdict or receipt entry. On a goal that is
 * already done it changes nothing and reports `done` again.
 */
export function runCycle(goal: CompiledGoal, state: GoalState, input: CycleInput): CycleResult {
  // Every cycle has a work budget of its own, whatever runs around it (a simulation, a
  // replay), so the same inputs always meet the same budget and replay stays exact.
  const { value, spent } = scoped(CYCLE_BUDGET, () => cycleWithin(goal, state, input));
  return { ...value, receipt: { ...value.receipt, work: spent } };
}

function cycleWithin(goal: CompiledGoal, state: GoalState, input: CycleInput): CycleResult {
  const now = Number.isFinite(input.now) ? input.now : (state.lastCycleAt ?? state.startedAt);
  if (state.status === "done") return finished(state, input, now);
  const cycle = state.cycle + 1;
  const next = copyState(state);
  const missed = missedPeriods(goal, state, { ...input, now });

  const observed: Observed = { observed: {}, actResults: [], decisions: [], ignored: [] };
  const settled: ExpectationOutcome[] = [];
  applyObservations(goal, next, input.observations, now, observed);
  applyActResults(goal, next, input.actResults ?? [], now, observed);
  applyDecisions(goal, next, input.decisions ?? [], observed, settled);
  expireApprovals(goal, next, now, observed, settled);
  const chain = cycleChain(state, input, cycle);

  const unavailable = sourceAvailability(goal, next, now);
  const stale = [...unavailable.keys()].sort();
  const vars = buildVars(goal, next, unavailable, now, cycle);
  const oriented = orient(goal, vars, unavailable);

  const assessments = assessRules(goal, next, vars, unavailable, now);
  for (const assessment of assessments) next.rules[assessment.rule.id] = assessment.hold;
  const judged = goal.policy === "model" ? judgeModel(goal, next, input.model, now) : undefined;
  const choice = modelDecides(
    choose(goal.policy === "model" ? "first" : goal.policy, assessments, vars, unavailable),
    judged,
  );
  pruneActionTimes(next, now);
  // A cycle started only by consequences of actions does not fire a rule that
  // was already matched: with a rule that stays true, each result would fire
  // another action as fast as the queues run. A rule that turns true on a
  // result (a retry on failure) still fires; the chain budget bounds the rest.
  const context: PlanContext = {
    goal,
    state: next,
    goalId: input.goalId,
    cycle,
    now,
    vars,
    unavailable,
    echo: startedByConsequences(input),
    previous: state.rules,
    chain,
  };
  const planned = planWinners(context, choice.winners);
  // The model's choice plans as a winner of its own; its verdict goes to the receipt's model entry.
  const modelOutcome = planned.verdicts.find((verdict) => verdict.rule === MODEL_RULE);
  if (judged !== undefined && modelOutcome !== undefined) {
    const { status, reason, guard } = modelOutcome;
    judged.decision.outcome = { status, reason, ...(guard === undefined ? {} : { guard }) };
  }
  const actions = planned.actions;
  pruneChains(next);
  const byRule = new Map([
    ...choice.verdicts,
    ...planned.verdicts.map((v) => [v.rule, v] as const),
  ]);
  const verdicts = goal.rules.flatMap((rule) => {
    const verdict = byRule.get(rule.id);
    return verdict === undefined ? [] : [verdict];
  });

  const expectations = [
    ...settled,
    ...checkExpectations(goal, next, vars, unavailable, now, cycle),
  ];
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
    decisions: observed.decisions,
    ignored: observed.ignored,
    stale,
    oriented: oriented.entries,
    verdicts,
    actions,
    chain: { ...chain, actions: getOwn(next.chains, chain.id)?.actions ?? 0 },
    expectations,
    done: done.done,
    ...(done.check === undefined ? {} : { done_check: done.check }),
    ...(judged === undefined ? {} : { model: judged.decision }),
  };
  const receipt = compactReceipt({ ...draft, quiet: isQuiet(draft, state.verdicts) });
  return { state: next, verdicts, actions, receipt, done: done.done };
}

/** The rules' choice, or, when the model decided, none of theirs and the model's own. */
function modelDecides(
  rules: Choice,
  judged: ModelVerdict | undefined,
): Pick<Choice, "verdicts"> & { winners: readonly PlanWinner[] } {
  if (judged === undefined || judged.kind === "fallback") return rules;
  const chose = judged.kind === "action" ? judged.action : NONE;
  const verdicts = new Map(rules.verdicts);
  for (const { assessment, score } of rules.winners) {
    const verdict: Verdict = {
      rule: assessment.rule.id,
      status: "superseded",
      reason: `the model decided this cycle (it chose ${chose})`,
    };
    if (assessment.values !== undefined) verdict.values = assessment.values;
    if (score !== undefined) verdict.score = score;
    verdicts.set(assessment.rule.id, verdict);
  }
  if (judged.kind === "none") return { winners: [], verdicts };
  const model: PlanWinner = {
    assessment: {
      rule: { id: MODEL_RULE, actions: [judged.action], cooldownMs: null },
      phase: "active",
      reason: `the model chose ${judged.action}`,
    },
  };
  return { winners: [model], verdicts };
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
    decisions: [],
    ignored: input.observations.map((o) => ({ name: String(o.name), reason: "the goal is done" })),
    stale: [],
    oriented: {},
    verdicts: [],
    actions: [],
    chain: { id: `${input.goalId}:${state.cycle}`, depth: 0, actions: 0 },
    expectations: [],
    done: true,
    quiet: true,
  };
  return { state, verdicts: [], actions: [], receipt, done: true };
}
