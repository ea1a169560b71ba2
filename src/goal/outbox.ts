/**
 * Sends what a cycle decided on: actions to the ACTIONS queue, acting-cycle
 * receipts to D1, status events to the OBSERVATIONS queue. An entry leaves
 * the outbox only after its send succeeded, so a fault or crash resends it
 * (receivers deduplicate by idempotency key and cycle number).
 *
 * The D1 copies of receipts are not urgent (the goal's own storage answers
 * for its receipts): the goal writes them in batches, shortly after the
 * cycles, so they stay off the path from a push to its action.
 */
import { type Db, database } from "../db/client.ts";
import { type GoalStatus, insertCycles, setGoalStatus } from "../db/goals.ts";
import type { Receipt } from "../loop/index.ts";
import { chunks } from "./cycle-step.ts";
import type { ActionMessage, GoalEvent } from "./messages.ts";
import { COPIES_PREFIX, type GoalMeta, keys } from "./store.ts";

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
async function copyReceipts(
  db: Db,
  meta: GoalMeta,
  copies: [string, Receipt][],
): Promise<string[]> {
  const rows = copies.map(([, receipt]) => ({
    tenant: meta.tenant,
    goalId: meta.id,
    cycle: receipt.cycle,
    at: receipt.at,
    receipt: receipt as unknown as Record<string, unknown>,
  }));
  await insertCycles(db, rows);
  return copies.map(([key]) => key);
}

/**
 * Sends the outbox (`known`: exactly these entries, when the caller knows
 * nothing else is waiting; else it is listed); returns how many actions went out.
 */
export async function flushOutbox(
  storage: DurableObjectStorage,
  env: Env,
  meta: GoalMeta,
  known?: ReadonlyMap<string, unknown>,
): Promise<number> {
  const entries = known ?? (await storage.list<unknown>({ prefix: "outbox:", limit: 500 }));
  if (entries.size === 0) return 0;
  const actions: [string, ActionMessage][] = [];
  const cycleReceipts: [string, Receipt][] = [];
  const events: [string, GoalEvent][] = [];
  for (const [key, value] of entries) {
    if (key.startsWith("outbox:action:")) actions.push([key, value as ActionMessage]);
    else if (isCopy(key)) cycleReceipts.push([key, value as Receipt]);
    else if (key.startsWith("outbox:event:")) events.push([key, value as GoalEvent]);
  }
  // The sends are independent: they go out side by side, and what went out leaves the
  // outbox in one delete (one commit) even when another send failed.
  const db = database(env.DB);
  const sends: Promise<string[]>[] = [
    ...chunks(actions, 100).map(async (part) => {
      await env.ACTIONS.sendBatch(part.map(([, body]) => ({ body, contentType: "json" })));
      return part.map(([key]) => key);
    }),
    ...(cycleReceipts.length > 0 ? [copyReceipts(db, meta, cycleReceipts)] : []),
    ...events.map(async ([key, event]) => {
      await setGoalStatus(db, event.tenant, event.goalId, event.status as GoalStatus, event.at);
      await env.OBSERVATIONS.send(event, { contentType: "json" });
      return [key];
    }),
  ];
  const outcomes = await Promise.allSettled(sends);
  const done = outcomes.flatMap((o) => (o.status === "fulfilled" ? o.value : []));
  await Promise.all(chunks(done, 128).map((part) => storage.delete(part)));
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
  if (failed) throw failed.reason;
  return actions.length;
}

/** Writes the oldest D1 copies waiting in the outbox, one pass's worth; whether more wait. */
export async function flushCopies(
  storage: DurableObjectStorage,
  env: Env,
  meta: GoalMeta,
): Promise<boolean> {
  const copies = await storage.list<unknown>({ prefix: COPIES_PREFIX, limit: COPIES_PER_PASS });
  await flushOutbox(storage, env, meta, copies);
  return copies.size === COPIES_PER_PASS;
}
