/**
 * The ledger of actions that reached a final outcome, by idempotency key, and
 * the claims of deliveries running an action now.
 */
import { and, eq, lte } from "drizzle-orm";
import type { Db } from "./client.ts";
import { actionClaims, actionRuns, type GoalSecretsRow, goalSecrets } from "./schema.ts";

/**
 * Records the final outcome (the first writer wins, later ones are ignored)
 * and gives up `token`'s claim, in one D1 round trip.
 */
export async function recordRun(
  db: Db,
  row: { key: string; tenant: string; goalId: string; result: Record<string, unknown>; at: number },
  token: string,
): Promise<void> {
  await db.batch([
    db.insert(actionRuns).values(row).onConflictDoNothing(),
    db
      .delete(actionClaims)
      .where(and(eq(actionClaims.key, row.key), eq(actionClaims.token, token))),
  ]);
}

/**
 * Claims `key` for `token` until `until` unless another live claim holds it
 * (one whose holder crashed expires), and reads the outcome already recorded
 * for it, in one D1 round trip (the read sees the claim's transaction). With
 * `secretsOf`, the same round trip also reads that goal's secrets (a webhook
 * signs with them): undefined when the goal has none yet.
 */
export async function claimRun(
  db: Db,
  key: string,
  token: string,
  now: number,
  until: number,
  secretsOf?: { tenant: string; goalId: string },
): Promise<{
  held: boolean;
  prior: Record<string, unknown> | undefined;
  secrets: GoalSecretsRow | undefined;
}> {
  const claim = [
    db
      .insert(actionClaims)
      .values({ key, token, until })
      .onConflictDoUpdate({
        target: actionClaims.key,
        set: { token, until },
        setWhere: lte(actionClaims.until, now),
      })
      .returning({ token: actionClaims.token }),
    db.select({ result: actionRuns.result }).from(actionRuns).where(eq(actionRuns.key, key)),
  ] as const;
  if (secretsOf === undefined) {
    const [held, prior] = await db.batch(claim);
    return { held: held.length > 0, prior: prior[0]?.result, secrets: undefined };
  }
  const [held, prior, secrets] = await db.batch([
    ...claim,
    db
      .select()
      .from(goalSecrets)
      .where(
        and(eq(goalSecrets.goalId, secretsOf.goalId), eq(goalSecrets.tenant, secretsOf.tenant)),
      ),
  ]);
  return { held: held.length > 0, prior: prior[0]?.result, secrets: secrets[0] };
}

/** Gives up `token`'s claim on `key` (a no-op when another holds it). */
export async function releaseRun(db: Db, key: string, token: string): Promise<void> {
  await db
    .delete(actionClaims)
    .where(and(eq(actionClaims.key, key), eq(actionClaims.token, token)));
}
