/**
 * The goal-spec language: the JSON a user registers as zod schemas, the
 * checks a schema cannot express, and `validateGoalSpec`, which compiles a
 * valid spec into the `CompiledGoal` a cycle runs (every formula compiled,
 * orient in dependency order, durations in milliseconds). Pure: zod and the
 * formula language, nothing from Cloudflare or Hono.
 */

export type {
  CompiledAction,
  CompiledGoal,
  CompiledModel,
  CompiledRule,
  CompiledSource,
  FormulaResolver,
  Policy,
} from "./compiled-goal.ts";
export { formatDuration, MAX_DURATION_MS, parseDuration } from "./duration.ts";
export type { Reads } from "./formula-reads.ts";
export { canonicalHost, hostAllowed, urlHost } from "./hosts.ts";
export type { IssuePosition, SpecIssue } from "./issues.ts";
export { getOwn, isRecord, type JsonValue, jsonBytes, toJsonValue, utf8Bytes } from "./json.ts";
export { RECORD_SEGMENT, RESERVED_NAMES } from "./names.ts";
export { specReferences } from "./references.ts";
export {
  CYCLE_BUDGET,
  type GoalSpec,
  type GoalSpecInput,
  GoalSpecSchema,
  GUARD_DEFAULTS,
  MODEL_DEFAULTS,
  type ModelSpec,
  SPEC_LIMITS,
} from "./schema.ts";
export { DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS } from "./schema-primitives.ts";
export type { TemplateNode } from "./template.ts";
export { type GoalValidation, type ValidateOptions, validateGoalSpec } from "./validate.ts";
