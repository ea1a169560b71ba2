/**
 * Records: small JSON documents per tenant, collection and key. Each write
 * bumps the record's version. Every change (a write or a delete) files its
 * event in the outbox (`record_events`) in the same D1 batch, so the change
 * and the news of it are stored together or not at all.
 */
import { and, asc, eq, gt, inArray, lt, sql } from "drizzle-orm";
import type { Chain } from "../cycle/index.ts";
import type { Db } from "./client.ts";
import { type RecordEventRow, type RecordRow, recordEvents, records } from "./schema.ts";
import { fewerThan, rowWhere } from "./within-quota.ts";

/** A stored change: the record as it is now (absent once deleted) and its event, waiting to be sent. */
export interface RecordChange<R> {
  row: R;
  event: RecordEventRow;
}

const where = (tenant: string, collection: string, key: string) =>
  and(eq(records.tenant, tenant), eq(records.collection, collection), eq(records.key, key));

/** The change event of the record selected by `filter`, as the outbox stores it. */
function fileEvent(
  db: Db,
  filter: ReturnType<typeof where>,
  fields: { value: unknown; version: unknown; at: unknown },
  chain: Chain | undefined,
) {
  return db
    .insert(recordEvents)
    .select(
      db
        .select({
          id: sql<number>`null`.as("id"),
          tenant: records.tenant,
          collection: records.collection,
          key: records.key,
          value: sql`${fields.value}`.as("value"),
          version: sql<number>`${fields.version}`.as("version"),
          at: sql<number>`${fields.at}`.as("at"),
          chain: sql`${chain === undefined ? null : JSON.stringify(chain)}`.as("chain"),
        })
        .from(records)
        .where(filter),
    )
    .returning();
}

/**
 * Creates or replaces a record, bumping its version, and files its change
 * event (`chain`: the chain of the action that wrote it, if one did). A new
 * key is written only while the tenant holds fewer than `limit` records
 * (replacing one takes no new room), checked in the same statement:
 * undefined when there was no room (and then no event is filed either).
 */
export async function putRecord(
  db: Db,
  tenant: string,
  collection: string,
  key: string,
  value: unknown,
  at: number,
  limit: number,
  chain?: Chain,
): Promise<RecordChange<RecordRow> | undefined> {
  const same = where(tenant, collection, key);
  const room = sql`exists (select 1 from ${records} where ${same}) or ${fewerThan(records, eq(records.tenant, tenant), limit)}`;
  const [rows, events] = await db.batch([
    db
      .insert(records)
      .select(
        rowWhere(records, { tenant, collection, key, value, version: 1, updatedAt: at }, room),
      )
      .onConflictDoUpdate({
        target: [records.tenant, records.collection, records.key],
        set: { value, version: sql`${records.version} + 1`, updatedAt: at },
      })
      .returning(),
    fileEvent(
      db,
      same,
      { value: records.value, version: records.version, at: records.updatedAt },
      chain,
    ),
  ]);
  const [row] = rows;
  const [event] = events;
  if (!row) return undefined;
  if (!event) throw new Error(`record ${collection}/${key} was written without its event`);
  return { row, event };
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
    .where(where(tenant, collection, key))
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

/** Deletes a record and files its change event (value null, version 0); undefined when there was none. */
export async function deleteRecord(
  db: Db,
  tenant: string,
  collection: string,
  key: string,
  at: number,
): Promise<RecordChange<undefined> | undefined> {
  const filter = where(tenant, collection, key);
  const [events] = await db.batch([
    fileEvent(db, filter, { value: null, version: 0, at }, undefined),
    db.delete(records).where(filter),
  ]);
  const [event] = events;
  return event === undefined ? undefined : { row: undefined, event };
}

/** Change events still in the outbox that were filed before `before`, oldest first. */
export async function waitingRecordEvents(
  db: Db,
  before: number,
  limit: number,
): Promise<RecordEventRow[]> {
  return db
    .select()
    .from(recordEvents)
    .where(lt(recordEvents.at, before))
    .orderBy(asc(recordEvents.id))
    .limit(limit)
    .all();
}

/** Removes sent change events from the outbox. */
export async function dropRecordEvents(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length > 0) await db.delete(recordEvents).where(inArray(recordEvents.id, [...ids]));
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
