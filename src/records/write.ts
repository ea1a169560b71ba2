/**
 * Changing a record, the one use case behind `PUT`/`DELETE /v1/records/…`
 * and a `record` action: the size limit, the tenant's records quota (held in
 * the write's own statement), the change stored with its event, and the
 * event published to the goals watching that collection or key.
 */

import type { Chain } from "../cycle/index.ts";
import type { Db } from "../db/client.ts";
import { quotaExceeded, quotaLimit } from "../db/quotas.ts";
import { deleteRecord, putRecord } from "../db/records.ts";
import type { RecordRow } from "../db/schema.ts";
import { RecordTooLarge } from "../errors.ts";
import { publishRecordEvent } from "../goal/record-events.ts";
import { jsonBytes, RECORD_SEGMENT } from "../spec/index.ts";

/** A collection or key's rule (`spec/names.ts`), here beside the writes it guards. */
export { RECORD_SEGMENT };

/**
 * Largest record: UTF-8 bytes of its JSON. Its change event (the value and
 * under 1 KiB of names) then fits a queue message (128 KB) and a D1 row.
 */
export const MAX_RECORD_BYTES = 64 * 1024;

/**
 * Creates or replaces a record and tells the goals watching it (`chain`: the
 * chain of the action that wrote it, if one did). Throws RecordTooLarge past
 * MAX_RECORD_BYTES and QuotaExceeded for a new key over the records quota;
 * then nothing is written.
 */
export async function writeRecord(
  env: Env,
  db: Db,
  tenant: string,
  collection: string,
  key: string,
  value: unknown,
  chain?: Chain,
): Promise<RecordRow> {
  const bytes = jsonBytes(value);
  if (bytes > MAX_RECORD_BYTES) {
    throw new RecordTooLarge(
      `a record is at most ${MAX_RECORD_BYTES} bytes of JSON (UTF-8); this one is ${bytes}`,
      { details: { bytes, max_bytes: MAX_RECORD_BYTES } },
    );
  }
  const limit = quotaLimit(env, "records");
  const written = await putRecord(db, tenant, collection, key, value, Date.now(), limit, chain);
  if (!written) throw await quotaExceeded(db, tenant, "records", limit);
  await publishRecordEvent(env, db, written.event);
  return written.row;
}

/** Deletes a record and tells the goals watching it (they observe null); false when there was none. */
export async function removeRecord(
  env: Env,
  db: Db,
  tenant: string,
  collection: string,
  key: string,
): Promise<boolean> {
  const deleted = await deleteRecord(db, tenant, collection, key, Date.now());
  if (!deleted) return false;
  await publishRecordEvent(env, db, deleted.event);
  return true;
}
