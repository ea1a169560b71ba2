/**
 * The goal registry in D1: which goals exist, whose they are, their current
 * spec, status and what outside things they watch. Loop state is not here.
 */
import { and, asc, desc, eq, exists, gt, inArray, lt, sql } from "drizzle-orm";
import { jsonBytes } from "../spec/index.ts";
import type { Db } from "./client.ts";
import { atomic, count, counted, ignoreDuplicates, one } from "./dialect.ts";
import type { GoalRow } from "./schema.ts";
import { fewerThan, rowWhere } from "./within-quota.ts";

export type GoalStatus = "active" | "paused" | "done" | "failed";

/** Something a goal watches outside itself. */
export interface Subscription {
  kind: "record" | "stream" | "goal";
  target: string;
}

/**
 * Registers a goal and what it watches, in one batch, while its tenant has
 * fewer than `limit` goals: the goal's insert counts in the same statement,
 * and the subscriptions are written only beside a goal row. False when there
 * was no room (nothing is written).
 */
export async function insertGoal(
  db: Db,
  row: GoalRow,
  subscriptions: Subscription[],
  limit: number,
): Promise<boolean> {
  const { goals } = db.t;
  const room = fewerThan(goals, eq(goals.tenant, row.tenant), limit);
  const [inserted] = await atomic(db, (q) => [
    counted(q, q.insert(goals).select(rowWhere(q, goals, row, room))),
    ...subscriptionInserts(q, row.tenant, row.id, subscriptions),
  ]);
  return count(db, inserted) > 0;
}

function subscriptionInserts(
  db: Db,
  tenant: string,
  goalId: string,
  subscriptions: Subscription[],
) {
  const { goals, goalSubscriptions } = db.t;
  const registered = sql`exists (select 1 from ${goals} where ${eq(goals.id, goalId)})`;
  return subscriptions.map((s) =>
    ignoreDuplicates(
      db,
      db
        .insert(goalSubscriptions)
        .select(
          rowWhere(
            db,
            goalSubscriptions,
            { tenant, goalId, kind: s.kind, target: s.target },
            registered,
          ),
        ),
      goalSubscriptions,
    ),
  );
}

/** How many goals a tenant has. */
export async function countGoals(db: Db, tenant: string): Promise<number> {
  const { goals } = db.t;
  const row = await one(
    db,
    db.select({ n: sql<number>`count(*)` }).from(goals).where(eq(goals.tenant, tenant)),
  );
  return row?.n ?? 0;
}

/** A tenant's goal, or undefined (also for another tenant's goal). */
export async function getGoal(db: Db, tenant: string, id: string): Promise<GoalRow | undefined> {
  const { goals } = db.t;
  return one(
    db,
    db
      .select()
      .from(goals)
      .where(and(eq(goals.tenant, tenant), eq(goals.id, id))),
  );
}

/** A tenant's goals, oldest first, after the cursor id. */
export async function listGoals(
  db: Db,
  tenant: string,
  after: string | undefined,
  limit: number,
): Promise<GoalRow[]> {
  const { goals } = db.t;
  return db
    .select()
    .from(goals)
    .where(and(eq(goals.tenant, tenant), after === undefined ? undefined : gt(goals.id, after)))
    .orderBy(asc(goals.id))
    .limit(limit);
}

/**
 * Stores a new spec version and its subscriptions in one transaction, only
 * over version `from` (a compare-and-swap); whether it was stored. The
 * subscriptions change only along with the spec this call stored, so a writer
 * that lost the race changes nothing.
 */
export async function updateGoalSpec(
  db: Db,
  row: Pick<GoalRow, "tenant" | "id" | "spec" | "specVersion" | "name" | "updatedAt">,
  from: number,
  subscriptions: Subscription[],
): Promise<boolean> {
  const { goals, goalSubscriptions } = db.t;
  const goal = and(eq(goals.tenant, row.tenant), eq(goals.id, row.id));
  // True after the update only if it stored this spec (or the single other writer that
  // could reach this version stored the very same spec, with the same subscriptions).
  const stored = and(goal, eq(goals.specVersion, row.specVersion), eq(goals.spec, row.spec));
  const [updated] = await atomic(db, (q) => [
    counted(
      q,
      q
        .update(goals)
        .set({
          spec: row.spec,
          specVersion: row.specVersion,
          name: row.name,
          updatedAt: row.updatedAt,
        })
        .where(and(goal, eq(goals.specVersion, from))),
    ),
    q
      .delete(goalSubscriptions)
      .where(
        and(
          eq(goalSubscriptions.goalId, row.id),
          exists(q.select({ id: goals.id }).from(goals).where(stored)),
        ),
      ),
    ...subscriptions.map((s) =>
      ignoreDuplicates(
        q,
        q.insert(goalSubscriptions).select(
          q
            .select({
              tenant: sql<string>`${row.tenant}`.as("tenant"),
              kind: sql<string>`${s.kind}`.as("kind"),
              target: sql<string>`${s.target}`.as("target"),
              goalId: goals.id,
            })
            .from(goals)
            .where(stored),
        ),
        goalSubscriptions,
      ),
    ),
  ]);
  return count(db, updated) > 0;
}

