/**
 * Reads of a goal's own storage that answer the API: the audit trail, the
 * replay log, and what a goal view needs. Nothing here writes.
 */
import type { GoalState, Receipt } from "../loop/index.ts";
import { keys, type LoggedCycle, RETENTION } from "./store.ts";

/** Receipts, oldest first: those after cycle `after`, or the latest `limit`. */
export async function listReceipts(
  storage: DurableObjectStorage,
  after: number | undefined,
  limit: number,
): Promise<Receipt[]> {
  if (after !== undefined) {
    const list = await storage.list<Receipt>({
      start: keys.receiptFrom(after + 1),
      prefix: "receipt:",
      limit,
    });
    return [...list.values()];
  }
  const list = await storage.list<Receipt>({ prefix: "receipt:", reverse: true, limit });
  return [...list.values()].reverse();
}

/** The observations each recorded cycle applied, oldest first. */
export async function replayLog(storage: DurableObjectStorage): Promise<LoggedCycle[]> {
  const list = await storage.list<LoggedCycle>({ prefix: "log:" });
  return [...list.values()];
}

/** The stored state, the armed alarm and the newest receipt, read together. */
export async function viewInputs(storage: DurableObjectStorage) {
  const [state, alarm, last] = await Promise.all([
    storage.get<GoalState>(keys.state),
    storage.getAlarm(),
    storage.list<Receipt>({ prefix: "receipt:", reverse: true, limit: 1 }),
  ]);
  return { state, alarm, last: [...last.values()][0] };
}

/** The answer to an earlier push with this idempotency key, while it is remembered. */
export async function priorPush(
  storage: DurableObjectStorage,
  key: string | undefined,
): Promise<{ accepted: number } | undefined> {
  if (key === undefined) return undefined;
  const seen = await storage.get<{ accepted: number; at: number }>(keys.idem(key));
  return seen && Date.now() - seen.at < RETENTION.idempotencyMs ? seen : undefined;
}
