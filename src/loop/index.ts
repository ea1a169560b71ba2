/**
 * The decision loop's pure core: one cycle of observe → orient → decide →
 * act for one goal, as a function of (goal, state, inputs, time). It owns the
 * goal spec and its validation, the state a goal keeps between cycles, the
 * receipt each cycle writes, spec-version migration and simulation. It
 * imports nothing from Cloudflare or Hono; the goal Durable Object, queues
 * and storage wrap it.
 */
export type {
  CompiledAction,
  CompiledGoal,
  CompiledRule,
  CompiledSource,
  FormulaResolver,
} from "./compiled-goal.ts";
export { type CycleResult, missedPeriods, runCycle } from "./cycle.ts";
export { formatDuration, MAX_DURATION_MS, parseDuration } from "./duration.ts";
export type {
  ActResult,
  CycleInput,
  Observation,
  ObservationSource,
  Trigger,
} from "./input.ts";
export type { IssuePosition, SpecIssue } from "./issues.ts";
export type { JsonValue } from "./json.ts";
export { carryOver } from "./migrate.ts";
export { RESERVED_NAMES } from "./names.ts";
export { actionKey } from "./plan.ts";
export type {
  AppliedActResult,
  DoneCheck,
  ExpectationOutcome,
  GuardName,
  IgnoredInput,
  ObservedEntry,
  OrientedEntry,
  PlannedAction,
  Receipt,
  Verdict,
} from "./receipt.ts";
export { type SimulateOptions, simulate, type TimelineEntry } from "./simulate.ts";
export {
  type GoalSpec,
  type GoalSpecInput,
  GoalSpecSchema,
  type Policy,
  SPEC_LIMITS,
} from "./spec.ts";
export { specReferences } from "./spec-references.ts";
export {
  type ActRecord,
  type GoalState,
  type HistoryEntry,
  initialState,
  type LatestObservation,
  type PendingApproval,
  type PendingExpectation,
  type RuleHold,
  STATE_VERSION,
  type VerdictStatus,
} from "./state.ts";
export { type GoalValidation, type ValidateOptions, validateGoalSpec } from "./validate.ts";
