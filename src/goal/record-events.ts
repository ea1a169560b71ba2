/**
 * Record changes on their way to the goals that watch them. A change and its
 * event are written together in D1 (the outbox, see `db/records.ts`); the
 * event is then sent on the OBSERVATIONS queue and leaves the outbox. A send
 * that fails, or a crash before it, leaves the event waiting, and the cron
 * sends it. A goal applies a record's event once per version, so an event
 * sent twice changes nothing, and one sent late does not replace a newer value.
 */
import type { Db } from "../db/client.ts";
import { dropRecordEvents, waitingRecordEvents } from "../db/records.ts";
import type { RecordEventRow } from "../db/schema.ts";
import { describeError, log } from "../observability/log.ts";
import type { RecordEvent } from "../queues.ts";

/** How long an event may wait for the request that filed it before the cron sends it. */
export const RECORD_EVENT_GRACE_MS = 30_000;
/** Most waiting events the cron sends per run (one D1 delete binds their ids, at most 100). */
const PER_RUN = 50;

/** The queue message of a filed change. */
export function recordEvent(row: RecordEventRow): RecordEvent {
  return {
    type: "record",
    tenant: row.tenant,
    collection: row.collection,
    key: row.key,
    value: row.value ?? null,
    version: row.version,
    at: row.at,
    ...(row.chain === null ? {} : { chain: row.chain }),
  };
}

/**
 * Sends a change's event and takes it out of the outbox. Never throws: the
 * change is stored either way, and an event that could not be sent waits for
 * the cron (logged, so an operator sees the queue failing). True when sent.
 */
export async function publishRecordEvent(env: Env, db: Db, row: RecordEventRow): Promise<boolean> {
  try {
    await env.OBSERVATIONS.send(recordEvent(row), { contentType: "json" });
  } catch (error) {
    log("warn", "record_event_waiting", {
      tenant: row.tenant,
      event: row.id,
      ...describeError(error),
    });
    return false;
  }
  // Sent: a failure to drop it only means the cron sends it again, which changes nothing.
  await dropRecordEvents(db, [row.id]).catch(() => undefined);
  return true;
}

/**
 * Sends the events that waited longer than the grace period (the cron), oldest
 * first; each that fails waits for the next run. Returns how many were sent.
 */
export async function sendWaitingRecordEvents(env: Env, db: Db, now: number): Promise<number> {
  const waiting = await waitingRecordEvents(db, now - RECORD_EVENT_GRACE_MS, PER_RUN);
  const sent: number[] = [];
  for (const row of waiting) {
    try {
      await env.OBSERVATIONS.send(recordEvent(row), { contentType: "json" });
      sent.push(row.id);
    } catch (error) {
      log("error", "record_event_unsent", {
        tenant: row.tenant,
        event: row.id,
        ...describeError(error),
      });
    }
  }
  await dropRecordEvents(db, sent);
  return sent.length;
}
