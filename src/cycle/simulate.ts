/**
 * Simulation and replay: a spec run over inputs with no side effects. Both
 * call the same `runCycle` as the live goal, so the receipts are what the
 * goal would write (or wrote).
 *
 * - `simulate` (`POST /v1/goals/simulate`) runs a timeline a user writes:
 *   one cycle per entry, from the initial state; actions are planned but
 *   never run, so no act results come back.
 * - `replay` (`POST /v1/goals/:id/replay`) runs the inputs a goal recorded,
 *   cycle by cycle (trigger, time, observations with their own times, act
 *   results, decisions, polls), from the state the goal had before the first
 *   of them. With the spec versions the goal ran, it reproduces the goal's
 *   receipts exactly; with one changed spec it answers "what if".
 */
import type { CompiledGoal } from "../spec/index.ts";
import { type CycleResult, runCycle } from "./cycle.ts";
import type { CycleInput, ModelInput, Observation, Trigger } from "./input.ts";
import { carryOver } from "./migrate.ts";
import type { Receipt } from "./receipt.ts";
import { type GoalState, initialState } from "./state.ts";

/** One step of a timeline: one cycle at `at` with these values observed. */
export interface TimelineEntry {
  at: number;
  values: Record<string, unknown>;
  /** Default `push` (values arrived); use `alarm` with no values for a cadence tick. */
  trigger?: Trigger;
  /**
   * Policy `model`: the model's answer at this step, as if recorded (no model
   * is called). Without one the rules decide, and the receipt says so.
   */
  model?: { choice: string; reason?: string };
}

/** The model input a simulated step stands for (see `TimelineEntry.model`). */
function simulatedModel(goal: CompiledGoal, entry: TimelineEntry): ModelInput | undefined {
  if (goal.model === null) return undefined;
  if (entry.model === undefined) return { skipped: "simulated: no model answer" };
  const { choice, reason = "" } = entry.model;
  return {
    provider: goal.model.provider,
    model: goal.model.model,
    prompt_sha256: null,
    raw: JSON.stringify({ action: choice, reason }),
    choice,
    reason,
    latency_ms: 0,
    tokens: { prompt: null, completion: null },
  };
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
  return [...simulation(goal, timeline, options)];
}

/** `simulate`, one receipt at a time (a caller can stop, or yield, between cycles). */
export function* simulation(
  goal: CompiledGoal,
  timeline: readonly TimelineEntry[],
  options: SimulateOptions,
): Generator<Receipt> {
  const sources = new Map(goal.sources.map((source) => [source.name, source.from]));
  let state = initialState(goal, options.start ?? timeline[0]?.at ?? 0);
  for (const entry of timeline) {
    const observations: Observation[] = Object.entries(entry.values).map(([name, value]) => ({
      name,
      value,
      at: entry.at,
      source: sources.get(name) ?? "push",
    }));
    const input: CycleInput = {
      goalId: options.goalId,
      now: entry.at,
      trigger: entry.trigger ?? "push",
      observations,
    };
    const model = simulatedModel(goal, entry);
    if (model !== undefined) input.model = model;
    const result = runCycle(goal, state, input);
    yield result.receipt;
    state = result.state;
    if (result.done) break;
  }
}

/** The inputs of one recorded cycle, as the goal logged them (the goal id is the replay's). */
export interface LoggedInput extends Omit<CycleInput, "goalId"> {
  /** The cycle this input ran as. */
  cycle: number;
  /** The spec version the cycle ran with. */
  specVersion: number;
}

/** What `replay` runs over. */
export interface ReplayInput {
  goalId: string;
  /** The state before the first logged input (the spec version it was made under: `baseVersion`). */
  base: GoalState;
  baseVersion: number;
  log: readonly LoggedInput[];
  /**
   * The compiled goal of a spec version the log names, or, for "what if",
   * one goal for every version.
   */
  goalFor: (specVersion: number) => CompiledGoal;
}

/**
 * Runs every logged input in order from `base`. Where the spec version
 * changes between two inputs, the state is carried over to the new version
 * exactly as the live goal did when its spec was replaced. Returns one
 * receipt per logged input: with the goal's own spec versions, the receipts
 * it wrote (minus the timings and poll notes the shell adds).
 */
export function replay(input: ReplayInput): Receipt[] {
  return [...replaying(input)];
}

/** `replay`, one receipt at a time (a caller can stop, or yield, between cycles). */
export function* replaying(input: ReplayInput): Generator<Receipt> {
  const walk = replayWalk(input);
  for (const logged of input.log) yield walk.run(walk.at(logged)).receipt;
}

/** One logged input as replay runs it: the goal of its spec version, the state before it, its cycle input. */
export interface ReplayStep {
  goal: CompiledGoal;
  state: GoalState;
  input: CycleInput;
}

/**
 * Replay's walk over a log, one input at a time, for a caller that does
 * something between cycles (`replaying`; asking the model afresh): `at`
 * gives the step of the next logged input (the state carried over where the
 * spec version changes), `run` runs it and moves the state on.
 */
export function replayWalk(replay: ReplayInput): {
  at(logged: LoggedInput): ReplayStep;
  run(step: ReplayStep): CycleResult;
} {
  let state = replay.base;
  let version = replay.baseVersion;
  let goal = replay.goalFor(version);
  return {
    at(logged) {
      if (logged.specVersion !== version) {
        const next = replay.goalFor(logged.specVersion);
        if (next !== goal) state = carryOver(next, state);
        [goal, version] = [next, logged.specVersion];
      }
      const { cycle: _cycle, specVersion: _version, ...rest } = logged;
      return { goal, state, input: { ...rest, goalId: replay.goalId } };
    },
    run(step) {
      const result = runCycle(step.goal, step.state, step.input);
      state = result.state;
      return result;
    },
  };
}
