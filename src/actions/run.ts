/**
 * Runs one planned action and says how it ended: `done` with the ActResult to
 * report, or `retry` for a failure worth another attempt (5xx, timeouts,
 * network errors). Permanent failures (4xx, refused targets, formula errors)
 * are `done` with status `failed` at once.
 */

import { database } from "../db/client.ts";
import { getGoal } from "../db/goals.ts";
import { putRecord } from "../db/records.ts";
import { FormulaError } from "../formula/index.ts";
import { createGoal, goalId } from "../goal/lifecycle.ts";
import type { ActionMessage, RecordEvent } from "../goal/messages.ts";
import { goalStub } from "../goal/stub.ts";
import type { ActResult } from "../loop/index.ts";
import { loadCurrent, loadVersion } from "../registry/formulas.ts";
import { exchange } from "./http.ts";
import { allowPrivateTargets } from "./targets.ts";

export type RunOutcome = { kind: "done"; result: ActResult } | { kind: "retry"; error: string };

type Payload = Record<string, unknown>;

function result(
  message: ActionMessage,
  attempt: number,
  started: number,
  fields: Partial<ActResult> & Pick<ActResult, "status">,
): ActResult {
  return {
    action: message.planned.action,
    key: message.planned.key,
    latency_ms: Date.now() - started,
    attempt,
    at: Date.now(),
    ...fields,
  };
}

async function webhook(
  env: Env,
  message: ActionMessage,
  attempt: number,
  started: number,
): Promise<RunOutcome> {
  const p = message.planned.payload as Payload;
  const outcome = await exchange(
    {
      url: String(p.url),
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "agentic-faas",
        ...(p.headers as Record<string, string> | undefined),
        "idempotency-key": message.planned.key,
      },
      body: JSON.stringify(p.body ?? null),
      timeoutMs: Number(p.timeout_ms) || 10_000,
    },
    { allowPrivate: allowPrivateTargets(env) },
  );
  if (outcome.kind === "refused")
    return {
      kind: "done",
      result: result(message, attempt, started, { status: "failed", error: outcome.reason }),
    };
  if (outcome.kind === "timeout") return { kind: "retry", error: "timeout" };
  if (outcome.kind === "network") return { kind: "retry", error: outcome.reason };
  const retryable = outcome.status >= 500 || outcome.status === 408 || outcome.status === 429;
  if (retryable) return { kind: "retry", error: `HTTP ${outcome.status}` };
  const ok = outcome.status >= 200 && outcome.status < 300;
  return {
    kind: "done",
    result: result(message, attempt, started, {
      status: ok ? "ok" : "failed",
      value: outcome.body,
      http_status: outcome.status,
      ...(ok ? {} : { error: `HTTP ${outcome.status}` }),
    }),
  };
}

async function formula(
  env: Env,
  message: ActionMessage,
  attempt: number,
  started: number,
): Promise<RunOutcome> {
  const p = message.planned.payload as Payload;
  const db = database(env.DB);
  const name = String(p.name);
  const loaded =
    typeof p.version === "number"
      ? await loadVersion(db, message.tenant, name, p.version)
      : await loadCurrent(db, message.tenant, name);
  if (!loaded)
    return {
      kind: "done",
      result: result(message, attempt, started, { status: "failed", error: `no formula ${name}` }),
    };
  try {
    const value = loaded.formula.evaluate((p.args as Record<string, unknown> | null) ?? {});
    return { kind: "done", result: result(message, attempt, started, { status: "ok", value }) };
  } catch (error) {
    if (!(error instanceof FormulaError)) throw error;
    return {
      kind: "done",
      result: result(message, attempt, started, {
        status: "failed",
        error: `${error.code}: ${error.message}`,
      }),
    };
  }
}

async function record(
  env: Env,
  message: ActionMessage,
  attempt: number,
  started: number,
): Promise<RunOutcome> {
  const p = message.planned.payload as Payload;
  const db = database(env.DB);
  const row = await putRecord(
    db,
    message.tenant,
    String(p.collection),
    String(p.key),
    p.value ?? null,
    Date.now(),
  );
  const event: RecordEvent = {
    type: "record",
    tenant: message.tenant,
    collection: row.collection,
    key: row.key,
    value: row.value,
    version: row.version,
    at: row.updatedAt,
  };
  await env.OBSERVATIONS.send(event, { contentType: "json" });
  return {
    kind: "done",
    result: result(message, attempt, started, { status: "ok", value: { version: row.version } }),
  };
}

async function signal(
  env: Env,
  message: ActionMessage,
  attempt: number,
  started: number,
): Promise<RunOutcome> {
  const p = message.planned.payload as Payload;
  const target = String(p.goal);
  const row = await getGoal(database(env.DB), message.tenant, target);
  if (!row)
    return {
      kind: "done",
      result: result(message, attempt, started, { status: "failed", error: `no goal ${target}` }),
    };
  const observation = {
    name: String(p.name),
    value: p.value ?? null,
    at: Date.now(),
    source: "signal" as const,
    id: message.planned.key,
  };
  await goalStub(env, target).observe(message.tenant, [observation], "signal");
  return {
    kind: "done",
    result: result(message, attempt, started, { status: "ok", value: { goal: target } }),
  };
}

async function spawn(
  env: Env,
  message: ActionMessage,
  attempt: number,
  started: number,
): Promise<RunOutcome> {
  const p = message.planned.payload as Payload;
  const id = await goalId(`${message.tenant}:${message.planned.key}`);
  const parent = {
    goalId: message.goalId,
    action: message.planned.action,
    key: message.planned.key,
  };
  const { view } = await createGoal(env, database(env.DB), message.tenant, p.spec, { id, parent });
  return {
    kind: "done",
    result: result(message, attempt, started, {
      status: "ok",
      value: { goal: view.id, status: view.status },
    }),
  };
}

/** Runs the action; throws only on faults of our own (D1, queues), which the consumer retries. */
export async function runAction(
  env: Env,
  message: ActionMessage,
  attempt: number,
): Promise<RunOutcome> {
  const started = Date.now();
  switch (message.planned.kind) {
    case "webhook":
      return webhook(env, message, attempt, started);
    case "formula":
      return formula(env, message, attempt, started);
    case "record":
      return record(env, message, attempt, started);
    case "signal":
      return signal(env, message, attempt, started);
    case "spawn":
      return spawn(env, message, attempt, started);
  }
}
