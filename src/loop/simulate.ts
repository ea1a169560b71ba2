/**
 * Simulation: a spec run over a timeline of observations with no side
 * effects, for `POST /v1/goals/simulate` and replay. It calls the same
 * `runCycle` as the live goal, so the receipts are what the goal would have
 * written; actions are planned but never run, so no act results come back.
 */
import type { CompiledGoal } from "./compiled-goal.ts";
import { runCycle } from "./cycle.ts";
import type { Observation, Trigger } from "./input.ts";
import type { Receipt } from "./receipt.ts";
import { initialState } from "./state.ts";

/** One step of a timeline: one cycle at `at` with these values observed. */
export interface TimelineEntry {
  at: number;
  values: Record<string, unknown>;
  /** Default `push` (values arrived); use `alarm` with no values for a cadence tick. */
  trigger?: Trigger;
}

/** Options of `simulate`. */
export interface SimulateOptions {
  /** Used in receipts and idempotency keys. */
  goalId: string;
  /** When the goal starts; default the first entry's time. */
  start?: number;
}

/**
 * Runs one cycle per timeline entry, in the order given, from the goal's
 * initial state, and returns the receipts. Deterministic: the same goal,
 * timeline and options always give identical receipts. Stops after the
 * cycle in which the goal is done.
 */
export function simulate(
  goal: CompiledGoal,
  timeline: readonly TimelineEntry[],
  options: SimulateOptions,
): Receipt[] {
  const sources = new Map(goal.sources.map((source) => [source.name, source.from]));
  let state = initialState(goal, options.start ?? timeline[0]?.at ?? 0);
  const receipts: Receipt[] = [];
  for (const entry of timeline) {
    const observations: Observation[] = Object.entries(entry.values).map(([name, value]) => ({
      name,
      value,
      at: entry.at,
      source: sources.get(name) ?? "push",
    }));
    const result = runCycle(goal, state, {
      goalId: options.goalId,
      now: entry.at,
      trigger: entry.trigger ?? "push",
      observations,
    });
    receipts.push(result.receipt);
    state = result.state;
    if (result.done) break;
  }
  return receipts;
}
