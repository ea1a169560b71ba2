/**
 * Pruning what a goal keeps beyond its windows: the replay log and its
 * snapshots (a window at a time, at snapshot boundaries, so replay always
 * starts from a snapshot that is followed by every cycle's inputs since),
 * spec versions no kept input ran with, expired push idempotency keys, and
 * fault receipts beyond the newest `RETENTION.faults`. `housekeep` runs the
 * pruning after each cycle.
 */
import { describeError, log } from "../observability/log.ts";
import type { Instance } from "./instance.ts";
import { type GoalMeta, keys, RETENTION, type Snapshot } from "./store.ts";

/** How often a goal drops expired push idempotency keys (on cadence cycles). */
const IDEMPOTENCY_PRUNE_MS = 60_000;

/** Pruning after a cycle; a failure here is logged and does not fail the cycle. */
export async function housekeep(
  instance: Instance,
  meta: GoalMeta,
  cycle: number,
  cadence: boolean,
  now: number,
): Promise<void> {
  const { storage } = instance.ctx;
  try {
    await pruneReplay(storage, cycle);
    if (cadence && now - instance.idempotencyPrunedAt >= IDEMPOTENCY_PRUNE_MS) {
      instance.idempotencyPrunedAt = now;
      await pruneIdempotency(storage, now);
    }
  } catch (error) {
    log("warn", "housekeeping_fault", {
      goal: meta.id,
      tenant: meta.tenant,
      ...describeError(error),
    });
  }
}

/**
 * After cycle `cycle` (at a snapshot boundary): keeps the snapshot
 * `RETENTION.log` cycles back and everything after it; drops older log
 * entries, snapshots, and spec versions older than that snapshot's.
 */
export async function pruneReplay(storage: DurableObjectStorage, cycle: number): Promise<void> {
  if (cycle % RETENTION.snapshotEvery !== 0) return;
  const base = cycle - RETENTION.log;
  if (base <= 0) return;
  const kept = await storage.get<Snapshot>(keys.snapshot(base));
  if (kept === undefined) return;
  const window = Array.from({ length: RETENTION.snapshotEvery }, (_, i) =>
    keys.log(base - RETENTION.snapshotEvery + 1 + i),
  ).filter((key) => !key.startsWith("log:-"));
  const [older, specs] = await Promise.all([
    storage.list({ prefix: "snapshot:", end: keys.snapshot(base), limit: 16 }),
    storage.list({ prefix: "spec:", end: keys.spec(kept.specVersion), limit: 128 }),
  ]);
  const drop = [...window, ...older.keys(), ...specs.keys()];
  for (let i = 0; i < drop.length; i += 128) await storage.delete(drop.slice(i, i + 128));
}

/** Drops push idempotency keys older than their retention (a bounded batch per call). */
export async function pruneIdempotency(storage: DurableObjectStorage, now: number): Promise<void> {
  const expired = await storage.list<string>({
    prefix: "idemat:",
    end: keys.idemAt(now - RETENTION.idempotencyMs, ""),
    limit: 64,
  });
  if (expired.size === 0) return;
  await storage.delete([...expired.keys(), ...[...expired.values()].map((key) => keys.idem(key))]);
}

/**
 * Adds a fault receipt's key to the index of those kept and returns the keys
 * to delete with it: the oldest beyond `RETENTION.faults`.
 */
export async function indexFault(
  storage: DurableObjectStorage,
  key: string,
): Promise<{ index: string[]; drop: string[] }> {
  const index = [...((await storage.get<string[]>(keys.faults)) ?? []), key];
  const drop = index.splice(0, Math.max(0, index.length - RETENTION.faults));
  return { index, drop };
}
