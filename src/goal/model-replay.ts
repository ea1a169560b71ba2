/**
 * Replay with `call_model`: "what if the model were asked again". The
 * recorded inputs run in order as replay runs them, and for the first
 * `limit` cycles in which the goal would call its model, the model is asked
 * afresh (with the prompt this replay's state gives) instead of the recorded
 * answer being used; later cycles keep their recorded answers. Returns the
 * log with the fresh answers in it, for the pure replay to run.
 */
import {
  type CycleInput,
  carryOver,
  type LoggedInput,
  type ReplayInput,
  runCycle,
} from "../cycle/index.ts";
import { consultModel } from "./model-step.ts";

/** At most this many model calls one replay makes. */
export const REPLAY_MODEL_CALLS = 20;

/** The log with fresh model answers, and how many calls were made. */
export async function withFreshAnswers(
  env: Env,
  tenant: string,
  input: ReplayInput,
  limit = REPLAY_MODEL_CALLS,
  /** Work units the pass may spend (the replay's own budget): beyond them, no more calls. */
  maxWork = Number.POSITIVE_INFINITY,
): Promise<{ log: LoggedInput[]; calls: number }> {
  let state = input.base;
  let version = input.baseVersion;
  let goal = input.goalFor(version);
  let calls = 0;
  let work = 0;
  const log: LoggedInput[] = [];
  for (const logged of input.log) {
    if (logged.specVersion !== version) {
      const next = input.goalFor(logged.specVersion);
      if (next !== goal) state = carryOver(next, state);
      [goal, version] = [next, logged.specVersion];
    }
    const { cycle: _cycle, specVersion: _version, model: _recorded, ...rest } = logged;
    const cycleInput: CycleInput = { ...rest, goalId: input.goalId };
    let entry = logged;
    if (calls < limit && work <= maxWork && goal.model !== null) {
      const fresh = await consultModel(env, tenant, goal, state, cycleInput);
      if (fresh !== undefined && !("skipped" in fresh)) calls += 1;
      if (fresh !== undefined) entry = { ...logged, model: fresh };
    }
    log.push(entry);
    if (entry.model !== undefined) cycleInput.model = entry.model;
    const result = runCycle(goal, state, cycleInput);
    work += (result.receipt.work ?? 0) * 2;
    state = result.state;
  }
  return { log, calls };
}
