/**
 * Runs one planned action and says how it ended: `done` with the ActResult to
 * report, or `retry` for a failure worth another attempt (5xx, timeouts,
 * network errors, a DNS lookup that failed). Permanent failures (4xx, refused targets, formula errors,
 * a record too large or over the quota, a spawn's invalid spec) are `done` with status `failed` at once.
 */
import { signatureHeaders } from "../auth/signature.ts";
import { standardHeaders } from "../auth/standard-webhooks.ts";
import type {
  ActResult,
  FormulaPayload,
  PlannedAction,
  RecordPayload,
  SignalPayload,
  SpawnPayload,
  WebhookPayload,
} from "../cycle/index.ts";
import { database } from "../db/client.ts";
import { getGoal } from "../db/goals.ts";
import type { GoalSecretsRow } from "../db/schema.ts";
import { secretsOf } from "../db/secrets.ts";
import { FormulaCallDepth, GoalInvalid, QuotaExceeded, RecordTooLarge } from "../errors.ts";
import { FormulaError } from "../formula/index.ts";
import { createGoal, goalId } from "../goal/lifecycle.ts";
import { goalStub } from "../goal/stub.ts";
import { exchange, targetRules } from "../outbound/index.ts";
import type { ActionMessage } from "../queues.ts";
import { RECORD_SEGMENT, writeRecord } from "../records/write.ts";
import { loadCurrent, loadVersion } from "../registry/formulas.ts";
import { isRecord } from "../spec/index.ts";

export type RunOutcome = { kind: "done"; result: ActResult } | { kind: "retry"; error: string };

/** One attempt at one action. */
interface Attempt {
  env: Env;
  message: ActionMessage;
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
    chain: a.message.planned.chain,
    ...fields,
  };
  return { kind: "done", result };
}

const failed = (a: Attempt, error: string, extra: Partial<ActResult> = {}) =>
  done(a, { ...extra, status: "failed", error });

/** The secrets that sign a goal's webhooks now: the current one, and the previous during its grace. */
async function signingSecrets(a: Attempt): Promise<string[]> {
  const row = a.secrets ?? (await secretsOf(database(a.env), a.message.tenant, a.message.goalId));
  const previous =
    row.previousSigningSecret && (row.previousUntil ?? 0) > Date.now()
      ? [row.previousSigningSecret]
      : [];
  return [row.signingSecret, ...previous];
}

async function webhook(a: Attempt, payload: WebhookPayload): Promise<RunOutcome> {
  const body = JSON.stringify(payload.body ?? null);
  const { key } = a.message.planned;
  const secrets = await signingSecrets(a);
  const now = Date.now();
  // Standard Webhooks, its id the action's key (the same on every retry, so receivers
  // dedupe), and the deprecated X-Faas-* signature beside it.
  const signed = {
    ...(await signatureHeaders(secrets, body, now)),
    ...(await standardHeaders(key, secrets, body, now)),
  };
  const outcome = await exchange(
    {
      url: payload.url,
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "agentic-faas",
        "idempotency-key": key,
      },
      // The spec's headers and the signature go to the webhook's own origin only.
      // The key comes again after them so that no spec header replaces it.
      originHeaders: { ...payload.headers, "idempotency-key": key, ...signed },
      body,
      timeoutMs: payload.timeout_ms,
    },
    targetRules(a.env, payload.allow_hosts),
  );
  // A refused target fails at once; a failed DNS lookup may pass on a later attempt.
  if (outcome.kind === "refused")
    return outcome.transient ? { kind: "retry", error: outcome.reason } : failed(a, outcome.reason);
  if (outcome.kind === "timeout") return { kind: "retry", error: "timeout" };
  if (outcome.kind === "network") return { kind: "retry", error: outcome.reason };
  const status = outcome.status;
  if (status >= 500 || status === 408 || status === 429)
    return { kind: "retry", error: `HTTP ${status}` };
  // A body that was not read whole is only informative: the status still decides.
  const value =
    outcome.kind === "partial"
      ? { truncated: true, reason: outcome.reason, head: outcome.head }
      : outcome.body;
  const response = { value, http_status: status };
  return status >= 200 && status < 300
    ? done(a, { ...response, status: "ok" })
    : failed(a, `HTTP ${status}`, response);
}

