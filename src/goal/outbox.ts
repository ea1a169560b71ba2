/**
 * Sends what a cycle decided on: actions to the ACTIONS queue, acting-cycle
 * receipts and approvals to D1, status events to the OBSERVATIONS queue. An
 * entry leaves the outbox only after its send succeeded, so a fault or crash
 * resends it (receivers deduplicate by idempotency key and cycle number);
 * entries that fail do not hold up the others (see `sender.ts` for when one
 * is given up).
 *
 * The D1 copies of receipts are not urgent (the goal's own storage answers
 * for its receipts): the goal writes them in batches, shortly after the
 * cycles, so they stay off the path from a push to its action.
 */

import type { Receipt } from "../cycle/index.ts";
import { upsertApprovals } from "../db/approvals.ts";
import { type Db, database } from "../db/client.ts";
import { type GoalStatus, insertCycles, setGoalStatus } from "../db/goals.ts";
import type { ApprovalRow } from "../db/schema.ts";
import type { ActionMessage, GoalEvent } from "../queues.ts";
import { jsonBytes } from "../spec/index.ts";
import { chunks } from "./cycle-step.ts";
import { type ApprovalRecord, COPIES_PREFIX, type GoalMeta, keys } from "./store.ts";

/** Queues the event of a status change (D1 registry, watchers, parent) in the outbox. */
export function statusEvent(meta: GoalMeta, status: GoalStatus, at: number): GoalEvent {
  return {
    type: "goal",
    tenant: meta.tenant,
    goalId: meta.id,
    status,
    at,
    ...(meta.parent ? { parent: meta.parent } : {}),
  };
}

/** Files a status event in the outbox and adds it to `fresh`, the entries this cycle wrote. */
export async function fileStatusEvent(
  storage: DurableObjectStorage,
  meta: GoalMeta,
  status: GoalStatus,
  at: number,
  fresh: Map<string, unknown>,
): Promise<void> {
  const event = statusEvent(meta, status, at);
  await storage.put(keys.outboxEvent(at), event);
  fresh.set(keys.outboxEvent(at), event);
}

/** Whether an outbox key is a D1 copy of a receipt (sent in batches, after the cycle). */
export const isCopy = (key: string): boolean => key.startsWith(COPIES_PREFIX);

/** D1 copies written per pass (one D1 batch). */
const COPIES_PER_PASS = 100;

/** Writes the D1 copies of receipts in one round trip; returns their outbox keys. */
async function copyReceipts(db: Db, meta: GoalMeta, copies: [string, Receipt][]): Promise<void> {
  const rows = copies.map(([, receipt]) => ({
    tenant: meta.tenant,
    goalId: meta.id,
    cycle: receipt.cycle,
    at: receipt.at,
    receipt: receipt as unknown as Record<string, unknown>,
  }));
  await insertCycles(db, rows);
}

/** The largest action message the queue takes (128 KB), less a margin. */
export const MAX_MESSAGE_BYTES = 120 * 1024;
/** What one `sendBatch` takes: 100 messages, 256 KB together (less a margin). */
const BATCH_MESSAGES = 100;
const BATCH_BYTES = 240 * 1024;

