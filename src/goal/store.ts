/**
 * The layout of a goal's Durable Object storage. Keys sort in time order, so
 * prefix listings read oldest first.
 *
 * - `meta`                 who the goal is and its spec (written when they change)
 * - `loop`                 status, cadence, counters (small; written every cycle)
 * - `state`                the loop state (GoalState), written once per cycle
 * - `inbox:<seq>`          observations, act results and decisions waiting for the next cycle
 * - `receipt:<cycle>`      the audit trail (bounded); `receipt:<cycle>:fault:<at>` a fault after it
 * - `faults`               the keys of the fault receipts kept (bounded)
 * - `log:<cycle>`          every cycle's inputs, exactly, for replay (bounded)
 * - `snapshot:<cycle>`     the state after a cycle, where replay of the log starts
 * - `spec:<version>`       the spec versions the kept log ran with
 * - `outbox:<kind>:<id>`   sends a cycle decided on, deleted once done (a crash resends)
 * - `idem:<key>`           push idempotency keys; `idemat:<at>:<key>` orders them for expiry
 * - `approval:<key>`       actions waiting for a person, and how they were decided
 * - `liveticket:<hash>`    unused live-channel tickets (their expiry), see `live.ts`
 * - `deleted`              when the goal was deleted (all that is left of it)
 */

import type {
  ActResult,
  ApprovalDecision,
  Chain,
  Decider,
  GoalState,
  Observation,
  PlannedAction,
  Trigger,
} from "../cycle/index.ts";
import type { GoalStatus } from "../db/goals.ts";
import type { GoalSpec } from "../spec/index.ts";

export interface GoalMeta {
  id: string;
  tenant: string;
  name: string;
  spec: GoalSpec;
  specVersion: number;
  status: GoalStatus;
  /** The goal and spawn action that created this one; its completion is reported there. */
  parent: SpawnedBy | null;
  createdAt: number;
  /** When the next cadence (alarm-triggered) cycle is due. */
  cadenceAt: number;
  /** The number of the last cycle that ran (faults are filed after it). */
  lastCycle: number;
  /** Consecutive failed cycles (drives backoff). */
  failures: number;
  nextSeq: number;
  lastFault: { at: number; message: string } | null;
  /** Items and bytes waiting in the inbox (bounded: see `INBOX_LIMITS`). */
  inboxItems: number;
  inboxBytes: number;
  /** When the goal was last resumed, until the next alarm cycle has taken it into account. */
  resumedAt: number | null;
}

/** Where a spawned goal came from. */
export interface SpawnedBy {
  goalId: string;
  action: string;
  key: string;
  /** The spawn action's chain, which the sub-goal's report continues. */
  chain?: Chain;
}

/** Something waiting for the next cycle; `bytes` is its size as JSON, counted against the inbox. */
export type InboxItem =
  | {
      kind: "observations";
      trigger: Trigger;
      observations: Observation[];
      at: number;
      bytes: number;
    }
  | { kind: "act_result"; result: ActResult; at: number; bytes: number }
  | { kind: "decision"; decision: ApprovalDecision; at: number; bytes: number };

/** A recorded cycle's inputs (see `LoggedInput` in the loop). */
export type { LoggedInput } from "../cycle/index.ts";

/** The state after `cycle`, where replaying the log that follows it starts. */
export interface Snapshot {
  cycle: number;
  specVersion: number;
  state: GoalState;
}

/** An action held for a person's approval, and what became of it. */
export interface ApprovalRecord {
  tenant: string;
  goalId: string;
  key: string;
  action: string;
  rule: string;
  cycle: number;
  /** The action as planned: approval sends exactly this, with its key. */
  planned: PlannedAction;
  requestedAt: number;
  expiresAt: number;
  status: "pending" | "approved" | "rejected" | "expired";
  decidedAt: number | null;
  decidedBy: Decider | null;
  reason: string | null;
}

/** What is kept per goal; older entries are pruned. */
export const RETENTION = {
  receipts: 500,
  /** Cycles of inputs kept for replay: between this and this plus `snapshotEvery`. */
  log: 2000,
  /** A snapshot of the state every this many cycles, where replay can start. */
  snapshotEvery: 500,
  /** Fault receipts kept. */
  faults: 100,
  /** Decided approvals kept (pending ones always are). */
  decidedApprovals: 100,
  idempotencyMs: 24 * 3600 * 1000,
} as const;

/**
 * The inbox's bounds. Pushes beyond them are refused (429 INBOX_FULL) until
 * cycles take what waits; results of the goal's own actions and decisions on
 * approvals are always taken, and events from records, streams and other
 * goals up to `hardBytes` (beyond, their queue delivers them again later).
 * One cycle takes at most `cycleBytes` of it (at least one item).
 */