export async function setGoalStatus(
  db: Db,
  tenant: string,
  id: string,
  status: GoalStatus,
  at: number,
) {
  const { goals } = db.t;
  await db
    .update(goals)
    .set({ status, updatedAt: at })
    .where(and(eq(goals.tenant, tenant), eq(goals.id, id)));
}

/** Removes the goal, its subscriptions, its acting cycles and its metric series. */
export async function deleteGoal(db: Db, tenant: string, id: string): Promise<void> {
  const { cycles, goalSubscriptions, goals, metricTotals } = db.t;
  await atomic(db, (q) => [
    q.delete(metricTotals).where(and(eq(metricTotals.tenant, tenant), eq(metricTotals.goal, id))),
    q.delete(goalSubscriptions).where(eq(goalSubscriptions.goalId, id)),
    q.delete(cycles).where(and(eq(cycles.tenant, tenant), eq(cycles.goalId, id))),
    q.delete(goals).where(and(eq(goals.tenant, tenant), eq(goals.id, id))),
  ]);
}

/** Goals of `tenant` watching any of `targets` of one kind. */
export async function subscribers(
  db: Db,
  tenant: string,
  kind: Subscription["kind"],
  targets: string[],
) {
  const { goalSubscriptions } = db.t;
  const rows = await db
    .selectDistinct({ goalId: goalSubscriptions.goalId })
    .from(goalSubscriptions)
    .where(
      and(
        eq(goalSubscriptions.tenant, tenant),
        eq(goalSubscriptions.kind, kind),
        inArray(goalSubscriptions.target, targets),
      ),
    );
  return rows.map((r) => r.goalId);
}

/** Active goals, a page at a time, for the self-healing cron. */
export async function activeGoals(
  db: Db,
  after: string,
  limit: number,
): Promise<Pick<GoalRow, "id" | "tenant">[]> {
  const { goals } = db.t;
  return db
    .select({ id: goals.id, tenant: goals.tenant })
    .from(goals)
    .where(and(eq(goals.status, "active"), gt(goals.id, after)))
    .orderBy(asc(goals.id))
    .limit(limit);
}

export interface CycleRow {
  tenant: string;
  goalId: string;
  cycle: number;
  at: number;
  receipt: Record<string, unknown>;
}

/**
 * How many rows one insert takes: D1 binds at most 100 parameters to a
 * statement (a row takes 5) and a statement is at most 100 KB.
 */
const ROWS_PER_INSERT = 20;
const BYTES_PER_INSERT = 90_000;

/** `rows` in groups that each fit one insert (a row larger than the byte budget goes alone). */
export function insertGroups(rows: CycleRow[]): CycleRow[][] {
  const groups: CycleRow[][] = [];
  let group: CycleRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = jsonBytes(row.receipt);
    if (group.length === ROWS_PER_INSERT || (group.length > 0 && bytes + size > BYTES_PER_INSERT)) {
      groups.push(group);
      [group, bytes] = [[], 0];
    }
    group.push(row);
    bytes += size;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/**
 * Stores the receipts of cycles that decided something new or acted, all in
 * one round trip (idempotent per goal and cycle: a resend changes nothing).
 */
export async function insertCycles(db: Db, rows: CycleRow[]): Promise<void> {
  const { cycles } = db.t;
  await atomic(db, (q) =>
    insertGroups(rows).map((group) => ignoreDuplicates(q, q.insert(cycles).values(group), cycles)),
  );
}

/** Acting cycles from D1, newest first (survive the goal's own bounded retention). */
export async function listCycles(
  db: Db,
  tenant: string,
  goalId: string,
  before: number,
  limit: number,
) {
  const { cycles } = db.t;
  return db
    .select()
    .from(cycles)
    .where(and(eq(cycles.tenant, tenant), eq(cycles.goalId, goalId), lt(cycles.cycle, before)))
    .orderBy(desc(cycles.cycle))
    .limit(limit);
}