/** Action messages in batches the queue takes, by count and by bytes. */
export function actionBatches(
  actions: readonly [string, ActionMessage, number][],
): [string, ActionMessage, number][][] {
  const batches: [string, ActionMessage, number][][] = [];
  let batch: [string, ActionMessage, number][] = [];
  let bytes = 0;
  for (const entry of actions) {
    if (batch.length === BATCH_MESSAGES || (batch.length > 0 && bytes + entry[2] > BATCH_BYTES)) {
      batches.push(batch);
      [batch, bytes] = [[], 0];
    }
    batch.push(entry);
    bytes += entry[2];
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** An approval's D1 row. */
function approvalRow(record: ApprovalRecord): ApprovalRow {
  return {
    key: record.key,
    tenant: record.tenant,
    goalId: record.goalId,
    action: record.action,
    rule: record.rule,
    cycle: record.cycle,
    kind: record.planned.kind,
    payload: record.planned.payload,
    status: record.status,
    requestedAt: record.requestedAt,
    expiresAt: record.expiresAt,
    decidedAt: record.decidedAt,
    decidedBy: record.decidedBy,
    reason: record.reason,
  };
}

/** What a flush did: actions sent, and the entries that could not be sent, with why. */
export interface Flushed {
  actions: number;
  /** The outbox keys that went out. */
  sent: string[];
  failed: { key: string; value: unknown; error: unknown; permanent: boolean }[];
}

/**
 * Sends the outbox (`known`: exactly these entries, when the caller knows
 * nothing else is waiting; else it is listed). Every send is independent:
 * what went out leaves the outbox in one delete even when another send
 * failed, and the failures are returned (an action message too large for
 * the queue is a permanent failure and is never sent).
 */
export async function flushOutbox(
  storage: DurableObjectStorage,
  env: Env,
  meta: GoalMeta,
  known?: ReadonlyMap<string, unknown>,
): Promise<Flushed> {
  const entries = known ?? (await storage.list<unknown>({ prefix: "outbox:", limit: 500 }));
  const flushed: Flushed = { actions: 0, sent: [], failed: [] };
  if (entries.size === 0) return flushed;
  const actions: [string, ActionMessage, number][] = [];
  const cycleReceipts: [string, Receipt][] = [];
  const events: [string, GoalEvent][] = [];
  const approvalCopies: [string, ApprovalRecord][] = [];
  for (const [key, value] of entries) {
    if (key.startsWith("outbox:action:")) {
      const bytes = jsonBytes(value);
      if (bytes > MAX_MESSAGE_BYTES) {
        const error = new Error(
          `the action message is ${bytes} bytes; a queue takes at most ${MAX_MESSAGE_BYTES}`,
        );
        flushed.failed.push({ key, value, error, permanent: true });
      } else actions.push([key, value as ActionMessage, bytes]);
    } else if (isCopy(key)) cycleReceipts.push([key, value as Receipt]);
    else if (key.startsWith("outbox:event:")) events.push([key, value as GoalEvent]);
    else if (key.startsWith("outbox:approval:"))
      approvalCopies.push([key, value as ApprovalRecord]);
  }
  const db = database(env);
  const sends: { keys: string[]; send: Promise<unknown> }[] = [
    ...actionBatches(actions).map((batch) => ({
      keys: batch.map(([key]) => key),
      send: env.ACTIONS.sendBatch(batch.map(([, body]) => ({ body, contentType: "json" }))),
    })),
    ...(cycleReceipts.length > 0
      ? [{ keys: cycleReceipts.map(([key]) => key), send: copyReceipts(db, meta, cycleReceipts) }]
      : []),
    ...(approvalCopies.length > 0
      ? [
          {
            keys: approvalCopies.map(([key]) => key),
            send: upsertApprovals(
              db,
              approvalCopies.map(([, record]) => approvalRow(record)),
            ),
          },
        ]
      : []),
    ...events.map(([key, event]) => ({
      keys: [key],
      send: (async () => {
        await setGoalStatus(db, event.tenant, event.goalId, event.status as GoalStatus, event.at);
        await env.OBSERVATIONS.send(event, { contentType: "json" });
      })(),
    })),
  ];
  const outcomes = await Promise.allSettled(sends.map((s) => s.send));
  const done: string[] = [];
  outcomes.forEach((outcome, i) => {
    const sent = sends[i];
    if (sent === undefined) return;
    if (outcome.status === "fulfilled") {
      done.push(...sent.keys);
      return;
    }
    for (const key of sent.keys) {
      flushed.failed.push({
        key,
        value: entries.get(key),
        error: outcome.reason,
        permanent: false,
      });
    }
  });
  await Promise.all(chunks(done, 128).map((part) => storage.delete(part)));
  flushed.actions = done.filter((key) => key.startsWith("outbox:action:")).length;
  flushed.sent = done;
  return flushed;
}

/** Writes the oldest D1 copies waiting in the outbox, one pass's worth. */
export async function flushCopies(
  storage: DurableObjectStorage,
  env: Env,
  meta: GoalMeta,
): Promise<{ flushed: Flushed; more: boolean }> {
  const copies = await storage.list<unknown>({ prefix: COPIES_PREFIX, limit: COPIES_PER_PASS });
  const flushed = await flushOutbox(storage, env, meta, copies);
  return { flushed, more: copies.size === COPIES_PER_PASS };
}
