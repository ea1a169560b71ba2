/**
 * Runs one planned action and says how it ended: `done` with the ActResult to
 * report, or `retry` for a failure worth another attempt (5xx, timeouts,
 * network errors, a DNS lookup that failed). Permanent failures (4xx, refused targets, formula errors)
 * are `done` with status `failed` at once.
 */
import { ApiError } from "../api/errors.ts";
import { assertRoomFor, recordExists } from "../api/quotas.ts";
import { signatureHeaders } from "../auth/signature.ts";
import { database } from "../db/client.ts";
import { getGoal } from "../db/goals.ts";
import { putRecord } from "../db/records.ts";
import type { GoalSecretsRow } from "../db/schema.ts";
import { secretsOf } from "../db/secrets.ts";
import { FormulaError } from "../formula/index.ts";
import { createGoal, goalId } from "../goal/lifecycle.ts";
import type { ActionMessage, RecordEvent } from "../goal/messages.ts";
import { goalStub } from "../goal/stub.ts";
import type { ActResult } from "../loop/index.ts";
import { loadCurrent, loadVersion } from "../registry/formulas.ts";
import { exchange, targetRules } from "./http.ts";

export type RunOutcome = { kind: "done"; result: ActResult } | { kind: "retry"; error: string };

/** One attempt at one action. */
interface Attempt {
  env: Env;
  message: ActionMessage;
  payload: Record<string, unknown>;
  attempt: number;
  started: number;
  /** The goal's secrets when the caller has read them already. */
  secrets: GoalSecretsRow | undefined;
}

function done(a: Attempt, fields: Partial<ActResult> & Pick<ActResult, "status">): RunOutcome {
  const result: ActResult = {
    action: a.message.planned.action,
    key: a.message.planned.key,
    latency_ms: Date.now() - a.started,
    attempt: a.attempt,
    at: Date.now(),
    ...fields,
  };
  return { kind: "done", result };
}

const failed = (a: Attempt, error: string, extra: Partial<ActResult> = {}) =>
  done(a, { ...extra, status: "failed", error });

/** The secrets that sign a goal's webhooks now: the current one, and the previous during its grace. */
async function signingSecrets(a: Attempt): Promise<string[]> {
  const row =
    a.secrets ?? (await secretsOf(database(a.env.DB), a.message.tenant, a.message.goalId));
  const previous =
    row.previousSigningSecret && (row.previousUntil ?? 0) > Date.now()
      ? [row.previousSigningSecret]
      : [];
  return [row.signingSecret, ...previous];
}

/** The goal's `allow_hosts` as the payload carries them (absent: any host). */
function allowHostsOf(payload: Record<string, unknown>): string[] | undefined {
  const hosts = payload.allow_hosts;
  return Array.isArray(hosts) ? hosts.filter((h): h is string => typeof h === "string") : undefined;
}

async function webhook(a: Attempt): Promise<RunOutcome> {
  const body = JSON.stringify(a.payload.body ?? null);
  const signed = await signatureHeaders(await signingSecrets(a), body, Date.now());
  const outcome = await exchange(
    {
      url: String(a.payload.url),
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "agentic-faas",
        ...(a.payload.headers as Record<string, string> | undefined),
        "idempotency-key": a.message.planned.key,
        ...signed,
      },
      body,
      timeoutMs: Number(a.payload.timeout_ms) || 10_000,
    },
    targetRules(a.env, allowHostsOf(a.payload)),
  );
  // A refused target fails at once; a failed DNS lookup may pass on a later attempt.
  if (outcome.kind === "refused")
    return outcome.transient ? { kind: "retry", error: outcome.reason } : failed(a, outcome.reason);
  if (outcome.kind === "timeout") return { kind: "retry", error: "timeout" };
  if (outcome.kind === "network") return { kind: "retry", error: outcome.reason };
  const status = outcome.status;
  if (status >= 500 || status === 408 || status === 429)
    return { kind: "retry", error: `HTTP ${status}` };
  const response = { value: outcome.body, http_status: status };
  return status >= 200 && status < 300
    ? done(a, { ...response, status: "ok" })
    : failed(a, `HTTP ${status}`, response);
}

