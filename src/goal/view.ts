/**
 * What `GET /v1/goals/:id` shows of a goal's live state: status, the last
 * cycle, the current oriented values and verdicts, and the next wake-up.
 */
import type { GoalState, Receipt, Verdict } from "../cycle/index.ts";
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

const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

export function goalView(
  meta: GoalMeta,
  state: GoalState | undefined,
  alarm: number | null,
  last: Receipt | undefined,
  now: number,
): GoalView {
  const latest: GoalView["latest"] = {};
  for (const [name, entry] of Object.entries(state?.latest ?? {})) {
    latest[name] = { value: entry.value, at: new Date(entry.at).toISOString() };
  }
  return {
    id: meta.id,
    name: meta.name,
    status: meta.status,
    spec_version: meta.specVersion,
    parent_id: meta.parent?.goalId ?? null,
    created_at: new Date(meta.createdAt).toISOString(),
    cycle: state?.cycle ?? 0,
    last_cycle_at: iso(state?.lastCycleAt),
    next_wake_at: meta.status === "active" ? iso(alarm) : null,
    latest,
    oriented: { ...(state?.oriented ?? {}) },
    verdicts: last?.verdicts ?? [],
    failures: meta.failures,
    last_fault: meta.lastFault
      ? { at: new Date(meta.lastFault.at).toISOString(), message: meta.lastFault.message }
      : null,
    awaiting_approval: Object.entries(state?.approvals ?? {})
      .map(([action, approval]) => ({
        action,
        key: approval.key,
        rule: approval.rule,
        cycle: approval.cycle,
        requested_at: new Date(approval.since).toISOString(),
        expires_at: new Date(approval.expiresAt).toISOString(),
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
