/**
 * Records: small JSON documents per tenant, collection and key. Each write
 * bumps the record's version.
 */
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { type RecordRow, records } from "./schema.ts";
import { fewerThan, rowWhere } from "./within-quota.ts";

/**
 * Creates or replaces a record; returns the stored row with its new version.
 * A new key is written only while the tenant holds fewer than `limit`
 * records (replacing one takes no new room), checked in the same statement:
 * undefined when there was no room.
 */
export async function putRecord(
  db: Db,
  tenant: string,
  collection: string,
  key: string,
  value: unknown,
  at: number,
  limit: number,
): Promise<RecordRow | undefined> {
  const same = and(
    eq(records.tenant, tenant),
    eq(records.collection, collection),
    eq(records.key, key),
  );
  const room = sql`exists (select 1 from ${records} where ${same}) or ${fewerThan(records, eq(records.tenant, tenant), limit)}`;
  return db
    .insert(records)
    .select(rowWhere(records, { tenant, collection, key, value, version: 1, updatedAt: at }, room))
    .onConflictDoUpdate({
      target: [records.tenant, records.collection, records.key],
      set: { value, version: sql`${records.version} + 1`, updatedAt: at },
    })
    .returning()
    .get();
}

export async function getRecord(
  db: Db,
  tenant: string,
  collection: string,
  key: string,
): Promise<RecordRow | undefined> {
  return db
    .select()
    .from(records)
    .where(
      and(eq(records.tenant, tenant), eq(records.collection, collection), eq(records.key, key)),
    )
    .get();
}

export async function listRecords(
  db: Db,
  tenant: string,
  collection: string,
  after: string | undefined,
  limit: number,
): Promise<RecordRow[]> {
  return db
    .select()
    .from(records)
    .where(
      and(
        eq(records.tenant, tenant),
        eq(records.collection, collection),
        after === undefined ? undefined : gt(records.key, after),
      ),
    )
    .orderBy(asc(records.key))
    .limit(limit)
    .all();
}

/** Deletes a record; false when there was none. */
export async function deleteRecord(
  db: Db,
  tenant: string,
  collection: string,
  key: string,
): Promise<boolean> {
  const rows = await db
    .delete(records)
    .where(
      and(eq(records.tenant, tenant), eq(records.collection, collection), eq(records.key, key)),
    )
    .returning({ key: records.key });
  return rows.length > 0;
}

/** How many records a tenant has. */
export async function countRecords(db: Db, tenant: string): Promise<number> {
  const row = await db
    .select({ n: sql<number>`count(*)` })
    .from(records)
    .where(eq(records.tenant, tenant))
    .get();
  return row?.n ?? 0;
}
