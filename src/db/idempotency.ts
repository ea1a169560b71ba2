/**
 * Idempotency records (`idempotent_requests`): a tenant's claim on an
 * `Idempotency-Key` with the fingerprint of the request that made it, and
 * once that request is answered, its response. A record answers for a day;
 * a claim whose request never finished may be taken over after a minute.
 * The middleware that uses them is `api/idempotency.ts`.
 */
import { and, eq, lt } from "drizzle-orm";
import type { Db } from "./client.ts";
import { insertNew, one, written } from "./dialect.ts";
import type { idempotentRequests } from "./schema.ts";

/** How long a key answers with its first response. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim this old whose request never finished (the isolate died) may be taken over. */
const ABANDONED_MS = 60_000;

export type IdempotencyRow = typeof idempotentRequests.$inferSelect;

/** Claimed for this request, or held by the record of another (or the same, earlier) one. */
export type Claim = { claimed: true } | { claimed: false; row: IdempotencyRow };

const keyed = (db: Db, tenant: string, key: string) =>
  and(eq(db.t.idempotentRequests.tenant, tenant), eq(db.t.idempotentRequests.key, key));

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
  const { idempotentRequests } = db.t;
  const now = Date.now();
  const where = keyed(db, tenant, key);
  await db
    .delete(idempotentRequests)
    .where(and(where, lt(idempotentRequests.createdAt, now - IDEMPOTENCY_TTL_MS)));
  // The key is at most 128 characters (checked by the route), within its column.
  if (await insertNew(db, idempotentRequests, { tenant, key, fingerprint, createdAt: now }))
    return { claimed: true };
  const row = await one(db, db.select().from(idempotentRequests).where(where));
  if (!row) return claimKey(db, tenant, key, fingerprint);
  if (
    row.status === null &&
    row.fingerprint === fingerprint &&
    row.createdAt < now - ABANDONED_MS
  ) {
    const taken = await written(
      db,
      db
        .update(idempotentRequests)
        .set({ createdAt: now })
        .where(and(where, eq(idempotentRequests.createdAt, row.createdAt))),
    );
    if (taken > 0) return { claimed: true };
  }
  return { claimed: false, row };
}

/** Gives a claimed key up, so a repeat runs again. */
export async function releaseKey(db: Db, tenant: string, key: string): Promise<void> {
  await db.delete(db.t.idempotentRequests).where(keyed(db, tenant, key));
}

/** Stores the response of the request that claimed `key`. */
export async function storeResponse(
  db: Db,
  tenant: string,
  key: string,
  response: { status: number; contentType: string | null; body: string },
): Promise<void> {
  await db
    .update(db.t.idempotentRequests)
    .set(response)
    .where(keyed(db, tenant, key));
}

/** Drops records past their time (the cron calls this). */
export async function expireIdempotencyRecords(db: Db, now: number): Promise<void> {
  const { idempotentRequests } = db.t;
  await db
    .delete(idempotentRequests)
    .where(lt(idempotentRequests.createdAt, now - IDEMPOTENCY_TTL_MS));
}
