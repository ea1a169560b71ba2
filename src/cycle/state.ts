/**
 * A goal's loop state between cycles. It is plain JSON because the Durable
 * Object stores it, and it holds everything time-dependent (holds,
 * cooldowns, rate windows, pending expectations), so a cycle after a restart
 * decides exactly as it would have without one.
 */
import type { CompiledGoal, JsonValue } from "../spec/index.ts";
import type { ObservationSource, RunStatus } from "./input.ts";

/** The version of this shape; bump it (and migrate) when it changes incompatibly. */
export const STATE_VERSION = 2;

/** The latest value of an observed name. */
export interface LatestObservation {
  value: JsonValue;
  at: number;
  source: ObservationSource;
}

/** One value in an observed name's history. */
export interface HistoryEntry {
  at: number;
  value: JsonValue;
}

/** A rule's memory across cycles. */
export interface RuleHold {
  /** `for`: when the condition was first seen true in its current unbroken run; null when false. */
  pendingSince: number | null;
  /** `keep_for`: the last time the rule matched with its condition true. */
  lastMatchedAt: number | null;
  /** `cooldown`: the last time the rule planned an action that runs (or one was approved). */
  lastFiredAt: number | null;
  /**
   * Whether the rule was matched (its condition true and held, or kept) in
   * the last cycle: a cycle started only by consequences of actions fires
   * only rules that were not.
   */
  matched: boolean;
}

/** An action's `expect`, waiting to be checked. */
export interface PendingExpectation {
  action: string;
  rule: string;
  key: string;
  /** The cycle that planned the action; checks start the cycle after. */
  cycle: number;
  /** When it fails unless met; null while the action awaits approval (set from its result). */
  deadline: number | null;
}

/**
 * How an action ended: the runner's status, or, for one awaiting approval,
 * `rejected` by a person or `expired` unapproved.
 */
export type ActStatus = RunStatus | "rejected" | "expired";

/** The last result of an action: what `act.NAME` shows. */
export interface ActRecord {
  key: string;
  status: ActStatus;
  value: JsonValue;
  http_status: number | null;
  latency_ms: number;
  attempt: number;
  at: number;
  error: string | null;
}

/** An action waiting for a person's approval; the rule does not ask again until its result arrives. */
export interface PendingApproval {
  key: string;
  rule: string;
  since: number;
  cycle: number;
  /** Unapproved by then, it expires (`guard.approve_within`). */
  expiresAt: number;
}

/** What one causal chain has caused in this goal (see `Chain`). */
export interface ChainCount {
  actions: number;
  /** When the chain last reached this goal. */
  at: number;
}

/** A rule's verdict status (see `Verdict`). */
export type VerdictStatus =
  | "matched"
  | "false"
  | "pending"
  | "kept"
  | "cooling_down"
  | "blocked"
  | "insufficient_data"
  | "error"
  | "superseded"
  | "already_matched";

/** Everything a goal's loop remembers. Plain JSON. */
export interface GoalState {
  version: typeof STATE_VERSION;
  status: "active" | "done";
  startedAt: number;
  /** The number of the last cycle run (0 before the first). */
  cycle: number;
  lastCycleAt: number | null;
  /** The last cycle triggered by the alarm: missed cycles are counted from it. */
  lastAlarmAt: number | null;
  /** Per observed name: its latest value. */
  latest: Record<string, LatestObservation>;
  /** Per observed name: its last `keep` values, oldest first. */
  history: Record<string, HistoryEntry[]>;
  /** The last cycle's oriented values (names that failed or lacked data are absent): `prev.NAME`. */
  oriented: Record<string, JsonValue>;
  rules: Record<string, RuleHold>;
  /** The last cycle's verdict status per rule, to tell quiet cycles. */
  verdicts: Record<string, VerdictStatus>;
  /** When actions were planned within the last hour (for `max_actions_per_hour`). */
  actionTimes: number[];
  /** Actions caused per causal chain, for the chains seen most recently (`CHAIN_LIMIT`). */
  chains: Record<string, ChainCount>;
  expectations: PendingExpectation[];
  acts: Record<string, ActRecord>;
  /** Per action: true when its last expectation failed (`failed.NAME`). */
  failed: Record<string, boolean>;
  approvals: Record<string, PendingApproval>;
  /** Recent observation ids, newest last, to apply each once. */
  seenIds: string[];
  /** Policy `model`: when the model was called within the last hour (for `max_calls_per_hour`). */
  modelCalls?: number[];
}

