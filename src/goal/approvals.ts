/**
 * Deciding on an action held for approval, as the goal's object does it.
 * The approval's record in the goal's storage is the one source of truth:
 * the first decision is written there (and copied to D1 for the tenant's
 * inbox), an approved action goes to the outbox with its original key, and
 * the decision is filed for the next cycle, whose receipt records it.
 * `decideApproval` works out the outcome; `takeDecision` stores and sends it.
 */
import type { Decider } from "../cycle/index.ts";
import type { ActionMessage } from "../queues.ts";
import { jsonBytes } from "../spec/index.ts";
import { enqueue } from "./inbox.ts";
import type { Instance } from "./instance.ts";
import { listApprovals, staleApprovals } from "./storage-reads.ts";
import { type ApprovalRecord, type GoalMeta, type InboxItem, keys } from "./store.ts";

/** How a decision was answered. */
export type Decision =
  /** Taken now. */
  | { kind: "decided"; record: ApprovalRecord }
  /** The same decision was taken before: nothing changes. */
  | { kind: "repeated"; record: ApprovalRecord }
  /** Decided otherwise before, or expired: the first outcome stands. */
  | { kind: "conflict"; record: ApprovalRecord }
  /** No such action awaits approval in this goal. */
  | { kind: "missing" };

/** A decision taken: what to write with it and the inbox item that brings it to the loop. */
type Taken = {
  kind: "decided";
  record: ApprovalRecord;
  item: InboxItem;
  writes: Record<string, unknown>;
  /** Decided approvals beyond those kept, to delete. */
  drop: string[];
};

export async function decideApproval(
  storage: DurableObjectStorage,
  meta: GoalMeta,
  key: string,
  decision: "approved" | "rejected",
  by: Decider,
  reason: string | null,
): Promise<Exclude<Decision, { kind: "decided" }> | Taken> {
  const record = await storage.get<ApprovalRecord>(keys.approval(key));
  if (record === undefined) return { kind: "missing" };
  const now = Date.now();
  if (record.status === "pending" && now >= record.expiresAt) {
    // The loop expires it on its next cycle (its alarm is armed for it); the outcome is already known.
    return {
      kind: "conflict",
      record: { ...record, status: "expired", decidedAt: record.expiresAt },
    };
  }
  if (record.status !== "pending") {
    return record.status === decision ? { kind: "repeated", record } : { kind: "conflict", record };
  }
  const decided: ApprovalRecord = {
    ...record,
    status: decision,
    decidedAt: now,
    decidedBy: by,
    reason,
  };
  const writes: Record<string, unknown> = {
    [keys.approval(key)]: decided,
    [keys.outboxApproval(key)]: decided,
  };
  if (decision === "approved") {
    const message: ActionMessage = {
      tenant: meta.tenant,
      goalId: meta.id,
      cycle: record.cycle,
      planned: { ...record.planned, awaiting_approval: false },
    };
    writes[keys.outboxAction(key)] = message;
  }
  const drop = staleApprovals(await listApprovals(storage));
  const item: InboxItem = {
    kind: "decision",
    decision: {
      action: record.action,
      key,
      decision,
      by,
      ...(reason === null ? {} : { reason }),
      at: now,
      chain: record.planned.chain,
    },
    at: now,
    bytes: 0,
  };
  item.bytes = jsonBytes(item.decision);
  return { kind: "decided", record: decided, writes, item, drop };
}

/**
 * A person's decision on an action awaiting approval. The first decision
 * stands: the same decision again is answered as it was, another one is a
 * conflict, and so is one after the approval expired. An approval sends the
 * held action with its original key at once; the decision reaches the
 * loop's next cycle, which records who decided, when and why.
 */
export async function takeDecision(
  instance: Instance,
  meta: GoalMeta,
  key: string,
  decision: "approved" | "rejected",
  by: Decider,
  reason: string | null,
): Promise<Decision> {
  const { storage } = instance.ctx;
  const outcome = await decideApproval(storage, meta, key, decision, by, reason);
  if (outcome.kind !== "decided") return outcome;
  instance.sender.unsure(); // an approved action waits in the outbox now
  await enqueue(instance, meta, outcome.item, outcome.writes);
  if (outcome.drop.length > 0) await storage.delete(outcome.drop);
  if (meta.status !== "active") await instance.sender.flush(meta);
  return { kind: "decided", record: outcome.record };
}
