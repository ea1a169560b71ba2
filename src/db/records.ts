/**
 * Records: small JSON documents per tenant, collection and key. Each write
 * bumps the record's version. Every change (a write or a delete) files its
 * event in the outbox (`record_events`) in the same D1 batch (MySQL
 * transaction), so the change and the news of it are stored together or not at all.
 */
import { and, asc, eq, gt, inArray, lt, sql } from "drizzle-orm";
import type { Chain } from "../cycle/index.ts";
import type { Db } from "./client.ts";
import { atomic, count, counted, lastInsertId, one, upsert } from "./dialect.ts";
import type { RecordEventRow, RecordRow } from "./schema.ts";
import { fewerThan, rowWhere } from "./within-quota.ts";

/** A stored change: the record as it is now (absent once deleted) and its event, waiting to be sent. */
export interface RecordChange<R> {
  row: R;
  event: RecordEventRow;
}

const where = (db: Db, tenant: string, collection: string, key: string) =>
  and(
    eq(db.t.records.tenant, tenant),
    eq(db.t.records.collection, collection),
    eq(db.t.records.key, key),
  );

/**
 * Files the change event of the record selected by `filter`, as the outbox
 * stores it, and reads it back (its id is the connection's last insert id).
 */
function fileEvent(
  db: Db,
  filter: ReturnType<typeof where>,
  fields: { value: unknown; version: unknown; at: unknown },
  chain: Chain | undefined,
) {
  const { recordEvents, records } = db.t;
  const insert = db.insert(recordEvents).select(
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
  );
  return [
    counted(db, insert),
    db
      .select()
      .from(recordEvents)
      .where(eq(recordEvents.id, lastInsertId(db))),
  ] as const;
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
  const { records } = db.t;
  const same = where(db, tenant, collection, key);
  const room = sql`exists (select 1 from ${records} where ${same}) or ${fewerThan(records, eq(records.tenant, tenant), limit)}`;
  const [stored, filed, events, rows] = await atomic(db, (q) => [
    counted(
      q,
      upsert(
        q,
        q
          .insert(records)
          .select(
            rowWhere(
              q,
              records,
              { tenant, collection, key, value, version: 1, updatedAt: at },
              room,
            ),
          ),
        records,
        {
          target: [records.tenant, records.collection, records.key],
          set: { value, version: sql`${records.version} + 1`, updatedAt: at },
        },
      ),
    ),
    ...fileEvent(
      q,
      same,
      { value: records.value, version: records.version, at: records.updatedAt },
      chain,
    ),
    q.select().from(records).where(same),
  ]);
  const [row] = rows;
  if (count(db, stored) === 0 || !row) return undefined;
  const [event] = events;
  if (count(db, filed) === 0 || !event)
    throw new Error(`record ${collection}/${key} was written without its event`);
  return { row, event };
}

export async function getRecord(
  db: Db,
  tenant: string,
  collection: string,
  key: string,
): Promise<RecordRow | undefined> {
  return one(
    db,
    db
      .select()
      .from(db.t.records)
      .where(where(db, tenant, collection, key)),
  );
}

export async function listRecords(
  db: Db,
  tenant: string,
  collection: string,
  after: string | undefined,
  limit: number,
): Promise<RecordRow[]> {
  const { records } = db.t;
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
    .limit(limit);
}

/** Deletes a record and files its change event (value null, version 0); undefined when there was none. */
export async function deleteRecord(
  db: Db,
  tenant: string,
  collection: string,
  key: string,
  at: number,
): Promise<RecordChange<undefined> | undefined> {
  const filter = where(db, tenant, collection, key);
  const [filed, events] = await atomic(db, (q) => [
    ...fileEvent(q, filter, { value: null, version: 0, at }, undefined),
    q.delete(q.t.records).where(filter),
  ]);
  const [event] = events;
  return count(db, filed) === 0 || event === undefined ? undefined : { row: undefined, event };
}

/** Change events still in the outbox that were filed before `before`, oldest first. */
export async function waitingRecordEvents(
  db: Db,
  before: number,
  limit: number,
): Promise<RecordEventRow[]> {
  const { recordEvents } = db.t;
  return db
    .select()
    .from(recordEvents)
    .where(lt(recordEvents.at, before))
    .orderBy(asc(recordEvents.id))
    .limit(limit);
}

/** Removes sent change events from the outbox. */
export async function dropRecordEvents(db: Db, ids: readonly number[]): Promise<void> {
  const { recordEvents } = db.t;
  if (ids.length > 0) await db.delete(recordEvents).where(inArray(recordEvents.id, [...ids]));
}

/** How many records a tenant has. */
export async function countRecords(db: Db, tenant: string): Promise<number> {
  const { records } = db.t;
  const row = await one(
    db,
    db.select({ n: sql<number>`count(*)` }).from(records).where(eq(records.tenant, tenant)),
  );
  return row?.n ?? 0;
}
