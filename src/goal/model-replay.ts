/**
 * Replay with `call_model`: "what if the model were asked again". The
 * recorded inputs run in order as replay runs them, and for the first
 * `limit` cycles in which the goal would call its model, the model is asked
 * afresh (with the prompt this replay's state gives) instead of the recorded
 * answer being used; later cycles keep their recorded answers. Returns the
 * log with the fresh answers in it, for the pure replay to run.
 */
import { type LoggedInput, type ReplayInput, replayWalk } from "../cycle/index.ts";
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
  const walk = replayWalk(input);
  let calls = 0;
  let work = 0;
  const log: LoggedInput[] = [];
  for (const logged of input.log) {
    const step = walk.at(logged);
    const { goal, state, input: cycleInput } = step;
    delete cycleInput.model;
    let entry = logged;
    if (calls < limit && work <= maxWork && goal.model !== null) {
      const fresh = await consultModel(env, tenant, goal, state, cycleInput);
      if (fresh !== undefined && !("skipped" in fresh)) calls += 1;
      if (fresh !== undefined) entry = { ...logged, model: fresh };
    }
    log.push(entry);
    if (entry.model !== undefined) cycleInput.model = entry.model;
    const result = walk.run(step);
    work += (result.receipt.work ?? 0) * 2;
  }
  return { log, calls };
}
