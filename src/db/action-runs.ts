/**
 * The ledger of actions that reached a final outcome, by idempotency key, and
 * the claims of deliveries running an action now.
 */
import { and, eq, lte } from "drizzle-orm";
import type { Db } from "./client.ts";
import { actionClaims, actionRuns } from "./schema.ts";

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

/**
 * Claims `key` for `token` until `until` unless another live claim holds it
 * (one whose holder crashed expires); true when `token` holds it now.
 */
export async function claimRun(
  db: Db,
  key: string,
  token: string,
  now: number,
  until: number,
): Promise<boolean> {
  const held = await db
    .insert(actionClaims)
    .values({ key, token, until })
    .onConflictDoUpdate({
      target: actionClaims.key,
      set: { token, until },
      setWhere: lte(actionClaims.until, now),
    })
    .returning({ token: actionClaims.token });
  return held.length > 0;
}

/** Gives up `token`'s claim on `key` (a no-op when another holds it). */
export async function releaseRun(db: Db, key: string, token: string): Promise<void> {
  await db
    .delete(actionClaims)
    .where(and(eq(actionClaims.key, key), eq(actionClaims.token, token)));
}
