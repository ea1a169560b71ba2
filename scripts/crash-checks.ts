/**
 * The crash test's verdicts, as pure functions of what it collected: the
 * pushes and their answers, each goal's receipts and view after the restart,
 * the receiver's deliveries and the D1 action ledger. Each check returns the
 * violations it found (empty: it holds) and figures for the summary.
 */
import type { Delivery } from "./webhook-receiver.ts";

export interface Push {
  goal: string;
  value: number;
  key: string;
  /** Before the kill: accepted (2xx), refused (a non-2xx answer), in doubt (no answer) or never sent. */
  first: "accepted" | "refused" | "in_doubt" | "unsent";
  /** After the restart, for pushes not accepted before: the answer to the same push, same key. */
  retry?: { status: number; duplicate: boolean };
}

export interface PlannedAction {
  key: string;
  payload: { body?: unknown };
}

export interface Receipt {
  cycle: number;
  /** ISO 8601, as the API writes times. */
  at: string;
  trigger?: string;
  observed?: Record<string, { value: unknown }[]>;
  actions?: PlannedAction[];
  fault?: unknown;
}

export interface GoalAfter {
  id: string;
  status: string;
  nextWakeAt: number | null;
  receipts: Receipt[];
}

/** JSON with object keys sorted, to compare bodies whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Every goal runs its own loop again: active, a wake-up ahead, alarm cycles since the restart. */
export function checkResumed(goals: GoalAfter[], restartedAt: number, now: number) {
  const violations: string[] = [];
  for (const goal of goals) {
    const alarmCycles = goal.receipts.filter(
      (r) => r.trigger === "alarm" && Date.parse(r.at) >= restartedAt,
    );
    if (goal.status !== "active") violations.push(`${goal.id}: status ${goal.status}`);
    else if (goal.nextWakeAt === null || goal.nextWakeAt < now - 2000)
      violations.push(`${goal.id}: no wake-up ahead (next_wake_at ${goal.nextWakeAt})`);
    else if (alarmCycles.length === 0)
      violations.push(`${goal.id}: no alarm cycle since the restart`);
    if ((goal.receipts[0]?.cycle ?? 1) !== 1)
      violations.push(`${goal.id}: receipts pruned (retention); lower CRASH_PUSHES`);
  }
  const faults = goals.reduce((n, g) => n + g.receipts.filter((r) => r.fault).length, 0);
  return { violations, resumed: goals.length - new Set(violations.map(idOf)).size, faults };
}

const idOf = (violation: string) => violation.split(":")[0];

/** Each accepted push is in its goal's receipts; no push is applied twice. */
export function checkObservations(pushes: Push[], goals: GoalAfter[]) {
  const violations: string[] = [];
  const applied = new Map<string, number>(); // `${goal}/${value}` → times
  for (const goal of goals) {
    for (const receipt of goal.receipts) {
      for (const entry of receipt.observed?.x ?? []) {
        const id = `${goal.id}/${String(entry.value)}`;
        applied.set(id, (applied.get(id) ?? 0) + 1);
      }
    }
  }
  let found = 0;
  let missing = 0;
  for (const push of pushes) {
    const times = applied.get(`${push.goal}/${push.value}`) ?? 0;
    const status = push.retry?.status ?? 0;
    const accepted = push.first === "accepted" || (status >= 200 && status < 300);
    if (times > 1) violations.push(`${push.key}: value ${push.value} applied ${times} times`);
    const when = push.first === "accepted" ? "before the kill" : "after the restart";
    if (!accepted)
      violations.push(`${push.key}: not accepted even after the restart (last answer ${status})`);
    else if (times > 0) found++;
    else {
      missing++;
      violations.push(`${push.key}: accepted ${when}, not in the history`);
    }
  }
  return { violations, found, missing };
}

/**
 * Actions: a decision here is "goal G acts on value x" (its rule fires only
 * when x changes, and every pushed value is distinct), and its effect is
 * keyed `goal:cycle:rule:action`. Delivery is at least once, so the same key
 * may arrive twice after a crash (the receiver deduplicates on it); what must
 * never happen is one decision under two keys, one key with two different
 * bodies, or a delivery that no stored cycle planned.
 */
export function checkActions(
  goals: GoalAfter[],
  deliveries: Delivery[],
  ledger: { key: string; status: string }[],
  restartedAt: number,
) {
  const violations: string[] = [];
  const planned = new Map<string, { body: string; at: number }>();
  for (const goal of goals)
    for (const receipt of goal.receipts)
      for (const action of receipt.actions ?? [])
        planned.set(action.key, {
          body: canonical(action.payload.body),
          at: Date.parse(receipt.at),
        });

  const bodies = new Map<string, Set<string>>(); // key → distinct bodies delivered
  const times = new Map<string, number>(); // key → deliveries
  const decisions = new Map<string, Set<string>>(); // goal/x → keys
  for (const delivery of deliveries) {
    let body: unknown;
    try {
      body = JSON.parse(delivery.body);
    } catch {
      body = delivery.body;
    }
    const text = canonical(body);
    times.set(delivery.key, (times.get(delivery.key) ?? 0) + 1);
    bodies.set(delivery.key, (bodies.get(delivery.key) ?? new Set()).add(text));
    const decision = `${delivery.key.split(":")[0]}/x=${(body as { x?: unknown }).x}`;
    decisions.set(decision, (decisions.get(decision) ?? new Set()).add(delivery.key));
  }
  for (const [decision, keys] of decisions)
    if (keys.size > 1) violations.push(`decision ${decision} acted under ${keys.size} keys`);
  for (const [key, seen] of bodies) {
    const plan = planned.get(key);
    if (seen.size > 1) violations.push(`${key}: delivered with ${seen.size} different bodies`);
    if (!plan) violations.push(`${key}: delivered, but no stored cycle planned it`);
    else if (!seen.has(plan.body)) violations.push(`${key}: delivered body differs from receipt`);
  }
  let lostBeforeCrash = 0;
  let unsentAfterRestart = 0;
  for (const [key, plan] of planned) {
    if (bodies.has(key)) continue;
    if (plan.at < restartedAt) lostBeforeCrash++;
    else {
      unsentAfterRestart++;
      violations.push(`${key}: planned after the restart, never sent`);
    }
  }
  const ledgerKeys = new Set(ledger.map((row) => row.key));
  for (const row of ledger) {
    if (!planned.has(row.key)) violations.push(`${row.key}: in the ledger, planned by no cycle`);
    if (row.status === "ok" && !bodies.has(row.key))
      violations.push(`${row.key}: ledger says ok, receiver never got it`);
  }
  const deliveredNoOutcome = [...bodies.keys()].filter((key) => !ledgerKeys.has(key)).length;
  return {
    violations,
    planned: planned.size,
    delivered: deliveries.length,
    distinctKeys: bodies.size,
    redelivered: [...times.values()].filter((n) => n > 1).length,
    duplicateDecisions: [...decisions.values()].filter((keys) => keys.size > 1).length,
    lostBeforeCrash,
    unsentAfterRestart,
    ledgerRows: ledger.length,
    deliveredNoOutcome,
  };
}
