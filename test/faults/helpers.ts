/**
 * Shared by the fault tests: creating goals, reading their audit trail and
 * alarm, playing the actions queue by hand, and what the receiver counted.
 */
import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  runInDurableObject,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { PlannedAction } from "../../src/cycle/index.ts";
import type { ActionMessage } from "../../src/queues.ts";
import { call, eventually, goalTenant } from "../helpers.ts";

type Worker = {
  queue(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void>;
};
const worker = (await import("../../src/index.ts")).default as unknown as Worker;

/** A receipt as the API returns it (fault receipts carry `fault` and little else); times are ISO 8601. */
export interface Receipt {
  cycle: number;
  at: string;
  trigger?: string;
  observed?: Record<string, { value: unknown; at: string }[]>;
  act_results?: { action: string; key: string; status: string; attempt: number }[];
  ignored?: { name: string; reason: string }[];
  verdicts?: { rule: string; status: string; reason: string; code?: string }[];
  actions?: PlannedAction[];
  oriented?: Record<string, unknown>;
  polls?: Record<string, { status: string; detail?: string }>;
  fault?: { error: string; message: string; failures: number; retry_at: string };
}

/** A fresh tenant with a goal made from `spec`, after its first cycle ran. */
export async function newGoal(spec: unknown, tenant?: { tenant: string; key: string }) {
  const owner = tenant ?? (await goalTenant());
  const created = await call("POST", "/v1/goals", { key: owner.key, body: spec });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  await eventually(async () => ((await cycles(owner.key, id)).length > 0 ? true : undefined));
  return { ...owner, id, stub: env.GOAL.getByName(id) };
}

/** The goal's whole audit trail, oldest first, fault receipts included. */
export async function cycles(key: string, id: string): Promise<Receipt[]> {
  return (await call("GET", `/v1/goals/${id}/cycles?limit=200`, { key })).body.cycles;
}

/** Polls the audit trail until some receipt satisfies `check`. */
export async function receiptWhere(
  key: string,
  id: string,
  check: (r: Receipt) => boolean,
  ms = 5000,
): Promise<Receipt> {
  return eventually(async () => (await cycles(key, id)).find(check), ms);
}

/** Every value observed for `name` across the trail, in order. */
export function observedValues(trail: Receipt[], name: string): unknown[] {
  return trail.flatMap((r) => (r.observed?.[name] ?? []).map((o) => o.value));
}

/** The act results applied for action `key` across the trail. */
export function resultsFor(trail: Receipt[], key: string) {
  return trail.flatMap((r) => r.act_results ?? []).filter((a) => a.key === key);
}

export async function push(key: string, id: string, name: string, value: unknown) {
  const res = await call("POST", `/v1/goals/${id}/observations`, { key, body: { name, value } });
  expect(res.status).toBe(202);
}

/** The goal's armed alarm (ms), or null. */
export async function alarmOf(stub: DurableObjectStub): Promise<number | null> {
  return runInDurableObject(stub, (_instance, state: DurableObjectState) =>
    state.storage.getAlarm(),
  );
}

/**
 * The goal's alarm once it is armed more than a second ahead, i.e. no cycle
 * is running or about to; fails when the alarm is never re-armed.
 */
export async function armed(stub: DurableObjectStub): Promise<number> {
  return eventually(async () => {
    const alarm = await alarmOf(stub);
    return alarm !== null && alarm > Date.now() + 1000 ? alarm : undefined;
  });
}

/** Per idempotency key under `prefix`: requests the receiver got and answered 2xx. */
export async function keyCounts(
  prefix: string,
): Promise<Record<string, { requests: number; ok: number }>> {
  const res = await fetch(`${env.TEST_RECEIVER}/_keys?path=${encodeURIComponent(prefix)}`);
  return res.json();
}

/** The outcome the action-run ledger holds for `key`, or null. */
export async function ledger(key: string): Promise<Record<string, unknown> | null> {
  const row = await env.DB.prepare("SELECT result FROM action_runs WHERE key = ?")
    .bind(key)
    .first<{ result: string }>();
  return row ? JSON.parse(row.result) : null;
}

/** The queue message a goal's outbox would send for a planned action (held for approval). */
export function messageFor(
  tenant: string,
  goalId: string,
  receipt: Receipt,
  planned: PlannedAction,
): ActionMessage {
  return { tenant, goalId, cycle: receipt.cycle, planned };
}

/** Delivers one message to a queue consumer as the runtime would; returns what it acked/retried. */
export async function deliver(queue: string, body: unknown, attempts = 1) {
  const id = crypto.randomUUID();
  const batch = createMessageBatch(queue, [{ id, timestamp: new Date(), attempts, body }]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  const result = await getQueueResult(batch, ctx);
  return {
    acked: result.explicitAcks.includes(id),
    retried: result.retryMessages.some((m) => m.msgId === id),
  };
}
