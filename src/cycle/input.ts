/**
 * What the runtime shell hands one cycle: the time, why it runs, and what
 * arrived since the last one (observations, the results of actions, people's
 * decisions on actions awaiting approval). The shell logs exactly this for
 * every cycle, so replay runs the same inputs through the same function.
 */

/** Where an observation came from. `signal`, `act` and `spawn` are sent by goals and actions, not declared sources. */
export type ObservationSource =
  | "push"
  | "http"
  | "record"
  | "stream"
  | "metric"
  | "goal"
  | "signal"
  | "act"
  | "spawn";

/**
 * The causal chain an input belongs to. Every arrival from outside (a push, a
 * record written or an event published through the API, a cadence tick)
 * starts a chain at depth 0; an action carries the chain of the cycle that
 * planned it one level deeper, and so does everything it causes (its result,
 * the record change or signal it makes, a spawned goal's report). A goal
 * bounds the actions one chain may cause (`guard.max_actions_per_chain`).
 */
export interface Chain {
  id: string;
  /** How many actions lie between the arrival that started the chain and this input. */
  depth: number;
}

/**
 * One value for one observed name. Only names the goal declares in `observe`
 * are applied, whatever `source` says (a `signal` from another goal lands on
 * the name it targets); others are listed as ignored in the receipt.
 */
export interface Observation {
  name: string;
  value: unknown;
  /** When the value was true (ms since the epoch); freshness (`max_age`) is measured from here. */
  at: number;
  source: ObservationSource;
  /**
   * Set by at-least-once senders: an id seen recently for the same name is
   * applied once (see `SEEN_ID_LIMIT`). One event observed by several names
   * (two paths of one record) carries one id, and each name applies it.
   */
  id?: string;
  /** Absent: an arrival from outside, starting a chain of its own. */
  chain?: Chain;
}

/** What the action runner reports for one attempt. */
export type RunStatus = "ok" | "failed" | "error";

/**
 * The outcome of one attempt of a planned action, sent back by the action
 * runner. It becomes `act.NAME` for the next formulas.
 */
export interface ActResult {
  action: string;
  /** The planned action's idempotency key. */
  key: string;
  status: RunStatus;
  value?: unknown;
  http_status?: number;
  latency_ms: number;
  attempt: number;
  at: number;
  error?: string;
  /** The action's chain (an act result is always a consequence of an action). */
  chain?: Chain;
}

/** Who decided on an action awaiting approval: the API key's id and name. */
export interface Decider {
  key_id: string;
  name: string | null;
}

/**
 * A person's decision on an action awaiting approval. `approved`: the shell
 * sends the held action with its original key; `rejected`: the action's
 * result is `act.NAME.status == "rejected"`.
 */
export interface ApprovalDecision {
  action: string;
  key: string;
  decision: "approved" | "rejected";
  by: Decider;
  reason?: string;
  at: number;
  chain?: Chain;
}

/** Why a cycle runs. */
export type Trigger =
  | "alarm"
  | "push"
  | "act"
  | "signal"
  | "record"
  | "stream"
  | "approval"
  | "manual";

/**
 * A model's answer for one cycle (policy `model`), as the shell got it: the
 * choice is whatever the answer named (the cycle checks it against the spec),
 * the reason and raw text are cut short. `error`: the call failed (a timeout,
 * an HTTP error, an answer that could not be read); a call was still made.
 */
export interface ModelAnswer {
  provider: string;
  model: string;
  /** SHA-256 (hex) of the messages sent, as JSON. */
  prompt_sha256: string | null;
  /** The answer as it came (its tool call's arguments, or its content), cut to 4 KiB. */
  raw: string | null;
  choice: string | null;
  reason: string | null;
  latency_ms: number;
  tokens: { prompt: number | null; completion: number | null };
  error?: string;
}

/** The model input of a cycle: an answer, or why no call was made (no call counts against the budget). */
export type ModelInput = ModelAnswer | { skipped: string };

/** The inputs of one cycle. */
export interface CycleInput {
  goalId: string;
  /** The cycle's time (ms since the epoch); the loop never reads a clock. */
  now: number;
  trigger: Trigger;
  observations: Observation[];
  actResults?: ActResult[];
  decisions?: ApprovalDecision[];
  /**
   * When the goal was last resumed after a pause, if after its last alarm
   * cycle: a pause is not downtime, so no periods count as missed before it.
   */
  resumedAt?: number;
  /** Policy `model`: the model's answer for this cycle, or why there is none. */
  model?: ModelInput;
}
