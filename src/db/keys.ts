/**
 * API key queries. A revoked key is kept (for the audit of who used what) but
 * never matches a lookup.
 */
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { one, written } from "./dialect.ts";
import type { ApiKeyRow } from "./schema.ts";
import { fewerThan, rowWhere } from "./within-quota.ts";

/**
 * Stores a new key (hash only) while its tenant has fewer than `limit` live
 * keys, checked in the same statement; false when there was no room.
 */
export async function insertKey(db: Db, row: ApiKeyRow, limit: number): Promise<boolean> {
  const { apiKeys } = db.t;
  const live = and(eq(apiKeys.tenant, row.tenant), isNull(apiKeys.revokedAt));
  const inserted = await written(
    db,
    db.insert(apiKeys).select(rowWhere(db, apiKeys, row, fewerThan(apiKeys, live, limit))),
  );
  return inserted > 0;
}

/** How many live (unrevoked) keys a tenant has. */
export async function countLiveKeys(db: Db, tenant: string): Promise<number> {
  const { apiKeys } = db.t;
  const row = await one(
    db,
    db
      .select({ n: sql<number>`count(*)` })
      .from(apiKeys)
      .where(and(eq(apiKeys.tenant, tenant), isNull(apiKeys.revokedAt))),
  );
  return row?.n ?? 0;
}

/** The live (unrevoked) key with this hash, if any. */
export async function findLiveKeyByHash(db: Db, hash: string): Promise<ApiKeyRow | undefined> {
  const { apiKeys } = db.t;
  return one(
    db,
    db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt))),
  );
}

/** Which of these key ids are live (unrevoked) keys. */
export async function liveKeyIds(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { apiKeys } = db.t;
  const rows = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(inArray(apiKeys.id, ids), isNull(apiKeys.revokedAt)));
  return new Set(rows.map((row) => row.id));
}

/** Keys of one tenant, or of every tenant when `tenant` is undefined; newest first. */
export async function listKeys(db: Db, tenant: string | undefined): Promise<ApiKeyRow[]> {
  const { apiKeys } = db.t;
  return db
    .select()
    .from(apiKeys)
    .where(tenant === undefined ? undefined : eq(apiKeys.tenant, tenant))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(1000);
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
  const { apiKeys } = db.t;
  const where = and(
    eq(apiKeys.id, id),
    tenant === undefined ? undefined : eq(apiKeys.tenant, tenant),
    isNull(apiKeys.revokedAt),
  );
  return (await written(db, db.update(apiKeys).set({ revokedAt: at }).where(where))) > 0;
}