async function formula(a: Attempt): Promise<RunOutcome> {
  const db = database(a.env.DB);
  const name = String(a.payload.name);
  const version = a.payload.version;
  const loaded =
    typeof version === "number"
      ? await loadVersion(db, a.message.tenant, name, version)
      : await loadCurrent(db, a.message.tenant, name);
  if (!loaded) return failed(a, `no formula ${name}`);
  try {
    return done(a, {
      status: "ok",
      value: loaded.formula.evaluate((a.payload.args as Record<string, unknown> | null) ?? {}),
    });
  } catch (error) {
    if (!(error instanceof FormulaError)) throw error;
    return failed(a, `${error.code}: ${error.message}`);
  }
}

async function record(a: Attempt): Promise<RunOutcome> {
  const { tenant } = a.message;
  const db = database(a.env.DB);
  const collection = String(a.payload.collection);
  const key = String(a.payload.key);
  if (!(await recordExists(db, tenant, collection, key))) {
    try {
      await assertRoomFor(a.env, db, tenant, "records");
    } catch (error) {
      if (error instanceof ApiError) return failed(a, error.message);
      throw error;
    }
  }
  const row = await putRecord(db, tenant, collection, key, a.payload.value ?? null, Date.now());
  const event: RecordEvent = {
    type: "record",
    tenant,
    collection: row.collection,
    key: row.key,
    value: row.value,
    version: row.version,
    at: row.updatedAt,
  };
  await a.env.OBSERVATIONS.send(event, { contentType: "json" });
  return done(a, { status: "ok", value: { version: row.version } });
}

async function signal(a: Attempt): Promise<RunOutcome> {
  const target = String(a.payload.goal);
  if (!(await getGoal(database(a.env.DB), a.message.tenant, target)))
    return failed(a, `no goal ${target}`);
  // The action key is the observation id, so a repeated signal is applied once.
  const observation = {
    name: String(a.payload.name),
    value: a.payload.value ?? null,
    at: Date.now(),
    source: "signal" as const,
    id: a.message.planned.key,
  };
  await goalStub(a.env, target).observe(a.message.tenant, [observation], "signal");
  return done(a, { status: "ok", value: { goal: target } });
}

async function spawn(a: Attempt): Promise<RunOutcome> {
  const { tenant, goalId: parentId, planned } = a.message;
  // The sub-goal's id derives from the action key, so a repeated spawn creates nothing new.
  const id = await goalId(`${tenant}:${planned.key}`);
  const parent = { goalId: parentId, action: planned.action, key: planned.key };
  let view: { id: string; status: string };
  try {
    ({ view } = await createGoal(a.env, database(a.env.DB), tenant, a.payload.spec, {
      id,
      parent,
    }));
  } catch (error) {
    // An invalid spec or a used-up quota will not change on retry.
    if (error instanceof ApiError) return failed(a, error.message);
    throw error;
  }
  return done(a, { status: "ok", value: { goal: view.id, status: view.status } });
}

const RUNNERS: Record<ActionMessage["planned"]["kind"], (a: Attempt) => Promise<RunOutcome>> = {
  webhook,
  formula,
  record,
  signal,
  spawn,
};

/** Runs the action; throws only on faults of our own (D1, queues), which the consumer retries. */
export async function runAction(
  env: Env,
  message: ActionMessage,
  attempt: number,
  secrets?: GoalSecretsRow,
): Promise<RunOutcome> {
  const a: Attempt = {
    env,
    message,
    payload: message.planned.payload as Record<string, unknown>,
    attempt,
    started: Date.now(),
    secrets,
  };
  return RUNNERS[message.planned.kind](a);
}
