/**
 * The model's part of a cycle (policy `model`), done before the cycle runs
 * because it is I/O: preview the cycle (run it once without an answer, so
 * the rules decide, and discard it) for the values the model is shown, build
 * the prompt, and ask the model. The answer goes into the cycle's input,
 * which the log keeps, so replay uses it instead of asking again.
 *
 * No call is made (and none counted) when the goal's `max_calls_per_hour` is
 * spent, when none of its sources has a value yet (the model would be shown
 * only nulls), or when only consequences of actions started the cycle (their
 * results, the records and signals they made, decisions on approvals): those
 * cycles follow from a decision already taken, and calling on each would let
 * a chain of results spend the budget; the rules decide them, recorded so.
 */
import {
  type CycleInput,
  type GoalState,
  type ModelInput,
  modelCallsLeft,
  modelPrompt,
  runCycle,
  startedByConsequences,
} from "../cycle/index.ts";
import { askModel } from "../model/index.ts";
import type { CompiledGoal } from "../spec/index.ts";

/** The model input of the cycle `input` will run, or undefined when the goal's policy is not `model`. */
export async function consultModel(
  env: Env,
  tenant: string,
  goal: CompiledGoal,
  state: GoalState,
  input: CycleInput,
): Promise<ModelInput | undefined> {
  const model = goal.model;
  if (model === null || state.status === "done") return undefined;
  if (startedByConsequences(input)) {
    return {
      skipped:
        "only consequences of actions started this cycle (results, records, signals, decisions): the rules decide, no call is made",
    };
  }
  if (modelCallsLeft(goal, state, input.now) <= 0) {
    return { skipped: `max_calls_per_hour (${model.maxCallsPerHour}) is spent: no call is made` };
  }
  const preview = runCycle(goal, state, input);
  if (goal.sources.length > 0 && nothingObserved(goal, preview.state)) {
    return { skipped: "no source has a value yet: the rules decide, no call is made" };
  }
  return askModel(env, tenant, model, modelPrompt(goal, preview, input));
}

/** Whether none of the goal's sources has a value (the model would be shown only nulls). */
function nothingObserved(goal: CompiledGoal, state: GoalState): boolean {
  return goal.sources.every((source) => !Object.hasOwn(state.latest, source.name));
}
