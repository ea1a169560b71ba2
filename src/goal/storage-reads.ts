/**
 * Reads of a goal's own storage that answer the API: the audit trail, the
 * replay record, approvals, and the goal's view; and how a push's
 * idempotency key is answered. Nothing here writes.
 */
import { type GoalState, type LoggedInput, migrateState, type Receipt } from "../cycle/index.ts";
import type { GoalSpec } from "../spec/index.ts";
import {
  type ApprovalRecord,
  cycleOfKey,
  type GoalMeta,
  keys,
  RETENTION,
  type Snapshot,
} from "./store.ts";
import { type GoalView, goalView } from "./view.ts";

/**
 * Where a page of the audit trail starts: after cycle N's receipt (so the
 * fault receipts filed after cycle N come next), or after one fault receipt.
 * Written `N` or `N.T` (the fault at time T), as `next_after` gives it.
 */
export type ReceiptCursor = { cycle: number; fault?: number };

/** Parses `N` or `N.T`; undefined when it is neither. */
export function parseCursor(text: string): ReceiptCursor | undefined {
  const match = /^(\d{1,15})(?:\.(\d{1,15}))?$/.exec(text);
  if (!match) return undefined;
  const cycle = Number(match[1]);
  return match[2] === undefined ? { cycle } : { cycle, fault: Number(match[2]) };
}

/** The cursor of a receipt or fault receipt, for the next page. */
export function cursorOf(receipt: { cycle: number; at: number; fault?: unknown }): string {
  return receipt.fault === undefined ? String(receipt.cycle) : `${receipt.cycle}.${receipt.at}`;
}

/** Receipts and fault receipts, oldest first: those after `after`, or the latest `limit`. */
export async function listReceipts(
  storage: DurableObjectStorage,
  after: ReceiptCursor | undefined,
  limit: number,
): Promise<Receipt[]> {
  if (after !== undefined) {
    const list = await storage.list<Receipt>({
      startAfter:
        after.fault === undefined
          ? keys.receipt(after.cycle)
          : keys.fault(after.cycle, after.fault),
      prefix: "receipt:",
      limit,
    });
    return [...list.values()];
  }
  const list = await storage.list<Receipt>({ prefix: "receipt:", reverse: true, limit });
  return [...list.values()].reverse();
}

/**
 * What replay runs over: the oldest snapshot kept, every cycle's inputs
 * since (oldest first), and the spec versions they ran with. Null before a
 * goal has a snapshot (one recorded before replay was exact, until its next pass).
 */
export interface ReplayRecord {
  base: Snapshot;
  log: LoggedInput[];
  specs: Record<number, GoalSpec>;
}

export async function replayRecord(storage: DurableObjectStorage): Promise<ReplayRecord | null> {
  const [snapshots, specs] = await Promise.all([
    storage.list<Snapshot>({ prefix: "snapshot:", limit: 1 }),
    storage.list<GoalSpec>({ prefix: "spec:" }),
  ]);
  const base = [...snapshots.values()][0];
  if (base === undefined) return null;
  const log = await storage.list<LoggedInput>({
    prefix: "log:",
    startAfter: keys.log(base.cycle),
  });
  return {
    base,
    log: [...log.values()],
    specs: Object.fromEntries([...specs].map(([key, spec]) => [cycleOfKey(key), spec])),
  };
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

/** The goal as its view shows it: its meta with the stored state (migrated), alarm and newest receipt. */
export async function readView(storage: DurableObjectStorage, meta: GoalMeta): Promise<GoalView> {
  const { state, alarm, last } = await viewInputs(storage);
  return goalView(meta, state ? migrateState(state) : undefined, alarm, last, Date.now());
}

/** The goal's approvals, newest first, optionally only those with `status`. */
export async function listApprovals(
  storage: DurableObjectStorage,
  status?: ApprovalRecord["status"],
): Promise<ApprovalRecord[]> {
  const all = [...(await storage.list<ApprovalRecord>({ prefix: "approval:" })).values()];
  return all
    .filter((record) => status === undefined || record.status === status)
    .sort((a, b) => b.requestedAt - a.requestedAt || (a.key < b.key ? 1 : -1));
}

/** Decided approvals beyond the newest `RETENTION.decidedApprovals`: their keys, to delete. */
export function staleApprovals(records: readonly ApprovalRecord[]): string[] {
  return records
    .filter((record) => record.status !== "pending")
    .sort((a, b) => (b.decidedAt ?? 0) - (a.decidedAt ?? 0))
    .slice(RETENTION.decidedApprovals)
    .map((record) => keys.approval(record.key));
}

/** A pushed name the goal does not observe, and why it was not taken. */
export interface IgnoredName {
  name: string;
  reason: string;
}

/**
 * A push's idempotency key as the goal keeps it, in the same write as the
 * observations it brought. `fingerprint` (a hash of the body) is absent on
 * keys kept before it was recorded.
 */
export interface PushKey {
  accepted: number;
  ignored?: IgnoredName[];
  at: number;
  fingerprint?: string;
}

/**
 * A push's answer: taken (or a repeat of one taken), its key already used by
 * another body, nothing in it the goal observes (for a payload pushed as it
 * is, `payload`: no push source found a value in it), or the inbox full.
 */
export type PushOutcome =
  | { accepted: number; ignored: IgnoredName[]; duplicate: boolean }
  | { reused: true }
  | { none: IgnoredName[]; observed: string[]; payload?: true }
  | {
      full: { items: number; bytes: number; max_items: number; max_bytes: number; status: string };
    };

/**
 * How a push with this idempotency key is answered: from the earlier push
 * with the key, while it is remembered (a repeat is not counted twice; the
 * same key with another body is refused), or else the entries to write with
 * its observations.
 */
export async function checkPushKey(
  storage: DurableObjectStorage,
  idempotency: { key: string; fingerprint: string } | undefined,
  answer: { accepted: number; ignored: IgnoredName[] },
  now: number,
): Promise<{ answer: PushOutcome } | { remember: Record<string, unknown> }> {
  if (idempotency === undefined) return { remember: {} };
  const { key, fingerprint } = idempotency;
  const seen = await storage.get<PushKey>(keys.idem(key));
  if (seen && now - seen.at < RETENTION.idempotencyMs) {
    const same = seen.fingerprint === undefined || seen.fingerprint === fingerprint;
    return {
      answer: same
        ? { accepted: seen.accepted, ignored: seen.ignored ?? [], duplicate: true }
        : { reused: true },
    };
  }
  const kept: PushKey = { ...answer, at: now, fingerprint };
  return { remember: { [keys.idem(key)]: kept, [keys.idemAt(now, key)]: key } };
}