/** How many observation ids the state remembers for de-duplication. */
export const SEEN_ID_LIMIT = 512;

/** How many chains the state remembers; the least recently seen is forgotten first. */
export const CHAIN_LIMIT = 64;

/** How many expectations may wait at once; beyond that the oldest are dropped (and said so). */
export const EXPECTATION_LIMIT = 64;

/** The state of a goal that has not run a cycle yet. */
export function initialState(_goal: CompiledGoal, now: number): GoalState {
  return {
    version: STATE_VERSION,
    status: "active",
    startedAt: now,
    cycle: 0,
    lastCycleAt: null,
    lastAlarmAt: null,
    latest: {},
    history: {},
    oriented: {},
    rules: {},
    verdicts: {},
    actionTimes: [],
    chains: {},
    expectations: [],
    acts: {},
    failed: {},
    approvals: {},
    seenIds: [],
  };
}

/**
 * A copy of `state` that a cycle may change without touching the caller's.
 * History entries and JSON values are never changed in place, so they are shared.
 */
export function copyState(state: GoalState): GoalState {
  const copyRecord = <T extends object>(record: Record<string, T>): Record<string, T> =>
    Object.fromEntries(Object.entries(record).map(([key, value]) => [key, { ...value }]));
  return {
    ...state,
    latest: copyRecord(state.latest),
    history: Object.fromEntries(Object.entries(state.history).map(([k, v]) => [k, [...v]])),
    oriented: { ...state.oriented },
    rules: copyRecord(state.rules),
    verdicts: { ...state.verdicts },
    actionTimes: [...state.actionTimes],
    // Chain counts are replaced, never changed in place: the entries can be shared.
    chains: { ...state.chains },
    expectations: state.expectations.map((expectation) => ({ ...expectation })),
    acts: copyRecord(state.acts),
    failed: { ...state.failed },
    approvals: copyRecord(state.approvals),
    seenIds: [...state.seenIds],
    ...(state.modelCalls === undefined ? {} : { modelCalls: [...state.modelCalls] }),
  };
}

/** The state as version 1 stored it: what `migrateState` reads. */
type StateV1 = Omit<GoalState, "version" | "chains" | "rules" | "approvals"> & {
  version: 1;
  rules: Record<string, Omit<RuleHold, "matched">>;
  approvals: Record<string, { key: string; since: number; cycle: number }>;
};

/** Verdicts of version 1 that meant the rule was matched. */
const MATCHED_V1 = new Set<VerdictStatus>(["matched", "kept", "cooling_down", "superseded"]);

/** Version 1 kept no expiry; its pending approvals get this long from when they were asked. */
const V1_APPROVAL_MS = 24 * 3_600_000;

/**
 * Brings a stored state up to `STATE_VERSION`. Version 1 lacked chains, each
 * rule's `matched` (taken from its last verdict) and approvals' rule and
 * expiry. Throws on a version it does not know (newer code wrote it).
 */
export function migrateState(stored: GoalState | StateV1): GoalState {
  if (stored.version === STATE_VERSION) return stored;
  const version: unknown = (stored as { version: unknown }).version;
  if (version !== 1) throw new Error(`unknown goal state version ${String(version)}`);
  const rules = Object.fromEntries(
    Object.entries(stored.rules).map(([id, hold]) => {
      const verdict = Object.hasOwn(stored.verdicts, id) ? stored.verdicts[id] : undefined;
      return [id, { ...hold, matched: verdict !== undefined && MATCHED_V1.has(verdict) }];
    }),
  );
  const approvals = Object.fromEntries(
    Object.entries(stored.approvals).map(([action, approval]) => {
      const rule = approval.key.split(":").at(-2) ?? "";
      return [action, { ...approval, rule, expiresAt: approval.since + V1_APPROVAL_MS }];
    }),
  );
  return { ...stored, version: STATE_VERSION, rules, approvals, chains: {} };
}
