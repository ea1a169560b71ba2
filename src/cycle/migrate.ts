/**
 * Carrying a goal's state over to a new spec version (`PUT /v1/goals/:id`).
 * What still means the same thing is kept: observed values and histories of
 * names still observed, previous oriented values of names still oriented,
 * the hold state of rules whose id survives, results, approvals and
 * expectations of actions that survive, the action budgets (hourly and per
 * chain) and the cycle counter (so idempotency keys never repeat). The rest is dropped.
 * A name keeps its data even if its source kind changed: the name is the
 * contract formulas read.
 */
import type { CompiledGoal } from "../spec/index.ts";
import { copyState, type GoalState } from "./state.ts";

/**
 * The state `newGoal` starts from, given the old version's state. The goal
 * is active again (a new version of a done goal runs until its new `done`
 * holds); histories are cut to the new `keep`.
 */
export function carryOver(newGoal: CompiledGoal, oldState: GoalState): GoalState {
  const state = copyState(oldState);
  const observed = new Set(newGoal.sources.map((source) => source.name));
  const oriented = new Set(newGoal.orient.map((entry) => entry.name));
  const rules = new Set(newGoal.rules.map((rule) => rule.id));
  const expecting = new Set(
    [...newGoal.actions.values()]
      .filter((action) => action.expect !== null)
      .map((action) => action.name),
  );
  const keepIf = <T>(record: Record<string, T>, names: ReadonlySet<string>): Record<string, T> =>
    Object.fromEntries(Object.entries(record).filter(([name]) => names.has(name)));
  const actions = new Set(newGoal.actions.keys());
  return {
    ...state,
    status: "active",
    latest: keepIf(state.latest, observed),
    history: Object.fromEntries(
      Object.entries(keepIf(state.history, observed)).map(([name, entries]) => [
        name,
        entries.slice(Math.max(0, entries.length - newGoal.keep)),
      ]),
    ),
    oriented: keepIf(state.oriented, oriented),
    rules: keepIf(state.rules, rules),
    verdicts: keepIf(state.verdicts, rules),
    expectations: state.expectations.filter((expectation) => expecting.has(expectation.action)),
    acts: keepIf(state.acts, actions),
    failed: keepIf(state.failed, actions),
    approvals: keepIf(
      state.approvals,
      new Set([...actions].filter((name) => newGoal.actions.get(name)?.approve === true)),
    ),
  };
}
