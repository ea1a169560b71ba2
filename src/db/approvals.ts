/**
 * The tenant's inbox of approvals in D1: copies of what each goal's own
 * storage decides, upserted by the goal's outbox, read by
 * `GET /v1/approvals`.
 */
import { and, desc, eq, lt, or } from "drizzle-orm";
import type { Db } from "./client.ts";
import { type ApprovalRow, approvals } from "./schema.ts";

/** Writes the latest copy of each approval (a later status replaces an earlier one). */
export async function upsertApprovals(db: Db, rows: ApprovalRow[]): Promise<void> {
  const [first, ...rest] = rows.map((row) =>
    db
      .insert(approvals)
      .values(row)
      .onConflictDoUpdate({
        target: approvals.key,
        set: {
          status: row.status,
          decidedAt: row.decidedAt,
          decidedBy: row.decidedBy,
          reason: row.reason,
        },
      }),
  );
  if (first) await db.batch([first, ...rest]);
}

/** A page of a tenant's approvals, newest first, before the cursor `(requestedAt, key)`. */
export async function listTenantApprovals(
  db: Db,
  tenant: string,
  status: ApprovalRow["status"] | undefined,
  before: { requestedAt: number; key: string } | undefined,
  limit: number,
): Promise<ApprovalRow[]> {
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
    .limit(limit)
    .all();
}

/** Removes a deleted goal's approvals. */
export async function deleteGoalApprovals(db: Db, tenant: string, goalId: string): Promise<void> {
  await db.delete(approvals).where(and(eq(approvals.tenant, tenant), eq(approvals.goalId, goalId)));
}
