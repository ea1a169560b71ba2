/**
 * Running totals per tenant: the counters and histograms that /v1/metrics
 * gives Prometheus. They live in D1 (`metric_totals`), one row per series,
 * and a row is only ever added to, so a total counts from the tenant's first
 * counted event (the `faas_counters_start_time_seconds` row) and is never
 * reset; a goal's series are deleted with the goal. Increments wait in the
 * isolate's buffer beside the per-minute counters (`metrics.ts`) and reach D1
 * in the same flush; an isolate evicted before it flushes loses its last few
 * seconds of increments (a total that counts low, never one that goes down).
 *
 * A series is its stored name and labels, `name|key=value|…`: label values
 * come from fixed sets (status classes, outcomes, action kinds, bucket
 * bounds), never from what a tenant writes; the goal is a column of its own.
 * The queries are in `db/metrics.ts`.
 */
import type { TotalRow, TotalsWrite } from "../db/metrics.ts";

/** Upper bounds (seconds) of every histogram's buckets; `+Inf` follows them. */
export const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** The series whose value is when the tenant's totals started (Unix seconds). */
export const START_SERIES = "faas_counters_start_time_seconds";

const pending = new Map<string, number>();
/** Tenants whose start row this isolate has already written. */
const started = new Set<string>();

/** Adds `delta` to a series of the tenant (of one of its goals when `goal` is given). */
export function addTotal(tenant: string, series: string, goal = "", delta = 1): void {
  const key = `${tenant}\u0000${series}\u0000${goal}`;
  pending.set(key, (pending.get(key) ?? 0) + delta);
}

/**
 * Counts a duration into a histogram: one in the bucket of the first bound not
 * below it (`+Inf` past the last) and the seconds in its sum. Buckets are
 * stored apart and made cumulative when read.
 */
export function observeSeconds(
  tenant: string,
  histogram: string,
  seconds: number,
  labels = "",
): void {
  if (!Number.isFinite(seconds) || seconds < 0) return;
  const le = BUCKETS.find((bound) => seconds <= bound) ?? "+Inf";
  addTotal(tenant, `${histogram}_bucket${labels}|le=${le}`);
  addTotal(tenant, `${histogram}_sum${labels}`, "", seconds);
}

export const hasPendingTotals = () => pending.size > 0;

/** Empties the buffer: its rows, and a start row for each tenant new to this isolate. */
export function takeTotals(now: number): TotalsWrite {
  const rows: TotalRow[] = [];
  const starts: TotalRow[] = [];
  for (const [key, value] of pending) {
    const [tenant = "", series = "", goal = ""] = key.split("\u0000");
    rows.push({ tenant, series, goal, value });
    if (!started.has(tenant)) {
      started.add(tenant);
      starts.push({ tenant, series: START_SERIES, goal: "", value: now / 1000 });
    }
  }
  pending.clear();
  return { rows, starts };
}
