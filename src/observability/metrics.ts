/**
 * The service's own counters, per tenant and minute, in D1: requests, 4xx and
 * 5xx responses, latency, cycles, actions. Each isolate buffers increments and
 * flushes them at most every few seconds, so D1 sees a bounded write rate
 * whatever the traffic. Goals read them through `metric` sources, and
 * /v1/metrics as JSON (the last five minutes). The same events also add to
 * running totals (`metric-totals.ts`), which /v1/metrics gives Prometheus.
 * The queries are in `db/metrics.ts`.
 */
import type { Db } from "../db/client.ts";
import { addMetrics, countSums, readTotals, type TotalsWrite } from "../db/metrics.ts";
import { addTotal, hasPendingTotals, observeSeconds, takeTotals } from "./metric-totals.ts";
import { prometheusText } from "./prometheus.ts";

/** Counters that are stored; the readable names derive from them. */
export type Counter =
  | "http.requests"
  | "http.4xx"
  | "http.5xx"
  | "http.latency_ms"
  | "loop.cycles"
  | "loop.faults"
  | "loop.actions"
  | "actions.ok"
  | "actions.failed";

/** Every name a `metric` source or /v1/metrics can read (over the last five minutes). */
export const METRIC_NAMES = [
  "http.requests",
  "http.4xx",
  "http.5xx",
  "http.5xx.rate",
  "http.latency_ms.avg",
  "loop.cycles",
  "loop.faults",
  "loop.actions",
  "actions.ok",
  "actions.failed",
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

const WINDOW_MINUTES = 5;
const FLUSH_EVERY_MS = 2000;

const pending = new Map<string, number>();
let lastFlush = 0;

const minuteOf = (ms: number) => Math.floor(ms / 60_000);

/** Adds to a per-minute counter in this isolate's buffer. */
function count(tenant: string, counter: Counter, delta = 1): void {
  const key = `${tenant}\u0000${counter}\u0000${minuteOf(Date.now())}`;
  pending.set(key, (pending.get(key) ?? 0) + delta);
}

/** An API request answered for a tenant. */
export function countRequest(tenant: string, status: number, durationMs: number): void {
  count(tenant, "http.requests");
  count(tenant, "http.latency_ms", durationMs);
  if (status >= 500) count(tenant, "http.5xx");
  else if (status >= 400) count(tenant, "http.4xx");
  const statusClass = `${Math.min(5, Math.max(1, Math.floor(status / 100)))}xx`;
  addTotal(tenant, `faas_http_requests_total|status_class=${statusClass}`);
  observeSeconds(tenant, "faas_http_request_duration_seconds", durationMs / 1000);
}

/** A goal's completed cycle, which sent `sent` actions. */
export function countCycle(tenant: string, goal: string, sent: number, durationMs: number): void {
  count(tenant, "loop.cycles");
  addTotal(tenant, "faas_goal_cycles_total", goal);
  if (sent > 0) {
    count(tenant, "loop.actions", sent);
    addTotal(tenant, "faas_goal_actions_sent_total", goal, sent);
  }
  observeSeconds(tenant, "faas_goal_cycle_duration_seconds", durationMs / 1000);
}

/** A goal's cycle that failed. */
export function countFault(tenant: string, goal: string): void {
  count(tenant, "loop.faults");
  addTotal(tenant, "faas_goal_cycle_faults_total", goal);
}

/** A goal's action that ended, ok or failed. */
export function countActionResult(tenant: string, goal: string, ok: boolean): void {
  count(tenant, ok ? "actions.ok" : "actions.failed");
  addTotal(tenant, `faas_actions_completed_total|outcome=${ok ? "ok" : "failed"}`, goal);
}

/** How long one run of an action of `kind` took. */
export function observeAction(tenant: string, kind: string, latencyMs: number): void {
  observeSeconds(tenant, "faas_action_duration_seconds", latencyMs / 1000, `|kind=${kind}`);
}

/** Writes buffered counters when due (or when `force`); call through waitUntil. */
export async function flushMetrics(db: Db, force = false): Promise<void> {
  const now = Date.now();
  // A reader must also wait for a write already under way, or it reads before it lands.
  const previous = inflight;
  const empty = pending.size === 0 && !hasPendingTotals();
  if (empty || (!force && now - lastFlush < FLUSH_EVERY_MS)) {
    if (force && previous) await previous;
    return;
  }
  lastFlush = now;
  const entries = [...pending.entries()];
  pending.clear();
  const write = writeCounts(db, entries, takeTotals(now));
  inflight = write.catch(() => undefined);
  await previous;
  await write;
}

let inflight: Promise<void> | undefined;

async function writeCounts(
  db: Db,
  entries: [string, number][],
  totals: TotalsWrite,
): Promise<void> {
  const counts = entries.map(([key, value]) => {
    const [tenant = "", name = "", minute = "0"] = key.split("\u0000");
    return { tenant, name, minute: Number(minute), value };
  });
  await addMetrics(db, counts, totals);
}

/** Every readable metric of a tenant over the last five minutes. */
export async function readMetrics(
  db: Db,
  tenant: string,
  now: number,
): Promise<Record<MetricName, number>> {
  await flushMetrics(db, true);
  const s = await countSums(db, tenant, minuteOf(now) - WINDOW_MINUTES + 1);
  const get = (name: string) => s.get(name) ?? 0;
  const requests = get("http.requests");
  return {
    "http.requests": requests,
    "http.4xx": get("http.4xx"),
    "http.5xx": get("http.5xx"),
    "http.5xx.rate": requests === 0 ? 0 : get("http.5xx") / requests,
    "http.latency_ms.avg": requests === 0 ? 0 : get("http.latency_ms") / requests,
    "loop.cycles": get("loop.cycles"),
    "loop.faults": get("loop.faults"),
    "loop.actions": get("loop.actions"),
    "actions.ok": get("actions.ok"),
    "actions.failed": get("actions.failed"),
  };
}

/** A tenant's running totals (every counter and histogram) in the Prometheus text form. */
export async function readPrometheus(db: Db, tenant: string): Promise<string> {
  await flushMetrics(db, true);
  return prometheusText(tenant, await readTotals(db, tenant));
}