async function formula(a: Attempt, payload: FormulaPayload): Promise<RunOutcome> {
  const db = database(a.env);
  const { name, version, args } = payload;
  const loaded =
    version !== null
      ? await loadVersion(db, a.message.tenant, name, version)
      : await loadCurrent(db, a.message.tenant, name);
  if (!loaded) return failed(a, `no formula ${name}`);
  const vars = isRecord(args) ? args : {};
  try {
    return done(a, { status: "ok", value: loaded.formula.evaluate(vars) });
  } catch (error) {
    if (!(error instanceof FormulaError)) throw error;
    return failed(a, `${error.code}: ${error.message}`);
  }
}

async function record(a: Attempt, payload: RecordPayload): Promise<RunOutcome> {
  const { tenant } = a.message;
  const db = database(a.env);
  const { collection, key } = payload;
  // The change continues the action's chain, so the goals it reaches know what caused it.
  const { chain } = a.message.planned;
  const value = payload.value ?? null;
  // A rendered key the API could not address (`k `, `a b`, too long) fails at once, in either store.
  for (const [part, text] of [
    ["collection", collection],
    ["key", key],
  ] as const) {
    if (!RECORD_SEGMENT.test(text))
      return failed(
        a,
        `record ${part} ${JSON.stringify(text.length > 140 ? `${text.slice(0, 128)}…` : text)} (${text.length} characters): must be 1-128 of A-Z a-z 0-9 _ . -`,
      );
  }
  try {
    const row = await writeRecord(a.env, db, tenant, collection, key, value, chain);
    return done(a, { status: "ok", value: { version: row.version } });
  } catch (error) {
    // A value too large or a used-up quota will not change on retry.
    if (error instanceof RecordTooLarge || error instanceof QuotaExceeded)
      return failed(a, error.message);
    throw error;
  }
}

async function signal(a: Attempt, payload: SignalPayload): Promise<RunOutcome> {
  const target = payload.goal;
  if (!(await getGoal(database(a.env), a.message.tenant, target)))
    return failed(a, `no goal ${target}`);
  // The action key is the observation id, so a repeated signal is applied once.
  const observation = {
    name: payload.name,
    value: payload.value ?? null,
    at: Date.now(),
    source: "signal" as const,
    id: a.message.planned.key,
    chain: a.message.planned.chain,
  };
  const outcome = await goalStub(a.env, target).observe(a.message.tenant, [observation], "signal");
  if (outcome === null) return failed(a, `no goal ${target}`);
  if ("none" in outcome) return failed(a, `goal ${target} does not observe ${payload.name}`);
  if ("full" in outcome) return { kind: "retry", error: `goal ${target}: its inbox is full` };
  return done(a, { status: "ok", value: { goal: target } });
}

async function spawn(a: Attempt, payload: SpawnPayload): Promise<RunOutcome> {
  const { tenant, goalId: parentId, planned } = a.message;
  // The sub-goal's id derives from the action key, so a repeated spawn creates nothing new.
  const id = await goalId(`${tenant}:${planned.key}`);
  const parent = {
    goalId: parentId,
    action: planned.action,
    key: planned.key,
    chain: planned.chain,
  };
  let view: { id: string; status: string };
  try {
    ({ view } = await createGoal(a.env, database(a.env), tenant, payload.spec, {
      id,
      parent,
    }));
  } catch (error) {
    // An invalid spec, a used-up quota or formulas called past their limits will not change on retry.
    if (
      error instanceof GoalInvalid ||
      error instanceof QuotaExceeded ||
      error instanceof FormulaCallDepth
    )
      return failed(a, error.message);
    throw error;
  }
  return done(a, { status: "ok", value: { goal: view.id, status: view.status } });
}

/** The runner of the planned action's kind, with its payload as that kind's type. */
function run(a: Attempt, planned: PlannedAction): Promise<RunOutcome> {
  switch (planned.kind) {
    case "webhook":
      return webhook(a, planned.payload);
    case "formula":
      return formula(a, planned.payload);
    case "record":
      return record(a, planned.payload);
    case "signal":
      return signal(a, planned.payload);
    case "spawn":
      return spawn(a, planned.payload);
  }
}

/** Runs the action; throws only on faults of our own (D1, queues), which the consumer retries. */
export async function runAction(
  env: Env,
  message: ActionMessage,
  attempt: number,
  secrets?: GoalSecretsRow,
): Promise<RunOutcome> {
  const a: Attempt = { env, message, attempt, started: Date.now(), secrets };
  return run(a, message.planned);
}
