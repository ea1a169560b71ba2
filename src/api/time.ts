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
import type { Receipt } from "../cycle/index.ts";

/** A time in a response. */
export const DateTime = z.iso.datetime().describe("ISO 8601, UTC");

/** A time in a request: epoch milliseconds or ISO 8601 with an offset. */
export const TimeInput = z.union([
  z.number().int().nonnegative(),
  z.iso.datetime({ offset: true }),
]);

/** Epoch milliseconds as the API writes a time. */
export function isoTime(ms: number): string;
export function isoTime(ms: number | null | undefined): string | null;
export function isoTime(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

/** Milliseconds from a request's time (`fallback` when absent); NaN when it names no time. */
export function toMs(at: number | string | undefined, fallback: number): number {
  if (at === undefined) return fallback;
  return typeof at === "number" ? at : Date.parse(at);
}

/** A stored receipt or fault receipt: a receipt's fields, all optional, with whatever the shell added. */
type StoredTimes = Partial<Pick<Receipt, "at" | "observed" | "act_results" | "decisions">> & {
  fault?: { retry_at?: number };
};

const withIso = <T extends { at: number }>(entry: T) => ({ ...entry, at: isoTime(entry.at) });

/**
 * A receipt (or fault receipt) as the API shows it: its `at`, each observed
 * entry's, each act result's and decision's `at`, and a fault's `retry_at`
 * as ISO times. Everything else is as stored.
 */
export function receiptOut(receipt: StoredTimes) {
  const out: Record<string, unknown> = { ...receipt };
  if (receipt.at !== undefined) out.at = isoTime(receipt.at);
  if (receipt.observed !== undefined) {
    out.observed = Object.fromEntries(
      Object.entries(receipt.observed).map(([name, entries]) => [name, entries.map(withIso)]),
    );
  }
  if (receipt.act_results !== undefined) out.act_results = receipt.act_results.map(withIso);
  if (receipt.decisions !== undefined) out.decisions = receipt.decisions.map(withIso);
  if (receipt.fault?.retry_at !== undefined) {
    out.fault = { ...receipt.fault, retry_at: isoTime(receipt.fault.retry_at) };
  }
  return out;
}
