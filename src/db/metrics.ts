/**
 * The metrics tables: per-minute counters (`metric_counts`, one row per
 * tenant, counter and minute) and running totals (`metric_totals`, one row
 * per tenant, series and goal, only ever added to). The buffers that fill
 * them and what the numbers mean are in `observability/metrics.ts` and
 * `observability/metric-totals.ts`.
 */
import { and, eq, gte, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { atomic, ignoreDuplicates, incoming, upsert } from "./dialect.ts";

/** Rows per INSERT: four bound parameters each, within D1's 100 per statement. */
const ROWS_PER_INSERT = 25;

/** An increment of a counter of a tenant in one minute. */
export interface MinuteCount {
  tenant: string;
  name: string;
  minute: number;
  value: number;
}

/** An increment of a running total (of a goal's series when `goal` is not empty). */
export interface TotalRow {
  tenant: string;
  series: string;
  goal: string;
  value: number;
}

/** Increments of the totals, and the start rows of tenants that may have none yet. */
export interface TotalsWrite {
  rows: TotalRow[];
  starts: TotalRow[];
}

/** `rows` in parts of ROWS_PER_INSERT, one INSERT each. */
function parts<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT)
    out.push(rows.slice(i, i + ROWS_PER_INSERT));
  return out;
}

/**
 * Adds the counts and the totals, in one batch: each INSERT adds up to
 * ROWS_PER_INSERT rows to their stored values (start rows only where none is yet).
 */
export async function addMetrics(
  db: Db,
  counts: readonly MinuteCount[],
  { rows, starts }: TotalsWrite,
): Promise<void> {
  const { metricCounts, metricTotals } = db.t;
  await atomic(db, (q) => [
    ...parts(counts).map((part) =>
      upsert(q, q.insert(metricCounts).values(part), metricCounts, {
        target: [metricCounts.tenant, metricCounts.name, metricCounts.minute],
        set: { value: sql`${metricCounts.value} + ${incoming(q, metricCounts.value)}` },
      }),
    ),
    ...parts(rows).map((part) =>
      upsert(q, q.insert(metricTotals).values(part), metricTotals, {
        target: [metricTotals.tenant, metricTotals.series, metricTotals.goal],
        set: { value: sql`${metricTotals.value} + ${incoming(q, metricTotals.value)}` },
      }),
    ),
    ...parts(starts).map((part) =>
      ignoreDuplicates(q, q.insert(metricTotals).values(part), metricTotals),
    ),
  ]);
}

/** Sums of every counter of a tenant over the minutes from `fromMinute` on. */
export async function countSums(
  db: Db,
  tenant: string,
  fromMinute: number,
): Promise<Map<string, number>> {
  const { metricCounts } = db.t;
  const rows = await db
    .select({ name: metricCounts.name, value: sql<number>`sum(${metricCounts.value})` })
    .from(metricCounts)
    .where(and(eq(metricCounts.tenant, tenant), gte(metricCounts.minute, fromMinute)))
    .groupBy(metricCounts.name);
  return new Map(rows.map((r) => [r.name, r.value]));
}

/** A tenant's totals, and its goals (id and name) as they are now. */
export async function readTotals(db: Db, tenant: string) {
  const { goals, metricTotals } = db.t;
  const [rows, goalRows] = await atomic(db, (q) => [
    q
      .select({ series: metricTotals.series, goal: metricTotals.goal, value: metricTotals.value })
      .from(metricTotals)
      .where(eq(metricTotals.tenant, tenant)),
    q.select({ id: goals.id, name: goals.name }).from(goals).where(eq(goals.tenant, tenant)),
  ]);
  return { rows, goals: goalRows };
}
