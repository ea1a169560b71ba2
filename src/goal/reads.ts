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

/**
 * A push's idempotency key as the goal keeps it, in the same write as the
 * observations it brought. `fingerprint` (a hash of the body) is absent on
 * keys kept before it was recorded.
 */
export interface PushKey {
  accepted: number;
  at: number;
  fingerprint?: string;
}

/** A push's answer: taken (or a repeat of one taken), or its key already used by another body. */
export type PushOutcome = { accepted: number; duplicate: boolean } | { reused: true };

/**
 * How a push with this idempotency key is answered: from the earlier push
 * with the key, while it is remembered (a repeat is not counted twice; the
 * same key with another body is refused), or else the entry to write with
 * its observations.
 */
export async function checkPushKey(
  storage: DurableObjectStorage,
  idempotency: { key: string; fingerprint: string } | undefined,
  accepted: number,
  now: number,
): Promise<{ answer: PushOutcome } | { remember: Record<string, PushKey> }> {
  if (idempotency === undefined) return { remember: {} };
  const { key, fingerprint } = idempotency;
  const seen = await storage.get<PushKey>(keys.idem(key));
  if (seen && now - seen.at < RETENTION.idempotencyMs) {
    const same = seen.fingerprint === undefined || seen.fingerprint === fingerprint;
    return { answer: same ? { accepted: seen.accepted, duplicate: true } : { reused: true } };
  }
  return { remember: { [keys.idem(key)]: { accepted, at: now, fingerprint } } };
}
