/**
 * Each tenant's share of this isolate's evaluation work. The budgets bound
 * one request; this bounds a tenant's requests together, so one tenant's
 * stream of heavy requests cannot take the isolate's time from the others:
 *
 * - a token bucket per tenant, refilled at `WORK_RATE.unitsPerSecond` up to
 *   `WORK_RATE.burst`, spent by what each evaluation request actually used;
 *   a tenant whose bucket is empty gets 429 RATE_LIMITED (`details.limit:
 *   "work"`, with Retry-After) until it refills;
 * - one turn at a time: a tenant's evaluation requests run one after another
 *   in an isolate (each yields between slices, so other tenants' requests run
 *   in between), at most `MAX_WAITING` waiting behind it (beyond, 429 too).
 *   However many connections a tenant opens, another tenant waits behind at
 *   most one of its slices.
 *
 * It is per isolate, like the work it protects: on Cloudflare a tenant's
 * requests spread over many isolates and machines, each bucket counting what
 * runs there. The map is bounded (least recently used tenants are forgotten,
 * which only ever gives them a full bucket again).
 */
import { ApiError } from "./errors.ts";

/** Units per second a tenant may spend here, and the most it may spend at once. */
export const WORK_RATE = { unitsPerSecond: 3_000_000, burst: 10_000_000 } as const;

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

/** Requests of one tenant that may wait for its turn. */
export const MAX_WAITING = 8;

/** How long a request waits for its turn before it is refused. */
const TURN_WAIT_MS = 5000;

/** Per tenant: whether one of its evaluation requests runs here, and how many wait. */
const turns = new Map<string, { running: boolean; waiting: number }>();

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function busy(waiting: number): ApiError {
  return new ApiError(
    429,
    "RATE_LIMITED",
    "this tenant's evaluation requests are queued here beyond what may wait; retry shortly",
    { limit: "work", waiting },
    { "retry-after": "1" },
  );
}

/**
 * Runs `work` in `tenant`'s turn: once no other evaluation request of the
 * tenant runs here. A waiting request checks again every few milliseconds
 * with a timer of its own (a request must not wait on another request's
 * promise: the runtime ties promises to the request that made them).
 * Throws 429 when too many wait, or the wait is too long.
 */
export async function inTurn<T>(tenant: string, work: () => Promise<T>): Promise<T> {
  let turn = turns.get(tenant);
  if (turn === undefined) {
    turn = { running: false, waiting: 0 };
    turns.set(tenant, turn);
  }
  if (turn.running) {
    if (turn.waiting >= MAX_WAITING) throw busy(turn.waiting);
    turn.waiting += 1;
    try {
      const deadline = Date.now() + TURN_WAIT_MS;
      while (turn.running) {
        if (Date.now() > deadline) throw busy(turn.waiting);
        await pause(10);
      }
    } finally {
      turn.waiting -= 1;
    }
  }
  turn.running = true;
  try {
    return await work();
  } finally {
    turn.running = false;
    if (turn.waiting === 0) turns.delete(tenant);
  }
}

/** Counts what a request of `tenant` spent (its bucket may go below zero: the next request waits). */
export function spendWork(tenant: string, units: number, now = Date.now()): void {
  bucket(tenant, now).tokens -= Math.max(0, units);
}
