/**
 * Times in the API. Every time a response carries is an ISO 8601 string in
 * UTC with milliseconds (`2026-12-06T13:00:00.000Z`; JSON Schema
 * `format: date-time`); a time a request carries may be that, any ISO 8601
 * time with an offset, or epoch milliseconds. Durations stay numbers named
 * for their unit (`duration_ms`, `latency_ms`, `within_ms`).
 *
 * Storage keeps epoch milliseconds (receipts are stored, and replay compares
 * the stored ones with its own), so times are converted here, on the way out.
 */
import { z } from "zod";

export { isoTime, receiptOut } from "../cycle/index.ts";

/** A time in a response. */
export const DateTime = z.iso.datetime().describe("ISO 8601, UTC");

/** A time in a request: epoch milliseconds or ISO 8601 with an offset. */
export const TimeInput = z.union([
  z.number().int().nonnegative(),
  z.iso.datetime({ offset: true }),
]);

/** Milliseconds from a request's time (`fallback` when absent); NaN when it names no time. */
export function toMs(at: number | string | undefined, fallback: number): number {
  if (at === undefined) return fallback;
  return typeof at === "number" ? at : Date.parse(at);
}