export const INBOX_LIMITS = {
  items: 1000,
  bytes: 4 * 1024 * 1024,
  hardBytes: 16 * 1024 * 1024,
  cycleBytes: 256 * 1024,
  /** Items one cycle reads at most. */
  cycleItems: 50,
} as const;

const pad = (n: number, width = 12) => String(Math.max(0, Math.floor(n))).padStart(width, "0");

/** Where the D1 copies of acting cycles wait in the outbox. */
export const COPIES_PREFIX = "outbox:cycle:";

export const keys = {
  meta: "meta",
  loop: "loop",
  state: "state",
  faults: "faults",
  inbox: (seq: number) => `inbox:${pad(seq)}`,
  receipt: (cycle: number) => `receipt:${pad(cycle)}`,
  fault: (cycle: number, at: number) => `receipt:${pad(cycle)}:fault:${pad(at, 14)}`,
  log: (cycle: number) => `log:${pad(cycle)}`,
  snapshot: (cycle: number) => `snapshot:${pad(cycle)}`,
  spec: (version: number) => `spec:${pad(version)}`,
  outboxAction: (key: string) => `outbox:action:${key}`,
  outboxCycle: (cycle: number) => `${COPIES_PREFIX}${pad(cycle)}`,
  outboxEvent: (at: number) => `outbox:event:${pad(at, 14)}`,
  outboxApproval: (key: string) => `outbox:approval:${key}`,
  idem: (key: string) => `idem:${key}`,
  idemAt: (at: number, key: string) => `idemat:${pad(at, 14)}:${key}`,
  approval: (key: string) => `approval:${key}`,
  liveTicket: (hash: string) => `liveticket:${hash}`,
  deleted: "deleted",
} as const;

/** The cycle a receipt, log or snapshot key names. */
export function cycleOfKey(key: string): number {
  return Number(key.split(":")[1]);
}

/** The fields of GoalMeta that change every cycle, stored apart from the spec. */
type LoopFields = Pick<
  GoalMeta,
  | "status"
  | "cadenceAt"
  | "lastCycle"
  | "failures"
  | "nextSeq"
  | "lastFault"
  | "inboxItems"
  | "inboxBytes"
  | "resumedAt"
>;

/** Storage writes for `meta`: the small `loop` part always, the spec part when it changed. */
export function metaWrites(meta: GoalMeta, specChanged: boolean): Record<string, unknown> {
  const {
    status,
    cadenceAt,
    lastCycle,
    failures,
    nextSeq,
    lastFault,
    inboxItems,
    inboxBytes,
    resumedAt,
    ...fixed
  } = meta;
  const loop: LoopFields = {
    status,
    cadenceAt,
    lastCycle,
    failures,
    nextSeq,
    lastFault,
    inboxItems,
    inboxBytes,
    resumedAt,
  };
  return specChanged ? { [keys.meta]: fixed, [keys.loop]: loop } : { [keys.loop]: loop };
}

/** Reads `meta` back from its two keys (fields added since a goal was stored take their defaults). */
export async function readMeta(storage: DurableObjectStorage): Promise<GoalMeta | undefined> {
  const [fixed, loop] = await Promise.all([
    storage.get<Omit<GoalMeta, keyof LoopFields>>(keys.meta),
    storage.get<Partial<LoopFields> & Omit<LoopFields, "inboxItems" | "inboxBytes" | "resumedAt">>(
      keys.loop,
    ),
  ]);
  if (!fixed || !loop) return undefined;
  return { inboxItems: 0, inboxBytes: 0, resumedAt: null, ...fixed, ...loop };
}

/** The delay before the next try after `failures` consecutive failed cycles. */
export function backoffMs(failures: number, everyMs: number): number {
  return Math.min(Math.max(everyMs, 1000 * 2 ** Math.min(failures, 20)), 10 * 60_000);
}

export interface GoalInit {
  id: string;
  tenant: string;
  spec: GoalSpec;
  /** 1 unless the registry holds a later version (a goal started late from its row). */
  specVersion?: number;
  parent: SpawnedBy | null;
  createdAt: number;
}

/** The meta of a goal registered now. */
export function newMeta(init: GoalInit, now: number): GoalMeta {
  return {
    id: init.id,
    tenant: init.tenant,
    name: init.spec.name,
    spec: init.spec,
    specVersion: init.specVersion ?? 1,
    status: "active",
    parent: init.parent,
    createdAt: init.createdAt,
    cadenceAt: now,
    lastCycle: 0,
    failures: 0,
    nextSeq: 1,
    lastFault: null,
    inboxItems: 0,
    inboxBytes: 0,
    resumedAt: null,
  };
}
