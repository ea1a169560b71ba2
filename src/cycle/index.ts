/**
 * The decision loop's pure core: one cycle of observe → orient → decide →
 * act for one goal, as a function of (compiled goal, state, inputs, time).
 * It owns the state a goal keeps between cycles, the receipt each cycle
 * writes, spec-version migration and simulation; the goal spec and its
 * compiled form are `src/spec`'s. It imports nothing from Cloudflare or Hono;
 * the goal Durable Object, queues and storage wrap it.
 */

export { nextExpiry } from "./approvals.ts";
export {
  type CycleResult,
  cycleChain,
  missedPeriods,
  runCycle,
  startedByConsequences,
} from "./cycle.ts";
export type {
  ActResult,
  ApprovalDecision,
  Chain,
  CycleInput,
  Decider,
  ModelAnswer,
  ModelInput,
  Observation,
  ObservationSource,
  RunStatus,
  Trigger,
} from "./input.ts";
export { carryOver } from "./migrate.ts";
export {
  choiceSchema,
  judgeModel,
  MAX_PROMPT_BYTES,
  MAX_RAW_CHARS,
  MAX_REASON_CHARS,
  MODEL_RULE,
  type ModelMessage,
  type ModelPrompt,
  modelCallsLeft,
  modelCandidates,
  modelPrompt,
  NONE,
  truncate,
} from "./model.ts";
export { actionKey, MAX_ACTION_BYTES } from "./plan.ts";
export type {
  ActionBody,
  AppliedActResult,
  DecisionEntry,
  DoneCheck,
  ExpectationOutcome,
  FormulaPayload,
  GuardName,
  IgnoredInput,
  ModelDecision,
  ObservedEntry,
  OrientedEntry,
  PlannedAction,
  Receipt,
  RecordPayload,
  SignalPayload,
  SpawnPayload,
  Verdict,
  WebhookPayload,
} from "./receipt.ts";
export { isoTime, receiptOut } from "./receipt-json.ts";
export { MAX_RECEIPT_BYTES } from "./receipt-size.ts";
export {
  type LoggedInput,
  type ReplayInput,
  type ReplayStep,
  replay,
  replaying,
  replayWalk,
  type SimulateOptions,
  simulate,
  simulation,
  type TimelineEntry,
} from "./simulate.ts";
export {
  type ActRecord,
  type ActStatus,
  type ChainCount,
  type GoalState,
  type HistoryEntry,
  initialState,
  type LatestObservation,
  migrateState,
  type PendingApproval,
  type PendingExpectation,
  type RuleHold,
  STATE_VERSION,
  type VerdictStatus,
} from "./state.ts";
