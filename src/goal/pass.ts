/**
 * One pass of a goal's loop as a pure function: what the Durable Object
 * loaded (meta, compiled goal, state, the inbox items this cycle takes, poll
 * results, approvals that expire) in; what to write, what to delete, what to
 * send and the meta to keep out. The object does the I/O around it (see
 * `cycle-step.ts`); `nextAlarmAt` says when it wakes next.
 */
import {
  type CycleInput,
  type CycleResult,
  type GoalState,
  type LoggedInput,
  type ModelInput,
  nextExpiry,
  type Observation,
  type Receipt,
  runCycle,
  type Trigger,
} from "../cycle/index.ts";
import type { ActionMessage } from "../queues.ts";
import type { CompiledGoal } from "../spec/index.ts";
import type { PollNote } from "./poll.ts";
import {
  type ApprovalRecord,
  type GoalMeta,
  type InboxItem,
  keys,
  RETENTION,
  type Snapshot,
} from "./store.ts";

/** What a pass of the loop is for: an arrival, the alarm's cadence, an approval's expiry, or only D1 copies. */
export type PassKind = "arrival" | "alarm" | "expiry" | "copies";

/** A receipt as the goal stores it: the cycle's own, plus the poll notes and the time it took. */
/** A receipt as the object stores it: the cycle's, with the shell's timings, poll notes and spec version. */
export type StoredReceipt = Receipt & {
  polls: Record<string, PollNote>;
  duration_ms: number;
  /** The spec version the cycle ran with (receipts stored before it was kept lack it). */
  spec_version: number;
};

/** What the object loaded for one cycle. */
export interface Loaded {
  meta: GoalMeta;
  goal: CompiledGoal;
  state: GoalState;
  now: number;
  /** Whether this cycle is the cadence's (polls ran; the next cadence is set from it). */
  cadence: boolean;
  /** The inbox items this cycle takes, by key, oldest first. */
  inbox: [string, InboxItem][];
  /** Observations the cadence's polls made. */
  polled: Observation[];
  polls: Record<string, PollNote>;
  /** The stored records of approvals that expire in this cycle, by key. */
  expiring: ReadonlyMap<string, ApprovalRecord>;
  /** Milliseconds the loading took (polls and the model's answer included), for the receipt. */
  loadMs: number;
  /** Policy `model`: the model's answer for this cycle, or why there is none. */
  model?: ModelInput;
}

/** What one pass writes, deletes and sends. */
export interface PassPlan {
  result: CycleResult;
  receipt: StoredReceipt;
  input: CycleInput;
  /** The meta after the cycle (the loaded one is not changed). */
  meta: GoalMeta;
  writes: Record<string, unknown>;
  deletes: string[];
  /** The outbox entries this cycle wrote: sent at once after the commit. */
  outbox: Map<string, unknown>;
}

/**
 * Whether a pass of `kind` is a cadence cycle: the cadence is due, or the
 * alarm fired with nothing waiting (forced early, or re-run after a
 * restart). A cycle started by an arrival or an expiry never is early.
 */
export function isCadence(kind: PassKind, meta: GoalMeta, waiting: number, now: number): boolean {
  return now >= meta.cadenceAt || (kind === "alarm" && waiting === 0);
}

/** The trigger of a cycle: the cadence when due, else what waits first, else an expiry. */
function triggerOf(cadence: boolean, inbox: readonly [string, InboxItem][]): Trigger {
  if (cadence) return "alarm";
  const first = inbox[0]?.[1];
  if (first === undefined) return "approval";
  if (first.kind === "act_result") return "act";
  if (first.kind === "decision") return "approval";
  return first.trigger;
}

/** The cycle's inputs, from the taken inbox and the polls. */
export function cycleInput(loaded: Loaded): CycleInput {
  const { meta, now, cadence, inbox } = loaded;
  const observations: Observation[] = [...loaded.polled];
  const actResults: NonNullable<CycleInput["actResults"]> = [];
  const decisions: NonNullable<CycleInput["decisions"]> = [];
  for (const [, item] of inbox) {
    if (item.kind === "observations") observations.push(...item.observations);
    else if (item.kind === "act_result") actResults.push(item.result);
    else decisions.push(item.decision);
  }
  const input: CycleInput = {
    goalId: meta.id,
    now,
    trigger: triggerOf(cadence, inbox),
    observations,
  };
  if (actResults.length > 0) input.actResults = actResults;
  if (decisions.length > 0) input.decisions = decisions;
  if (meta.resumedAt !== null) input.resumedAt = meta.resumedAt;
  if (loaded.model !== undefined) input.model = loaded.model;
  return input;
}

