/**
 * The layout of a goal's Durable Object storage. Keys sort in time order, so
 * prefix listings read oldest first.
 *
 * - `meta`                 who the goal is and its spec (written when they change)
 * - `loop`                 status, cadence, counters (small; written every cycle)
 * - `state`                the loop state (GoalState), written once per cycle
 * - `inbox:<seq>`          observations and act results waiting for the next cycle
 * - `receipt:<cycle>`      the audit trail (bounded); `receipt:<cycle>:fault:<at>` a fault after it
 * - `log:<cycle>`          the observations each cycle applied, for replay (bounded)
 * - `outbox:<kind>:<id>`   sends a cycle decided on, deleted once done (a crash resends)
 * - `idem:<key>`           push idempotency keys (expire)
 * - `approval:<key>`       actions waiting for a person
 * - `deleted`              when the goal was deleted (all that is left of it)
 */
import type { GoalStatus } from "../db/goals.ts";
import type { ActResult, GoalSpec, Observation, Trigger } from "../loop/index.ts";

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
}

/** Where a spawned goal came from. */
export interface SpawnedBy {
  goalId: string;
  action: string;
  key: string;
}

export type InboxItem =
  | { kind: "observations"; trigger: Trigger; observations: Observation[]; at: number }
  | { kind: "act_result"; result: ActResult; at: number };

/** What one cycle applied, for replay. */
export interface LoggedCycle {
  at: number;
  trigger: Trigger;
  values: Record<string, unknown>;
}

/** Receipts and replay logs kept per goal; older ones are pruned. */
export const RETENTION = {
  receipts: 500,
  log: 2000,
  inbox: 1000,
  idempotencyMs: 24 * 3600 * 1000,
} as const;

const pad = (n: number, width = 12) => String(Math.max(0, Math.floor(n))).padStart(width, "0");

/** Where the D1 copies of acting cycles wait in the outbox. */
export const COPIES_PREFIX = "outbox:cycle:";

export const keys = {
  meta: "meta",
  loop: "loop",
  state: "state",
  inbox: (seq: number) => `inbox:${pad(seq)}`,
  receipt: (cycle: number) => `receipt:${pad(cycle)}`,
  fault: (cycle: number, at: number) => `receipt:${pad(cycle)}:fault:${pad(at, 14)}`,
  receiptFrom: (cycle: number) => `receipt:${pad(cycle)}`,
  log: (cycle: number) => `log:${pad(cycle)}`,
  outboxAction: (key: string) => `outbox:action:${key}`,
  outboxCycle: (cycle: number) => `${COPIES_PREFIX}${pad(cycle)}`,
  outboxEvent: (at: number) => `outbox:event:${pad(at, 14)}`,
  idem: (key: string) => `idem:${key}`,
  approval: (key: string) => `approval:${key}`,
  deleted: "deleted",
} as const;

/** The fields of GoalMeta that change every cycle, stored apart from the spec. */
type LoopFields = Pick<
  GoalMeta,
  "status" | "cadenceAt" | "lastCycle" | "failures" | "nextSeq" | "lastFault"
>;

/** Storage writes for `meta`: the small `loop` part always, the spec part when it changed. */
export function metaWrites(meta: GoalMeta, specChanged: boolean): Record<string, unknown> {
  const { status, cadenceAt, lastCycle, failures, nextSeq, lastFault, ...fixed } = meta;
  const loop: LoopFields = { status, cadenceAt, lastCycle, failures, nextSeq, lastFault };
  return specChanged ? { [keys.meta]: fixed, [keys.loop]: loop } : { [keys.loop]: loop };
}

/** Reads `meta` back from its two keys. */
export async function readMeta(storage: DurableObjectStorage): Promise<GoalMeta | undefined> {
  const [fixed, loop] = await Promise.all([
    storage.get<Omit<GoalMeta, keyof LoopFields>>(keys.meta),
    storage.get<LoopFields>(keys.loop),
  ]);
  return fixed && loop ? { ...fixed, ...loop } : undefined;
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
  };
}

/** Schedules a cycle `delayMs` (at least 1) from now unless one is due sooner. */
export async function wakeSoon(storage: DurableObjectStorage, delayMs = 1): Promise<void> {
  const soon = Date.now() + Math.max(1, delayMs);
  const current = await storage.getAlarm();
  if (current === null || current > soon) await storage.setAlarm(soon);
}
