/**
 * The ledger of actions that reached a final outcome, by idempotency key.
 */
import { eq } from "drizzle-orm";
import type { Db } from "./client.ts";
import { actionRuns } from "./schema.ts";

/** The outcome already reported for `key`, if any. */
export async function findRun(db: Db, key: string): Promise<Record<string, unknown> | undefined> {
  const row = await db
    .select({ result: actionRuns.result })
    .from(actionRuns)
    .where(eq(actionRuns.key, key))
    .get();
  return row?.result;
}

/** Records the final outcome; the first writer wins, later ones are ignored. */
export async function recordRun(
  db: Db,
  row: { key: string; tenant: string; goalId: string; result: Record<string, unknown>; at: number },
): Promise<void> {
  await db.insert(actionRuns).values(row).onConflictDoNothing();
}
