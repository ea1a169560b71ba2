/**
 * Each tenant's share of this isolate's evaluation work. The budgets bound
 * one request; this bounds a tenant's requests together, so one tenant's
 * stream of heavy requests cannot take the isolate's time from the others:
 * a token bucket per tenant, refilled at `WORK_RATE.unitsPerSecond` up to
 * `WORK_RATE.burst`, spent by what each evaluation request actually used.
 * A tenant whose bucket is empty gets 429 RATE_LIMITED (`details.limit:
 * "work"`, with Retry-After) until it refills.
 *
 * It is per isolate, like the work it protects: on Cloudflare a tenant's
 * requests spread over many isolates and machines, each bucket counting what
 * runs there. The map is bounded (least recently used tenants are forgotten,
 * which only ever gives them a full bucket again).
 */
import { ApiError } from "./errors.ts";

/** Units per second a tenant may spend here, and the most it may spend at once. */
export const WORK_RATE = { unitsPerSecond: 20_000_000, burst: 40_000_000 } as const;

const MAX_TENANTS = 10_000;
const buckets = new Map<string, { tokens: number; at: number }>();

function bucket(tenant: string, now: number): { tokens: number; at: number } {
  const found = buckets.get(tenant);
  const current = found ?? { tokens: WORK_RATE.burst, at: now };
  const refill = (Math.max(0, now - current.at) / 1000) * WORK_RATE.unitsPerSecond;
  current.tokens = Math.min(WORK_RATE.burst, current.tokens + refill);
  current.at = now;
  buckets.delete(tenant); // re-insert: the map's order is least recently used first
  buckets.set(tenant, current);
  if (buckets.size > MAX_TENANTS) {
    const oldest = buckets.keys().next().value;
    if (oldest !== undefined) buckets.delete(oldest);
  }
  return current;
}

/** Refuses a tenant whose share is spent (429 with Retry-After), before any work starts. */
export function admitWork(tenant: string, now = Date.now()): void {
  const { tokens } = bucket(tenant, now);
  if (tokens > 0) return;
  const seconds = Math.max(1, Math.ceil(-tokens / WORK_RATE.unitsPerSecond));
  throw new ApiError(
    429,
    "RATE_LIMITED",
    `this tenant's evaluation work in the last seconds used its share (${WORK_RATE.unitsPerSecond} units a second); retry in ${seconds}s`,
    { limit: "work", units_per_second: WORK_RATE.unitsPerSecond },
    { "retry-after": String(seconds) },
  );
}

/** Counts what a request of `tenant` spent (its bucket may go below zero: the next request waits). */
export function spendWork(tenant: string, units: number, now = Date.now()): void {
  bucket(tenant, now).tokens -= Math.max(0, units);
}
