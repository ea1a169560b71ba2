/**
 * The service's own counters, per tenant and minute, in D1: requests, 4xx and
 * 5xx responses, latency, cycles, actions. Each isolate buffers increments and
 * flushes them at most every few seconds, so D1 sees a bounded write rate
 * whatever the traffic. Goals read them through `metric` sources.
 */
import { and, eq, gte, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { metricCounts } from "../db/schema.ts";

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

/** Adds to a counter in this isolate's buffer. */
export function count(tenant: string, counter: Counter, delta = 1): void {
  const key = `${tenant}\u0000${counter}\u0000${minuteOf(Date.now())}`;
  pending.set(key, (pending.get(key) ?? 0) + delta);
}

/** Writes buffered counters when due (or when `force`); call through waitUntil. */
export async function flushMetrics(db: Db, force = false): Promise<void> {
  const now = Date.now();
  // A reader must also wait for a write already under way, or it reads before it lands.
  const previous = inflight;
  if (pending.size === 0 || (!force && now - lastFlush < FLUSH_EVERY_MS)) {
    if (force && previous) await previous;
    return;
  }
  lastFlush = now;
  const entries = [...pending.entries()];
  pending.clear();
  const write = writeCounts(db, entries);
  inflight = write.catch(() => undefined);
  await previous;
  await write;
}

let inflight: Promise<void> | undefined;

async function writeCounts(db: Db, entries: [string, number][]): Promise<void> {
  const statements = entries.map(([key, value]) => {
    const [tenant = "", name = "", minute = "0"] = key.split("\u0000");
    return db
      .insert(metricCounts)
      .values({ tenant, name, minute: Number(minute), value })
      .onConflictDoUpdate({
        target: [metricCounts.tenant, metricCounts.name, metricCounts.minute],
        set: { value: sql`${metricCounts.value} + ${value}` },
      });
  });
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}

/** Sums of every counter of a tenant over the last five minutes. */
async function sums(db: Db, tenant: string, now: number): Promise<Map<string, number>> {
  const rows = await db
    .select({ name: metricCounts.name, value: sql<number>`sum(${metricCounts.value})` })
    .from(metricCounts)
    .where(
      and(
        eq(metricCounts.tenant, tenant),
        gte(metricCounts.minute, minuteOf(now) - WINDOW_MINUTES + 1),
      ),
    )
    .groupBy(metricCounts.name)
    .all();
  return new Map(rows.map((r) => [r.name, r.value]));
}

/** Every readable metric of a tenant over the last five minutes. */
export async function readMetrics(
  db: Db,
  tenant: string,
  now: number,
): Promise<Record<MetricName, number>> {
  await flushMetrics(db, true);
  const s = await sums(db, tenant, now);
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

/** Prometheus text exposition of the same figures. */
export function prometheusText(tenant: string, metrics: Record<MetricName, number>): string {
  return `${Object.entries(metrics)
    .map(([name, value]) => {
      const metric = `faas_${name.replaceAll(".", "_")}`;
      return `# TYPE ${metric} gauge\n${metric}{tenant="${tenant}",window="5m"} ${value}`;
    })
    .join("\n")}\n`;
}
