/**
 * What the runtime shell hands one cycle: the time, why it runs, and what
 * arrived since the last one (observations and the results of actions).
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
  /** Set by at-least-once senders: an id seen recently is applied once (see `SEEN_ID_LIMIT`). */
  id?: string;
}

/**
 * The outcome of one attempt of a planned action, sent back by the action
 * runner. It becomes `act.NAME` for the next formulas. The runner reports a
 * person's rejection of an action awaiting approval as `failed` with an `error`.
 */
export interface ActResult {
  action: string;
  /** The planned action's idempotency key. */
  key: string;
  status: "ok" | "failed" | "error";
  value?: unknown;
  http_status?: number;
  latency_ms: number;
  attempt: number;
  at: number;
  error?: string;
}

/** Why a cycle runs. */
export type Trigger = "alarm" | "push" | "act" | "signal" | "record" | "stream" | "manual";

/** The inputs of one cycle. */
export interface CycleInput {
  goalId: string;
  /** The cycle's time (ms since the epoch); the loop never reads a clock. */
  now: number;
  trigger: Trigger;
  observations: Observation[];
  actResults?: ActResult[];
}
