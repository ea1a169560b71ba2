/**
 * The ledger of actions that reached a final outcome, by idempotency key, and
 * the claims of deliveries running an action now.
 */
import { and, eq, lte } from "drizzle-orm";
import type { Db } from "./client.ts";
import { atomic, ignoreDuplicates, upsert } from "./dialect.ts";
import type { GoalSecretsRow } from "./schema.ts";

/**
 * Records the final outcome (the first writer wins, later ones are ignored)
 * and gives up `token`'s claim, in one D1 round trip (one MySQL transaction).
 */
export async function recordRun(
  db: Db,
  row: { key: string; tenant: string; goalId: string; result: Record<string, unknown>; at: number },
  token: string,
): Promise<void> {
  const { actionClaims, actionRuns } = db.t;
  await atomic(db, (q) => [
    ignoreDuplicates(q, q.insert(actionRuns).values(row), actionRuns),
    q.delete(actionClaims).where(and(eq(actionClaims.key, row.key), eq(actionClaims.token, token))),
  ]);
}

/**
 * Claims `key` for `token` until `until` unless another live claim holds it
 * (one whose holder crashed expires), and reads the outcome already recorded
 * for it, in one D1 round trip (one MySQL transaction; the reads see the
 * claim). Held when the claim's token is `token` after the write (tokens are
 * unique per delivery). With `secretsOf`, the same round trip also reads that
 * goal's secrets (a webhook signs with them): undefined when the goal has none yet.
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
  const { actionClaims, actionRuns, goalSecrets } = db.t;
  const claim = (q: Db) =>
    [
      // `until` last: in MySQL the assignment of `token` still reads the old one.
      upsert(q, q.insert(actionClaims).values({ key, token, until }), actionClaims, {
        target: actionClaims.key,
        set: { token, until },
        setWhere: lte(actionClaims.until, now),
      }),
      q.select({ token: actionClaims.token }).from(actionClaims).where(eq(actionClaims.key, key)),
      q.select({ result: actionRuns.result }).from(actionRuns).where(eq(actionRuns.key, key)),
    ] as const;
  if (secretsOf === undefined) {
    const [, holder, prior] = await atomic(db, (q) => [...claim(q)]);
    return { held: holder[0]?.token === token, prior: prior[0]?.result, secrets: undefined };
  }
  const [, holder, prior, secrets] = await atomic(db, (q) => [
    ...claim(q),
    q
      .select()
      .from(goalSecrets)
      .where(
        and(eq(goalSecrets.goalId, secretsOf.goalId), eq(goalSecrets.tenant, secretsOf.tenant)),
      ),
  ]);
  return { held: holder[0]?.token === token, prior: prior[0]?.result, secrets: secrets[0] };
}

/** Gives up `token`'s claim on `key` (a no-op when another holds it). */
export async function releaseRun(db: Db, key: string, token: string): Promise<void> {
  const { actionClaims } = db.t;
  await db
    .delete(actionClaims)
    .where(and(eq(actionClaims.key, key), eq(actionClaims.token, token)));
}
