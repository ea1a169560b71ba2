/**
 * What `GET /v1/goals/:id` shows of a goal's live state: status, the last
 * cycle, the current oriented values and verdicts, and the next wake-up.
 */
import { type GoalState, isoTime, nextExpiry, type Receipt, type Verdict } from "../cycle/index.ts";
import type { GoalMeta } from "./store.ts";

export interface GoalView {
  id: string;
  name: string;
  status: string;
  spec_version: number;
  parent_id: string | null;
  created_at: string;
  cycle: number;
  last_cycle_at: string | null;
  next_wake_at: string | null;
  latest: Record<string, { value: unknown; at: string }>;
  oriented: Record<string, unknown>;
  verdicts: Verdict[];
  failures: number;
  last_fault: { at: string; message: string } | null;
  /** Actions held for a person's approval, oldest first. */
  awaiting_approval: {
    action: string;
    key: string;
    rule: string;
    cycle: number;
    requested_at: string;
    expires_at: string;
  }[];
  /** Inputs waiting for the next cycle (bounded). */
  inbox: { items: number; bytes: number };
  /** The spec's cadence, as written (`1m`). */
  every: string;
  /** Actions planned within the last hour (what `max_actions_per_hour` counts). */
  actions_last_hour: number;
  /** What the newest cycle did, in brief; null before the first cycle. */
  last_outcome: {
    cycle: number;
    trigger: string;
    matched: string[];
    actions: number;
    fault: boolean;
  } | null;
}

const HOUR_MS = 3600_000;

/**
 * When the next cycle runs: the retry while failing, else the cadence or an
 * approval's expiry, whichever comes first. Not simply the alarm, which also
 * fires early for housekeeping (the receipts' D1 copies) and runs no cycle then.
 */
function nextCycleAt(meta: GoalMeta, state: GoalState | undefined, alarm: number | null) {
  if (meta.failures > 0 || meta.inboxItems > 0 || alarm === null) return alarm;
  const expiry = state === undefined ? null : nextExpiry(state);
  return Math.min(meta.cadenceAt, expiry ?? Number.POSITIVE_INFINITY);
}

/** The newest receipt in brief: what started it, the rules that matched, the actions planned. */
function outcomeOf(last: Receipt | undefined): GoalView["last_outcome"] {
  if (last === undefined) return null;
  return {
    cycle: last.cycle,
    trigger: last.trigger,
    matched: (last.verdicts ?? [])
      .filter((verdict) => verdict.status === "matched")
      .map((verdict) => verdict.rule),
    actions: last.actions?.length ?? 0,
    fault: false,
  };
}

export function goalView(
  meta: GoalMeta,
  state: GoalState | undefined,
  alarm: number | null,
  last: Receipt | undefined,
  now: number,
): GoalView {
  const latest: GoalView["latest"] = {};
  for (const [name, entry] of Object.entries(state?.latest ?? {})) {
    latest[name] = { value: entry.value, at: isoTime(entry.at) };
  }
  return {
    id: meta.id,
    name: meta.name,
    status: meta.status,
    spec_version: meta.specVersion,
    parent_id: meta.parent?.goalId ?? null,
    created_at: isoTime(meta.createdAt),
    cycle: state?.cycle ?? 0,
    last_cycle_at: isoTime(state?.lastCycleAt),
    next_wake_at: meta.status === "active" ? isoTime(nextCycleAt(meta, state, alarm)) : null,
    latest,
    oriented: { ...(state?.oriented ?? {}) },
    verdicts: last?.verdicts ?? [],
    failures: meta.failures,
    last_fault: meta.lastFault
      ? { at: isoTime(meta.lastFault.at), message: meta.lastFault.message }
      : null,
    awaiting_approval: Object.entries(state?.approvals ?? {})
      .map(([action, approval]) => ({
        action,
        key: approval.key,
        rule: approval.rule,
        cycle: approval.cycle,
        requested_at: isoTime(approval.since),
        expires_at: isoTime(approval.expiresAt),
      }))
      .sort((a, b) => a.cycle - b.cycle),
    inbox: { items: meta.inboxItems, bytes: meta.inboxBytes },
    every: String(meta.spec.every),
    actions_last_hour: (state?.actionTimes ?? []).filter((at) => at > now - HOUR_MS).length,
    last_outcome:
      meta.lastFault !== null && meta.failures > 0 && meta.lastFault.at >= (last?.at ?? 0)
        ? { cycle: meta.lastCycle, trigger: "fault", matched: [], actions: 0, fault: true }
        : outcomeOf(last),
  };
}

/** A goal's loop in brief, as the goals list shows it (`include=live`). */
export function loopInBrief(view: GoalView) {
  return {
    every: view.every,
    cycle: view.cycle,
    last_cycle_at: view.last_cycle_at,
    next_wake_at: view.next_wake_at,
    failures: view.failures,
    last_fault: view.last_fault,
    actions_last_hour: view.actions_last_hour,
    last_outcome: view.last_outcome,
    awaiting_approval: view.awaiting_approval.length,
  };
}
