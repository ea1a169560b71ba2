/**
 * A receipt as JSON for people and clients (the API and the live channel):
 * epoch milliseconds, as storage keeps them (replay compares stored receipts
 * with its own), become ISO 8601 strings in UTC with milliseconds.
 */
import type { Receipt } from "./receipt.ts";

/** Epoch milliseconds as the API writes a time. */
export function isoTime(ms: number): string;
export function isoTime(ms: number | null | undefined): string | null;
export function isoTime(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

/** A stored receipt or fault receipt: a receipt's fields, all optional, with whatever the shell added. */
type StoredTimes = Partial<Pick<Receipt, "at" | "observed" | "act_results" | "decisions">> & {
  fault?: { retry_at?: number };
  spec_version?: number;
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
