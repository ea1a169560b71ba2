/**
 * The receipt: one cycle's entry in the goal's audit trail, plain JSON. It
 * says what was observed, what the goal made of it, what each rule decided
 * and why, and what it chose to do; the shell adds timings and stores it.
 */

import type { JsonValue } from "../spec/index.ts";
import type { Chain, Decider, ObservationSource, Trigger } from "./input.ts";
import type { ActStatus, VerdictStatus } from "./state.ts";

/** Which guard stopped an action. */
export type GuardName =
  | "max_actions_per_hour"
  | "max_actions_per_chain"
  | "allow_hosts"
  | "approve"
  | "action_size";

/**
 * One rule's decision in one cycle. Every rule gets one every cycle.
 *
 * - `matched`: it fires (its actions are in `actions`).
 * - `false`: its condition is false; `values` shows what `when` read.
 * - `pending`: true, but not yet for as long as `for` asks; `reason` says how long is left.
 * - `kept`: false now, but true within `keep_for`: still matched (it wins the
 *   policy over later rules) but it does not fire again.
 * - `cooling_down`: would fire, but fired within `cooldown`.
 * - `blocked`: a guard stopped it (`guard` says which).
 * - `insufficient_data`: something it reads, directly or through orient
 *   formulas, has no observation yet or is older than its source's `max_age`.
 * - `error`: a formula failed (`code`), or an orient value it reads did.
 * - `superseded`: it matched, but the policy chose another rule.
 * - `already_matched`: it was matched before this cycle, and the cycle was
 *   started only by consequences of actions (their results, the record
 *   changes and signals they made, decisions on approvals): those never fire
 *   a rule again; a new observation from outside or the next alarm does.
 */
export interface Verdict {
  rule: string;
  status: VerdictStatus;
  reason: string;
  /** The values of the names and paths `when` read (long arrays summarized as `{length, last}`). */
  values?: Record<string, JsonValue>;
  /** For `error`: the formula error's code or the loop's own (`WHEN_NOT_BOOLEAN`, `SCORE_NOT_NUMBER`). */
  code?: string;
  /** For `blocked`: the guard. */
  guard?: GuardName;
  /** With policy `best`: the rule's score. */
  score?: number;
}

/** What a webhook action sends: a signed POST of `body` as JSON. */
export interface WebhookPayload {
  url: string;
  method: "POST";
  headers: Record<string, string>;
  body: JsonValue;
  timeout_ms: number;
  /** The goal's `allow_hosts`, which redirects must stay within too; absent: any host. */
  allow_hosts?: string[];
}

/** Evaluate a registered formula (`version` null: the current one) with `args`. */
export interface FormulaPayload {
  name: string;
  version: number | null;
  args: JsonValue;
}

/** Upsert the record `collection`/`key` with `value`. */
export interface RecordPayload {
  collection: string;
  key: string;
  value: JsonValue;
}

/** Send the observation `name` = `value` to the goal `goal`. */
export interface SignalPayload {
  goal: string;
  name: string;
  value: JsonValue;
}

/** Create a sub-goal from `spec`. */
export interface SpawnPayload {
  spec: JsonValue;
}

/** An action's payload, tagged by kind: the one contract from the planner through the queue to the runner. */
export type ActionBody =
  | { kind: "webhook"; payload: WebhookPayload }
  | { kind: "formula"; payload: FormulaPayload }
  | { kind: "record"; payload: RecordPayload }
  | { kind: "signal"; payload: SignalPayload }
  | { kind: "spawn"; payload: SpawnPayload };

/**
 * An action the shell should run (or, with `dry_run`, only record; with
 * `awaiting_approval`, hold until a person approves). `key` is its
 * idempotency key, `${goalId}:${cycle}:${rule}:${action}`: the same cycle
 * planned again after a crash yields the same key, so it takes effect once.
 * `chain` is the causal chain it continues (its depth counts this action).
 */
export type PlannedAction = ActionBody & {
  action: string;
  rule: string;
  key: string;
  dry_run: boolean;
  awaiting_approval: boolean;
  chain: Chain;
  expect?: string;
  within_ms?: number;
};

/** An observation as applied. */
export interface ObservedEntry {
  value: JsonValue;
  at: number;
  source: ObservationSource;
  id?: string;
}

