/**
 * Idempotency records (`idempotent_requests`): a tenant's claim on an
 * `Idempotency-Key` with the fingerprint of the request that made it, and
 * once that request is answered, its response. A record answers for a day;
 * a claim whose request never finished may be taken over after a minute.
 * The middleware that uses them is `api/idempotency.ts`.
 */
import { and, eq, lt } from "drizzle-orm";
import type { Db } from "./client.ts";
import { idempotentRequests } from "./schema.ts";

/** How long a key answers with its first response. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim this old whose request never finished (the isolate died) may be taken over. */
const ABANDONED_MS = 60_000;

export type IdempotencyRow = typeof idempotentRequests.$inferSelect;

/** Claimed for this request, or held by the record of another (or the same, earlier) one. */
export type Claim = { claimed: true } | { claimed: false; row: IdempotencyRow };

const keyed = (tenant: string, key: string) =>
  and(eq(idempotentRequests.tenant, tenant), eq(idempotentRequests.key, key));

/**
 * Claims `key` for a request with `fingerprint`, unless a live record holds
 * it; an expired record, or an abandoned claim of the same request, no longer does.
 */
export async function claimKey(
  db: Db,
  tenant: string,
  key: string,
  fingerprint: string,
): Promise<Claim> {
  const now = Date.now();
  const where = keyed(tenant, key);
  await db
    .delete(idempotentRequests)
    .where(and(where, lt(idempotentRequests.createdAt, now - IDEMPOTENCY_TTL_MS)));
  const inserted = await db
    .insert(idempotentRequests)
    .values({ tenant, key, fingerprint, createdAt: now })
    .onConflictDoNothing()
    .returning({ key: idempotentRequests.key });
  if (inserted.length > 0) return { claimed: true };
  const row = await db.select().from(idempotentRequests).where(where).get();
  if (!row) return claimKey(db, tenant, key, fingerprint);
  if (
    row.status === null &&
    row.fingerprint === fingerprint &&
    row.createdAt < now - ABANDONED_MS
  ) {
    const taken = await db
      .update(idempotentRequests)
      .set({ createdAt: now })
      .where(and(where, eq(idempotentRequests.createdAt, row.createdAt)))
      .returning({ key: idempotentRequests.key });
    if (taken.length > 0) return { claimed: true };
  }
  return { claimed: false, row };
}

/** Gives a claimed key up, so a repeat runs again. */
export async function releaseKey(db: Db, tenant: string, key: string): Promise<void> {
  await db.delete(idempotentRequests).where(keyed(tenant, key));
}

/** Stores the response of the request that claimed `key`. */
export async function storeResponse(
  db: Db,
  tenant: string,
  key: string,
  response: { status: number; contentType: string | null; body: string },
): Promise<void> {
  await db.update(idempotentRequests).set(response).where(keyed(tenant, key));
}

/** Drops records past their time (the cron calls this). */
export async function expireIdempotencyRecords(db: Db, now: number): Promise<void> {
  await db
    .delete(idempotentRequests)
    .where(lt(idempotentRequests.createdAt, now - IDEMPOTENCY_TTL_MS));
}
