/**
 * The tenant's inbox of approvals in D1: copies of what each goal's own
 * storage decides, upserted by the goal's outbox, read by
 * `GET /v1/approvals`.
 */
import { and, desc, eq, lt, or } from "drizzle-orm";
import type { Db } from "./client.ts";
import { atomic, upsert } from "./dialect.ts";
import type { ApprovalRow } from "./schema.ts";

/** Writes the latest copy of each approval (a later status replaces an earlier one). */
export async function upsertApprovals(db: Db, rows: ApprovalRow[]): Promise<void> {
  const { approvals } = db.t;
  await atomic(db, (q) =>
    rows.map((row) =>
      upsert(q, q.insert(approvals).values(row), approvals, {
        target: approvals.key,
        set: {
          status: row.status,
          decidedAt: row.decidedAt,
          decidedBy: row.decidedBy,
          reason: row.reason,
        },
      }),
    ),
  );
}

/** A page of a tenant's approvals, newest first, before the cursor `(requestedAt, key)`. */
export async function listTenantApprovals(
  db: Db,
  tenant: string,
  status: ApprovalRow["status"] | undefined,
  before: { requestedAt: number; key: string } | undefined,
  limit: number,
): Promise<ApprovalRow[]> {
  const { approvals } = db.t;
  return db
    .select()
    .from(approvals)
    .where(
      and(
        eq(approvals.tenant, tenant),
        status === undefined ? undefined : eq(approvals.status, status),
        before === undefined
          ? undefined
          : or(
              lt(approvals.requestedAt, before.requestedAt),
              and(eq(approvals.requestedAt, before.requestedAt), lt(approvals.key, before.key)),
            ),
      ),
    )
    .orderBy(desc(approvals.requestedAt), desc(approvals.key))
    .limit(limit);
}

/** Removes a deleted goal's approvals. */
export async function deleteGoalApprovals(db: Db, tenant: string, goalId: string): Promise<void> {
  const { approvals } = db.t;
  await db.delete(approvals).where(and(eq(approvals.tenant, tenant), eq(approvals.goalId, goalId)));
}
