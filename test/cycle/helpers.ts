/**
 * Shared test fixtures for the loop: compiling specs (failing loudly when a
 * spec meant to be valid is not) and driving a goal through cycles the way
 * the Durable Object does, keeping the state between them.
 */
import {
  type ActResult,
  type ApprovalDecision,
  type CycleResult,
  type GoalState,
  initialState,
  type Observation,
  runCycle,
  type Trigger,
  type Verdict,
} from "../../src/cycle/index.ts";
import {
  type CompiledGoal,
  type SpecIssue,
  type ValidateOptions,
  validateGoalSpec,
} from "../../src/spec/index.ts";

export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;

/** A valid goal from `spec` (`name` defaults to "test"); throws with the issues otherwise. */
export function goalOf(spec: Record<string, unknown>, options?: ValidateOptions): CompiledGoal {
  const result = validateGoalSpec({ name: "test", ...spec }, options);
  if (!result.ok)
    throw new Error(`spec should be valid: ${JSON.stringify(result.issues, null, 2)}`);
  return result.goal;
}

/** The issues of a spec that should be invalid; throws when it is valid. */
export function issuesOf(spec: Record<string, unknown>, options?: ValidateOptions): SpecIssue[] {
  const result = validateGoalSpec({ name: "test", ...spec }, options);
  if (result.ok) throw new Error("spec should be invalid");
  return result.issues;
}

/** Observations of `values` at `at`. */
export function observations(values: Record<string, unknown>, at: number): Observation[] {
  return Object.entries(values).map(([name, value]) => ({ name, value, at, source: "push" }));
}

/** Options of one driven cycle. */
export interface Step {
  trigger?: Trigger;
  actResults?: ActResult[];
  observations?: Observation[];
  decisions?: ApprovalDecision[];
  resumedAt?: number;
}

/** A goal driven cycle by cycle, keeping its state like the Durable Object does. */
export interface Driver {
  state: GoalState;
  /** Runs a cycle at `now` with `values` observed at `now`. */
  run(now: number, values?: Record<string, unknown>, step?: Step): CycleResult;
}

/** Drives `goal` from its initial state at `start`. */
export function drive(goal: CompiledGoal, goalId = "g1", start = 0): Driver {
  const driver: Driver = {
    state: initialState(goal, start),
    run(now, values = {}, step = {}) {
      const result = runCycle(goal, driver.state, {
        goalId,
        now,
        trigger: step.trigger ?? "alarm",
        observations: [...observations(values, now), ...(step.observations ?? [])],
        actResults: step.actResults ?? [],
        ...(step.decisions ? { decisions: step.decisions } : {}),
        ...(step.resumedAt === undefined ? {} : { resumedAt: step.resumedAt }),
      });
      driver.state = result.state;
      return result;
    },
  };
  return driver;
}

/** The verdict of `rule` in a cycle's result; throws when it has none. */
export function verdict(result: CycleResult, rule: string): Verdict {
  const found = result.verdicts.find((v) => v.rule === rule);
  if (found === undefined) throw new Error(`no verdict for ${rule}`);
  return found;
}

/** The status of each rule's verdict, by rule id. */
export function statuses(result: CycleResult): Record<string, string> {
  return Object.fromEntries(result.verdicts.map((v) => [v.rule, v.status]));
}

/** A planned action's payload as plain fields, for assertions across kinds. */
export function payloadOf(action: { payload: unknown } | undefined): Record<string, unknown> {
  return (action?.payload ?? {}) as Record<string, unknown>;
}
