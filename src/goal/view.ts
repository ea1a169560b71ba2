/**
 * What `GET /v1/goals/:id` shows of a goal's live state: status, the last
 * cycle, the current oriented values and verdicts, and the next wake-up.
 */
import type { GoalState, Receipt, Verdict } from "../loop/index.ts";
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
}

const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

export function goalView(
  meta: GoalMeta,
  state: GoalState | undefined,
  alarm: number | null,
  last: Receipt | undefined,
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
  };
}
