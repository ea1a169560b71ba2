/**
 * What a cycle leaves besides its state: one JSON log line per loop phase, and
 * for a cycle that failed, a fault receipt in the audit trail.
 */
import { describeError, log } from "../observability/log.ts";
import { countFault } from "../observability/metrics.ts";
import type { StepOutcome } from "./cycle-step.ts";
import { indexFault } from "./housekeeping.ts";
import { type GoalMeta, keys, metaWrites } from "./store.ts";

/** A failed cycle's entry in the audit trail. */
export interface FaultReceipt {
  goal_id: string;
  cycle: number;
  at: number;
  spec_version: number;
  fault: { error: string; message: string; failures: number; retry_at: number };
}

/** Records a failed cycle: the goal's last fault, a fault receipt, a log line and a counter. */
export async function recordFault(
  storage: DurableObjectStorage,
  meta: GoalMeta,
  now: number,
  error: unknown,
  retryAt: number,
): Promise<FaultReceipt | null> {
  const { error: name, error_message } = describeError(error);
  meta.lastFault = { at: now, message: error_message };
  log("error", "cycle_fault", {
    goal: meta.id,
    tenant: meta.tenant,
    failures: meta.failures,
    retry_at: retryAt,
    error: name,
    error_message,
  });
  countFault(meta.tenant, meta.id);
  try {
    const cycle = meta.lastCycle;
    const key = keys.fault(cycle, now);
    const { index, drop } = await indexFault(storage, key);
    const dropped = drop.length > 0 ? storage.delete(drop) : Promise.resolve(0);
    const receipt: FaultReceipt = {
      goal_id: meta.id,
      cycle,
      at: now,
      spec_version: meta.specVersion,
      fault: {
        error: name,
        message: error_message,
        failures: meta.failures,
        retry_at: retryAt,
      },
    };
    const stored = storage.put({
      ...metaWrites(meta, false),
      [keys.faults]: index,
      [key]: receipt,
    });
    await Promise.all([stored, dropped]);
    return receipt;
  } catch (storageError) {
    log("error", "fault_not_recorded", { goal: meta.id, ...describeError(storageError) });
    return null;
  }
}

/** A cycle that could not even record its fault (its storage failed too). */
export function logNotRun(meta: GoalMeta, error: unknown): void {
  log("error", "cycle_not_run", { goal: meta.id, tenant: meta.tenant, ...describeError(error) });
}

/**
 * One JSON line per loop phase that did something: `observe` (inputs and
 * polls), `decide` (always: the verdict summary), `act` (one per action sent).
 */
export function logPhases(meta: GoalMeta, outcome: StepOutcome, sent: number): void {
  const { receipt } = outcome.plan;
  const base = { goal: meta.id, tenant: meta.tenant, cycle: receipt.cycle };
  const observed = Object.values(receipt.observed).reduce((n, list) => n + list.length, 0);
  const polls = Object.keys(receipt.polls).length;
  if (observed + receipt.act_results.length + receipt.decisions.length + polls > 0) {
    const pollMs = Math.max(0, ...Object.values(receipt.polls).map((p) => p.latency_ms));
    log("info", "observe", {
      ...base,
      phase: "observe",
      trigger: receipt.trigger,
      observed,
      act_results: receipt.act_results.length,
      decisions: receipt.decisions.length,
      polls,
      duration_ms: pollMs,
      stale: receipt.stale.length,
    });
  }
  const verdicts: Record<string, number> = {};
  for (const v of receipt.verdicts) verdicts[v.status] = (verdicts[v.status] ?? 0) + 1;
  log("info", "decide", {
    ...base,
    phase: "decide",
    trigger: receipt.trigger,
    missed: receipt.missed,
    duration_ms: receipt.duration_ms,
    chain: receipt.chain.id,
    chain_actions: receipt.chain.actions,
    verdicts,
    quiet: receipt.quiet,
    done: receipt.done,
  });
  for (const action of receipt.actions) {
    log("info", "act", {
      ...base,
      phase: "act",
      action: action.action,
      rule: action.rule,
      kind: action.kind,
      key: action.key,
      dry_run: action.dry_run,
      awaiting_approval: action.awaiting_approval,
      queued: sent > 0 && !action.dry_run && !action.awaiting_approval,
    });
  }
}
