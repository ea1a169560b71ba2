/**
 * Keeping a receipt small. Receipts are stored in the goal's storage and
 * copied to D1 (a statement is at most 100 KB), so a cycle that took in a
 * large batch of observations, or read and rendered large values, must not
 * make a receipt that cannot be written: that would fail the cycle on every
 * retry. A receipt over `MAX_RECEIPT_BYTES` keeps only the newest entries of
 * each observed name (counting the rest in `observed_omitted`) and shows
 * large values as `{"omitted_bytes": N}`, a step at a time until it fits.
 * Pure and deterministic, so replay compacts exactly as the live goal did.
 * The cycle itself always sees every value; only the audit entry is cut.
 */
import { type JsonValue, jsonBytes } from "../spec/index.ts";
import type { PlannedAction, Receipt } from "./receipt.ts";

/** The most a receipt takes as JSON before it is compacted. */
export const MAX_RECEIPT_BYTES = 48 * 1024;

/** Successively smaller receipts: entries kept per observed name, largest value shown whole. */
const STEPS = [
  { perName: 20, leafBytes: 4096 },
  { perName: 5, leafBytes: 512 },
  { perName: 1, leafBytes: 96 },
] as const;

/** `value`, or a note of its size when its JSON is longer than `limit` bytes. */
function shrink(value: JsonValue, limit: number): JsonValue {
  const bytes = jsonBytes(value);
  return bytes > limit ? { omitted_bytes: bytes } : value;
}

function shrinkRecord(
  record: Readonly<Record<string, JsonValue>>,
  limit: number,
): Record<string, JsonValue> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, shrink(v, limit)]));
}

function shrinkAction(action: PlannedAction, limit: number): PlannedAction {
  switch (action.kind) {
    case "webhook":
      return {
        ...action,
        payload: { ...action.payload, body: shrink(action.payload.body, limit) },
      };
    case "formula":
      return {
        ...action,
        payload: { ...action.payload, args: shrink(action.payload.args, limit) },
      };
    case "record":
      return {
        ...action,
        payload: { ...action.payload, value: shrink(action.payload.value, limit) },
      };
    case "signal":
      return {
        ...action,
        payload: { ...action.payload, value: shrink(action.payload.value, limit) },
      };
    case "spawn":
      return { ...action, payload: { spec: shrink(action.payload.spec, limit) } };
  }
}

function compactWith(receipt: Receipt, perName: number, limit: number): Receipt {
  const omitted: Record<string, number> = { ...(receipt.observed_omitted ?? {}) };
  const observed = Object.fromEntries(
    Object.entries(receipt.observed).map(([name, entries]) => {
      const cut = Math.max(0, entries.length - perName);
      if (cut > 0) omitted[name] = (omitted[name] ?? 0) + cut;
      const kept = entries
        .slice(cut)
        .map((entry) => ({ ...entry, value: shrink(entry.value, limit) }));
      return [name, kept];
    }),
  );
  return {
    ...receipt,
    observed,
    ...(Object.keys(omitted).length > 0 ? { observed_omitted: omitted } : {}),
    oriented: Object.fromEntries(
      Object.entries(receipt.oriented).map(([name, entry]) => [name, shrink(entry, limit)]),
    ),
    verdicts: receipt.verdicts.map((verdict) =>
      verdict.values === undefined
        ? verdict
        : { ...verdict, values: shrinkRecord(verdict.values, limit) },
    ),
    actions: receipt.actions.map((action) => shrinkAction(action, limit)),
    compacted: true,
  };
}

/** `receipt` as is when it fits `MAX_RECEIPT_BYTES`, else compacted step by step. */
export function compactReceipt(receipt: Receipt): Receipt {
  if (jsonBytes(receipt) <= MAX_RECEIPT_BYTES) return receipt;
  let compacted = receipt;
  for (const step of STEPS) {
    compacted = compactWith(receipt, step.perName, step.leafBytes);
    if (jsonBytes(compacted) <= MAX_RECEIPT_BYTES) break;
  }
  return compacted;
}