/** An act result as applied (it is `act.NAME` from now on). */
export interface AppliedActResult {
  action: string;
  key: string;
  status: ActStatus;
  attempt: number;
  at: number;
  /** The target's HTTP status, for webhooks. */
  http_status?: number;
  /** Why it failed, for failed results. */
  error?: string;
}

/** Something that arrived and was not applied. */
export interface IgnoredInput {
  name: string;
  reason: string;
}

/** An oriented value, or why there is none. */
export type OrientedEntry =
  | JsonValue
  | { error: { code: string; message: string } }
  | { insufficient_data: { reason: string } };

/**
 * A decision on an action awaiting approval, applied this cycle: a person's
 * (`by` says who) or the clock's (`expired`, `by` null).
 */
export interface DecisionEntry {
  action: string;
  key: string;
  rule: string;
  decision: "approved" | "rejected" | "expired";
  by: Decider | null;
  reason: string | null;
  at: number;
}

/** An expectation settled this cycle. `dropped`: given up because too many were waiting. */
export interface ExpectationOutcome {
  action: string;
  rule: string;
  key: string;
  status: "effective" | "failed" | "dropped";
  reason: string;
}

/** Why `done` could not be evaluated this cycle (then the goal is not done). */
export interface DoneCheck {
  status: "insufficient_data" | "error";
  reason: string;
  code?: string;
}

/**
 * What the model decided (policy `model`): the call as recorded, and, when
 * the rules decided instead, `fallback` saying why. With a declared action
 * chosen, `outcome` is what planning made of it (the guards still apply: it
 * may be `blocked`, or held for approval).
 */
export interface ModelDecision {
  provider: string;
  model: string;
  prompt_sha256: string | null;
  raw: string | null;
  choice: string | null;
  reason: string | null;
  latency_ms: number | null;
  tokens: { prompt: number | null; completion: number | null };
  error?: string;
  fallback?: string;
  outcome?: { status: VerdictStatus; reason: string; guard?: GuardName };
}

/** One cycle's audit entry. */
export interface Receipt {
  goal_id: string;
  cycle: number;
  at: number;
  trigger: Trigger;
  /** Alarm cycles only: whole periods skipped since the last alarm cycle (0 when on time). */
  missed: number;
  observed: Record<string, ObservedEntry[]>;
  /** Set when the receipt was compacted: per name, how many older entries it leaves out. */
  observed_omitted?: Record<string, number>;
  act_results: AppliedActResult[];
  /** Decisions on actions awaiting approval (people's, and expiries). */
  decisions: DecisionEntry[];
  ignored: IgnoredInput[];
  /** Observed names with no observation yet or older than their `max_age`, sorted. */
  stale: string[];
  oriented: Record<string, OrientedEntry>;
  verdicts: Verdict[];
  actions: PlannedAction[];
  /** The causal chain this cycle continued or started (see `Chain`), and its actions here so far. */
  chain: { id: string; depth: number; actions: number };
  expectations: ExpectationOutcome[];
  done: boolean;
  done_check?: DoneCheck;
  /** Policy `model`: the model's answer and what came of it. */
  model?: ModelDecision;
  /** True when the receipt was compacted to stay small (see `receipt-size.ts`). */
  compacted?: boolean;
  /** The work units the cycle's formulas spent, of its budget (`CYCLE_BUDGET`). */
  work?: number;
  /**
   * True when nothing worth a new audit row happened: no verdict changed
   * status from the last cycle, no action was planned, no expectation
   * settled, no cycle was missed and the goal is not done. The shell may skip
   * writing quiet receipts.
   */
  quiet: boolean;
}

/** Whether a cycle is quiet (see `Receipt.quiet`). */
export function isQuiet(
  receipt: Omit<Receipt, "quiet">,
  previous: Readonly<Record<string, VerdictStatus>>,
): boolean {
  if (receipt.actions.length > 0 || receipt.expectations.length > 0) return false;
  if (receipt.decisions.length > 0) return false;
  // Missed periods are in this receipt, in the goal's own storage; they do not make a
  // cycle worth a D1 write (that made an overloaded runtime fall further behind).
  if (receipt.done) return false;
  if (receipt.verdicts.length !== Object.keys(previous).length) return false;
  return receipt.verdicts.every(
    (verdict) => Object.hasOwn(previous, verdict.rule) && previous[verdict.rule] === verdict.status,
  );
}
