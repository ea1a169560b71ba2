/**
 * API key queries. A revoked key is kept (for the audit of who used what) but
 * never matches a lookup.
 */
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { type ApiKeyRow, apiKeys } from "./schema.ts";
import { fewerThan, rowWhere } from "./within-quota.ts";

/**
 * Stores a new key (hash only) while its tenant has fewer than `limit` live
 * keys, checked in the same statement; false when there was no room.
 */
export async function insertKey(db: Db, row: ApiKeyRow, limit: number): Promise<boolean> {
  const live = and(eq(apiKeys.tenant, row.tenant), isNull(apiKeys.revokedAt));
  const inserted = await db
    .insert(apiKeys)
    .select(rowWhere(apiKeys, row, fewerThan(apiKeys, live, limit)))
    .returning({ id: apiKeys.id });
  return inserted.length > 0;
}

/** How many live (unrevoked) keys a tenant has. */
export async function countLiveKeys(db: Db, tenant: string): Promise<number> {
  const row = await db
    .select({ n: sql<number>`count(*)` })
    .from(apiKeys)
    .where(and(eq(apiKeys.tenant, tenant), isNull(apiKeys.revokedAt)))
    .get();
  return row?.n ?? 0;
}

/** The live (unrevoked) key with this hash, if any. */
export async function findLiveKeyByHash(db: Db, hash: string): Promise<ApiKeyRow | undefined> {
  return db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)))
    .get();
}

/** Keys of one tenant, or of every tenant when `tenant` is undefined; newest first. */
export async function listKeys(db: Db, tenant: string | undefined): Promise<ApiKeyRow[]> {
  const query = db.select().from(apiKeys);
  const scoped = tenant === undefined ? query : query.where(eq(apiKeys.tenant, tenant));
  return scoped.orderBy(desc(apiKeys.createdAt), desc(apiKeys.id)).limit(1000).all();
}

/**
 * Revokes a key; `tenant` restricts it to one tenant's keys. Returns false
 * when no such live key exists (or it belongs to another tenant).
 */
export async function revokeKey(
  db: Db,
  id: string,
  tenant: string | undefined,
  at: number,
): Promise<boolean> {
  const where =
    tenant === undefined
      ? and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))
      : and(eq(apiKeys.id, id), eq(apiKeys.tenant, tenant), isNull(apiKeys.revokedAt));
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: at })
    .where(where)
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}
