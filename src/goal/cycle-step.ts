/**
 * One cycle as the Durable Object runs it: take the inbox, poll pulled
 * sources (cadence cycles), run the pure cycle, and store the new state, the
 * receipt, the replay log and the outbox in one transaction.
 */
import type { CompiledGoal, CycleResult, GoalState, Observation, Trigger } from "../loop/index.ts";
import { runCycle } from "../loop/index.ts";
import type { ActionMessage } from "./messages.ts";
import { type PollNote, pollSources } from "./poll.ts";
import {
  type GoalMeta,
  type InboxItem,
  keys,
  type LoggedCycle,
  metaWrites,
  RETENTION,
} from "./store.ts";

export interface StepOutcome {
  result: CycleResult;
  durationMs: number;
  polls: Record<string, PollNote>;
  /** The sends the cycle left in the outbox, by key. */
  outbox: Map<string, unknown>;
  /** Whether inbox items are left over (more than one cycle takes). */
  moreInbox: boolean;
}

/** Inbox items one cycle takes at most. */
const INBOX_BATCH = 500;

/** The trigger of a cycle: the cadence when due, else what is waiting in the inbox. */
function triggerOf(cadenceDue: boolean, inbox: InboxItem[]): Trigger {
  if (cadenceDue) return "alarm";
  const first = inbox[0];
  if (!first) return "manual";
  return first.kind === "act_result" ? "act" : first.trigger;
}

/** The last value per name the cycle applied, for replay. */
function loggedValues(observations: Observation[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const o of observations) values[o.name] = o.value;
  return values;
}

/**
 * Runs and stores one cycle; returns what it produced, or null for an
 * `arrival` cycle that found nothing waiting before the cadence was due.
 * Throws on storage faults.
 */
export async function step(
  storage: DurableObjectStorage,
  env: Env,
  meta: GoalMeta,
  goal: CompiledGoal,
  now: number,
  readInbox: boolean,
  state: GoalState,
  arrival = false,
): Promise<StepOutcome | null> {
  const started = performance.now();
  const inboxEntries = readInbox
    ? await storage.list<InboxItem>({ prefix: "inbox:", limit: INBOX_BATCH })
    : new Map<string, InboxItem>();
  const inbox = [...inboxEntries.values()];
  // An alarm with nothing waiting is a cadence tick even when early (forced, or re-run after a
  // restart); a cycle started by an arrival never is: with nothing left to take, it is skipped.
  const cadenceDue = now >= meta.cadenceAt || (!arrival && inbox.length === 0);
  if (!cadenceDue && inbox.length === 0) return null;
  const trigger = triggerOf(cadenceDue, inbox);
  const polled = cadenceDue
    ? await pollSources(env, meta.tenant, meta.spec, now)
    : { observations: [], polls: {} };

  const observations: Observation[] = [...polled.observations];
  const actResults = [];
  for (const item of inbox) {
    if (item.kind === "observations") observations.push(...item.observations);
    else actResults.push(item.result);
  }
  const result = runCycle(goal, state, { goalId: meta.id, now, trigger, observations, actResults });
  const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
  const receipt = { ...result.receipt, polls: polled.polls, duration_ms: durationMs };
  const cycle = result.receipt.cycle;

  const writes: Record<string, unknown> = {
    [keys.state]: result.state,
    [keys.receipt(cycle)]: receipt,
  };
  if (observations.length > 0) {
    const logged: LoggedCycle = { at: now, trigger, values: loggedValues(observations) };
    writes[keys.log(cycle)] = logged;
  }
  for (const planned of result.actions) {
    if (planned.dry_run) continue;
    if (planned.awaiting_approval) {
      writes[keys.approval(planned.key)] = {
        tenant: meta.tenant,
        goalId: meta.id,
        cycle,
        planned,
        since: now,
      };
      continue;
    }
    const message: ActionMessage = { tenant: meta.tenant, goalId: meta.id, cycle, planned };
    writes[keys.outboxAction(planned.key)] = message;
  }
  if (!result.receipt.quiet) writes[keys.outboxCycle(cycle)] = receipt;
  if (cadenceDue) meta.cadenceAt = now + goal.everyMs;
  meta.lastCycle = cycle;
  if (result.done) meta.status = "done";
  Object.assign(writes, metaWrites(meta, false));

  // Retention: each cycle drops the one receipt and replay entry that fell out of the window.
  const drop = [...inboxEntries.keys()];
  if (cycle > RETENTION.receipts) drop.push(keys.receipt(cycle - RETENTION.receipts));
  if (cycle > RETENTION.log) drop.push(keys.log(cycle - RETENTION.log));
  // Writes issued without an await between them are committed together, atomically.
  const pending = [
    ...chunks(Object.entries(writes), 128).map((part) => storage.put(Object.fromEntries(part))),
    ...chunks(drop, 128).map((part) => storage.delete(part)),
  ];
  await Promise.all(pending);
  const outbox = new Map(Object.entries(writes).filter(([key]) => key.startsWith("outbox:")));
  return {
    result,
    durationMs,
    polls: polled.polls,
    outbox,
    moreInbox: inboxEntries.size === INBOX_BATCH,
  };
}

/** Storage calls take at most 128 keys at once. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
