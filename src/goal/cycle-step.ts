/**
 * One cycle as the Durable Object runs it: load what the cycle needs (the
 * inbox items it takes, within a byte budget; the pulled sources when the
 * cadence is due; approvals that expire), plan the pass (pure, `pass.ts`),
 * and store everything it leaves in one transaction.
 */
import type { GoalState } from "../cycle/index.ts";
import type { CompiledGoal } from "../spec/index.ts";
import { isCadence, type Loaded, type PassKind, type PassPlan, planPass } from "./pass.ts";
import { pollSources } from "./poll.ts";
import {
  type ApprovalRecord,
  type GoalMeta,
  INBOX_LIMITS,
  type InboxItem,
  keys,
  metaWrites,
} from "./store.ts";

export interface StepOutcome {
  plan: PassPlan;
  /** Whether inbox items are left over (more than one cycle takes). */
  moreInbox: boolean;
}

/**
 * The inbox items the next cycle takes: oldest first, until they reach the
 * cycle's byte budget (at least one, whatever its size), so one cycle's
 * inputs, log entry and receipt stay within what storage takes.
 */
export async function takeInbox(
  storage: DurableObjectStorage,
): Promise<{ taken: [string, InboxItem][]; more: boolean }> {
  const listed = await storage.list<InboxItem>({
    prefix: "inbox:",
    limit: INBOX_LIMITS.cycleItems,
  });
  const taken: [string, InboxItem][] = [];
  let bytes = 0;
  for (const entry of listed) {
    const size = entry[1].bytes ?? 0;
    if (taken.length > 0 && bytes + size > INBOX_LIMITS.cycleBytes) break;
    taken.push(entry);
    bytes += size;
  }
  return { taken, more: taken.length < listed.size || listed.size === INBOX_LIMITS.cycleItems };
}

/** The stored records of the approvals in `state` that expire by `now`. */
async function expiringRecords(
  storage: DurableObjectStorage,
  state: GoalState,
  now: number,
): Promise<Map<string, ApprovalRecord>> {
  const due = Object.values(state.approvals).filter((approval) => approval.expiresAt <= now);
  if (due.length === 0) return new Map();
  const records = await storage.get<ApprovalRecord>(
    due.map((approval) => keys.approval(approval.key)),
  );
  return new Map([...records].map(([key, record]) => [key.slice("approval:".length), record]));
}

/** Storage calls take at most 128 keys at once. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Runs and stores one cycle; returns what it produced, or null when a pass
 * started by an arrival or an expiry found nothing to do before the cadence
 * was due. Throws on storage faults (nothing is then stored).
 */
export async function step(
  storage: DurableObjectStorage,
  env: Env,
  loaded: { meta: GoalMeta; goal: CompiledGoal; state: GoalState },
  now: number,
  kind: PassKind,
  readInbox: boolean,
): Promise<StepOutcome | null> {
  const started = performance.now();
  const { meta, goal, state } = loaded;
  const inbox = readInbox ? await takeInbox(storage) : { taken: [], more: false };
  const cadence = isCadence(kind, meta, inbox.taken.length, now);
  if (!cadence && inbox.taken.length === 0) {
    const expired = Object.values(state.approvals).some((approval) => approval.expiresAt <= now);
    if (kind !== "expiry" || !expired) return null;
  }
  const [polled, expiring] = await Promise.all([
    cadence ? pollSources(env, meta.tenant, meta.spec, now) : { observations: [], polls: {} },
    expiringRecords(storage, state, now),
  ]);
  const input: Loaded = {
    meta,
    goal,
    state,
    now,
    cadence,
    inbox: inbox.taken,
    polled: polled.observations,
    polls: polled.polls,
    expiring,
    loadMs: performance.now() - started,
  };
  const plan = planPass(input);
  // Writes issued without an await between them are committed together, atomically.
  const writes = { ...plan.writes, ...metaWrites(plan.meta, false) };
  await Promise.all([
    ...chunks(Object.entries(writes), 128).map((part) => storage.put(Object.fromEntries(part))),
    ...chunks(plan.deletes, 128).map((part) => storage.delete(part)),
  ]);
  return { plan, moreInbox: inbox.more };
}
