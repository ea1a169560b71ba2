/**
 * One pass of a goal's loop as its Durable Object runs it (`runPass`): the
 * sends left waiting first, then one cycle (`step`): load what the cycle
 * needs (the inbox items it takes, within a byte budget; the pulled sources
 * when the cadence is due; approvals that expire), plan the pass (pure,
 * `pass.ts`), and store everything it leaves in one transaction; then its
 * sends, log lines and pruning. A failing pass is recorded and backs off;
 * the alarm is re-armed in every outcome.
 */
import type { GoalState } from "../cycle/index.ts";
import { database } from "../db/client.ts";
import { countCycle, flushMetrics } from "../observability/metrics.ts";
import type { CompiledGoal } from "../spec/index.ts";
import { logPhases, recordFault } from "./cycle-record.ts";
import { housekeep } from "./housekeeping.ts";
import { compiledGoal, type Instance, loopState, metaOf } from "./instance.ts";
import { broadcastCycle } from "./live.ts";
import { consultModel } from "./model-step.ts";
import { fileStatusEvent } from "./outbox.ts";
import {
  cycleInput,
  isCadence,
  type Loaded,
  nextAlarmAt,
  type PassKind,
  type PassPlan,
  planPass,
} from "./pass.ts";
import { pollSources } from "./poll.ts";
import {
  type ApprovalRecord,
  backoffMs,
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
    loadMs: 0,
  };
  const model = await consultModel(env, meta.tenant, goal, state, cycleInput(input));
  if (model !== undefined) input.model = model;
  input.loadMs = performance.now() - started;
  const plan = planPass(input);
  // Writes issued without an await between them are committed together, atomically.
  const writes = { ...plan.writes, ...metaWrites(plan.meta, false) };
  await Promise.all([
    ...chunks(Object.entries(writes), 128).map((part) => storage.put(Object.fromEntries(part))),
    ...chunks(plan.deletes, 128).map((part) => storage.delete(part)),
  ]);
  return { plan, moreInbox: inbox.more };
}

/**
 * One pass: a cycle, its sends and log lines, or (`copies`) only the D1
 * copies that are due; re-arms the alarm in every outcome.
 */
export async function runPass(instance: Instance, kind: PassKind): Promise<void> {
  const { ctx, env, sender } = instance;
  const meta = await metaOf(instance);
  // A goal that finished while its last sends failed keeps retrying them, and only them.
  const leftover = kind === "alarm" && meta?.status === "done" && meta.failures > 0;
  if (!meta || (meta.status !== "active" && !leftover)) return;
  const now = Date.now();
  const failuresBefore = meta.failures;
  let retryAt = now;
  try {
    await sender.flush(meta);
    if (kind === "copies") {
      await sender.copy(meta, now);
      return;
    }
    if (leftover) {
      meta.failures = 0;
      await ctx.storage.put(metaWrites(meta, false));
      return;
    }
    const goal = await compiledGoal(instance, meta);
    const readInbox = instance.inboxMaybe;
    instance.inboxMaybe = false; // arrivals during the cycle set it again
    const state = await loopState(instance);
    // The cycle is stored with no failures counted; they are restored below if it fails.
    const loaded = { meta: { ...meta, failures: 0 }, goal, state };
    const outcome = await step(ctx.storage, env, loaded, now, kind, readInbox);
    if (!outcome) return; // the arrivals were taken by an earlier cycle
    const { plan } = outcome;
    Object.assign(meta, plan.meta);
    instance.state = plan.result.state;
    if (outcome.moreInbox) instance.inboxMaybe = true;
    const fresh = new Map(plan.outbox);
    if (plan.result.done) await fileStatusEvent(ctx.storage, meta, "done", now, fresh);
    const sent = await sender.send(meta, fresh, now);
    logPhases(meta, outcome, sent);
    countCycle(meta.tenant, meta.id, sent, Date.now() - now);
    await housekeep(instance, meta, plan.receipt.cycle, plan.input.trigger === "alarm", now);
    await broadcastCycle(instance, meta, plan.receipt);
  } catch (error) {
    instance.inboxMaybe = true;
    sender.unsure();
    meta.failures = failuresBefore + 1;
    retryAt = now + backoffMs(meta.failures, instance.compiled?.goal.everyMs ?? 60_000);
    const fault = await recordFault(ctx.storage, meta, now, error, retryAt);
    if (fault) await broadcastCycle(instance, meta, fault);
  } finally {
    const at = nextAlarmAt({
      now: Date.now(),
      status: meta.status,
      failures: meta.failures,
      retryAt,
      cadenceAt: meta.cadenceAt,
      waiting: instance.inboxMaybe,
      again: instance.serial.again,
      copiesAt: sender.copiesAt,
      state: instance.state,
    });
    if (at !== null) await ctx.storage.setAlarm(at);
    ctx.waitUntil(flushMetrics(database(env)).catch(() => undefined));
  }
}