/** Runs the cycle on what was loaded and lays out everything it leaves. */
export function planPass(loaded: Loaded): PassPlan {
  const started = performance.now();
  const { goal, state, now, cadence } = loaded;
  const input = cycleInput(loaded);
  const result = runCycle(goal, state, input);
  const durationMs = Math.round((loaded.loadMs + performance.now() - started) * 1000) / 1000;
  const receipt: StoredReceipt = {
    ...result.receipt,
    polls: loaded.polls,
    duration_ms: durationMs,
    spec_version: loaded.meta.specVersion,
  };
  const cycle = result.receipt.cycle;
  const meta: GoalMeta = { ...loaded.meta };

  const { goalId: _goalId, ...logged } = input;
  const log: LoggedInput = { ...logged, cycle, specVersion: meta.specVersion };
  const writes: Record<string, unknown> = {
    [keys.state]: result.state,
    [keys.receipt(cycle)]: receipt,
    [keys.log(cycle)]: log,
  };
  if (cycle % RETENTION.snapshotEvery === 0) {
    const snapshot: Snapshot = { cycle, specVersion: meta.specVersion, state: result.state };
    writes[keys.snapshot(cycle)] = snapshot;
  }
  const outbox = new Map<string, unknown>();
  for (const planned of result.actions) {
    if (planned.dry_run) continue;
    if (planned.awaiting_approval) {
      const record: ApprovalRecord = {
        tenant: meta.tenant,
        goalId: meta.id,
        key: planned.key,
        action: planned.action,
        rule: planned.rule,
        cycle,
        planned,
        requestedAt: now,
        expiresAt: now + goal.guard.approveWithinMs,
        status: "pending",
        decidedAt: null,
        decidedBy: null,
        reason: null,
      };
      writes[keys.approval(planned.key)] = record;
      outbox.set(keys.outboxApproval(planned.key), record);
      continue;
    }
    const message: ActionMessage = { tenant: meta.tenant, goalId: meta.id, cycle, planned };
    outbox.set(keys.outboxAction(planned.key), message);
  }
  for (const decision of result.receipt.decisions) {
    const record = loaded.expiring.get(decision.key);
    if (decision.decision !== "expired" || record === undefined) continue;
    const expired: ApprovalRecord = {
      ...record,
      status: "expired",
      decidedAt: decision.at,
      reason: decision.reason,
    };
    writes[keys.approval(decision.key)] = expired;
    outbox.set(keys.outboxApproval(decision.key), expired);
  }
  if (!result.receipt.quiet) outbox.set(keys.outboxCycle(cycle), receipt);
  Object.assign(writes, Object.fromEntries(outbox));

  if (cadence) meta.cadenceAt = now + goal.everyMs;
  if (input.trigger === "alarm") meta.resumedAt = null;
  meta.lastCycle = cycle;
  if (result.done) meta.status = "done";
  for (const [, item] of loaded.inbox) {
    meta.inboxItems = Math.max(0, meta.inboxItems - 1);
    meta.inboxBytes = Math.max(0, meta.inboxBytes - item.bytes);
  }

  // Retention: each cycle drops the one receipt that fell out of the window (the replay
  // log and snapshots are pruned a window at a time, see `housekeeping.ts`).
  const deletes = loaded.inbox.map(([key]) => key);
  if (cycle > RETENTION.receipts) deletes.push(keys.receipt(cycle - RETENTION.receipts));
  return { result, receipt, input, meta, writes, deletes, outbox };
}

/** What decides when a goal's alarm fires next. */
export interface AlarmInputs {
  now: number;
  status: GoalMeta["status"];
  /** Consecutive failed passes; while above 0 the goal retries at `retryAt`. */
  failures: number;
  retryAt: number;
  cadenceAt: number;
  /** Arrivals wait in the inbox for a cycle. */
  waiting: boolean;
  /** A cycle will run at once anyway (the one under way does another); the alarm only covers a restart. */
  again: boolean;
  /** When the D1 copies that wait are due, if any do. */
  copiesAt: number | undefined;
  /** The state, for when the first approval expires. */
  state: GoalState | undefined;
}

/** How soon the alarm takes over arrivals whose cycle will run at once anyway (in case the object restarts first). */
export const ARRIVAL_GRACE_MS = 2000;

/**
 * When the alarm should fire next, or null for none. A goal that is not
 * active has none, unless it is retrying sends after a failure; a failing
 * goal retries at its backoff; arrivals left waiting are taken at once (or
 * after a grace when a cycle runs for them anyway); otherwise the earliest of
 * the cadence, the D1 copies and an approval's expiry. Never in the past:
 * locally an alarm set to now can be lost.
 */
export function nextAlarmAt(inputs: AlarmInputs): number | null {
  const soonest = inputs.now + 1;
  if (inputs.status !== "active" && inputs.failures === 0) return null;
  if (inputs.failures > 0) return Math.max(inputs.retryAt, soonest);
  if (inputs.waiting) return inputs.again ? inputs.now + ARRIVAL_GRACE_MS : soonest;
  const expiry = inputs.state === undefined ? null : nextExpiry(inputs.state);
  const due = [
    inputs.cadenceAt,
    inputs.copiesAt ?? Number.POSITIVE_INFINITY,
    expiry ?? Number.POSITIVE_INFINITY,
  ];
  return Math.max(Math.min(...due), soonest);
}

/**
 * What the alarm firing at `now` should do: a cadence cycle when the
 * cadence is due or something waits or failed; an expiry cycle when an
 * approval expired before the cadence; else (it came early for the D1
 * copies, or a cycle meanwhile did what it was armed for) only the copies.
 */
export function alarmPass(inputs: {
  now: number;
  meta: GoalMeta;
  state: GoalState | undefined;
  waiting: boolean;
  early: boolean;
}): PassKind {
  const { now, meta, state, waiting, early } = inputs;
  const idle = meta.status === "active" && meta.failures === 0 && !waiting;
  if (!idle || now >= meta.cadenceAt) return "alarm";
  const expiry = state === undefined ? null : nextExpiry(state);
  if (expiry !== null && expiry <= now) return "expiry";
  return early ? "copies" : "alarm";
}
