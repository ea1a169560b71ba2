/** The receipts a goal page holds: in order, without repeats, bounded. */
import type { Receipt } from "./types.ts";

/** How many cycles the timeline shows. */
export const HISTORY = 100;

/** Receipts by cycle and time: cycles in order, a fault receipt after its cycle. */
function byOrder(a: Receipt, b: Receipt): number {
  return a.cycle - b.cycle || Date.parse(a.at) - Date.parse(b.at);
}

/** The receipt of cycle `n` (its cycle receipt rather than a fault filed after it). */
export function pick(receipts: readonly Receipt[], n: number): Receipt | undefined {
  return receipts.find((r) => r.cycle === n && !r.fault) ?? receipts.find((r) => r.cycle === n);
}

/** The receipts with `more` added (a receipt seen again replaces itself), in order, the latest kept. */
export function merge(receipts: readonly Receipt[], more: readonly Receipt[]): Receipt[] {
  const key = (r: Receipt) => `${r.cycle}:${r.fault ? r.at : ""}`;
  const all = new Map(receipts.map((r) => [key(r), r]));
  for (const r of more) all.set(key(r), r);
  return [...all.values()].sort(byOrder).slice(-HISTORY);
}
