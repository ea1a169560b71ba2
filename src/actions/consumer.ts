/**
 * The ACTIONS queue consumer. Each message is one planned action. A delivery
 * first claims the action's key, so a duplicate delivered meanwhile is retried
 * later instead of acting too; a key that already reached an outcome is only
 * re-reported (duplicate deliveries never act twice); a retryable failure goes
 * back with exponential backoff, and after the last retry the queue moves it
 * to the dead-letter queue, whose consumer reports it as failed. A webhook
 * over its tenant's outbound budget waits for a later delivery instead
 * (`outbound/budget.ts`).
 */

import type { ActResult } from "../cycle/index.ts";
import { claimRun, recordRun, releaseRun } from "../db/action-runs.ts";
import { type Db, database } from "../db/client.ts";
import { describeError, log } from "../observability/log.ts";
import { countActionResult, observeAction } from "../observability/metrics.ts";
import { deferAction, MAX_DEFERRALS, OUTBOUND_LIMITED, spendOutbound } from "../outbound/index.ts";
import type { ActionMessage, ObservationMessage } from "../queues.ts";
import { MAX_TIMEOUT_MS } from "../spec/index.ts";
import { runAction } from "./run.ts";

/** Deliveries of one action: the first plus `max_retries` (wrangler.toml) before the dead-letter queue. */
export const MAX_ATTEMPTS = 5;

/** Delay before the next attempt: 2 s, 4 s, 8 s, 16 s … */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(2 ** Math.max(1, attempts), 300);
}

/** How long a delivery may hold an action: its timeout (a webhook's own, else the longest) plus a margin for D1 and the queue. */
export function claimMs(body: ActionMessage): number {
  const timeout =
    body.planned.kind === "webhook" ? body.planned.payload.timeout_ms : MAX_TIMEOUT_MS;
  return timeout + 10_000;
}

/**
 * Claims the action's key for one delivery (token undefined when another
 * delivery holds it) and reads the outcome already recorded for it.
 */
async function claim(db: Db, body: ActionMessage) {
  const token = crypto.randomUUID();
  const now = Date.now();
  // A webhook signs with its goal's secrets: read them in the claim's round trip.
  const goal =
    body.planned.kind === "webhook" ? { tenant: body.tenant, goalId: body.goalId } : undefined;
  const claimed = await claimRun(db, body.planned.key, token, now, now + claimMs(body), goal);
  return {
    token: claimed.held ? token : undefined,
    prior: claimed.prior,
    secrets: claimed.secrets,
  };
}

/** Sends an action's outcome back to its goal, through the observations queue. */
export async function reportResult(
  env: Env,
  tenant: string,
  goalId: string,
  result: ActResult,
): Promise<void> {
  const message: ObservationMessage = { type: "act_result", tenant, goalId, result };
  await env.OBSERVATIONS.send(message, { contentType: "json" });
}

/** The result of an action that waited for its tenant's outbound budget as long as it may. */
function overBudget(body: ActionMessage): ActResult {
  return {
    action: body.planned.action,
    key: body.planned.key,
    status: "failed",
    latency_ms: 0,
    attempt: 0,
    at: Date.now(),
    error: `${OUTBOUND_LIMITED}, and stayed so through ${MAX_DEFERRALS} waits`,
    chain: body.planned.chain,
  };
}

/** Records the final outcome once (releasing the claim `token`) and reports it. */
export async function finish(
  env: Env,
  body: ActionMessage,
  result: ActResult,
  token: string,
): Promise<void> {
  const row = {
    key: body.planned.key,
    tenant: body.tenant,
    goalId: body.goalId,
    result: result as unknown as Record<string, unknown>,
    at: result.at,
  };
  await recordRun(database(env), row, token);
  await reportResult(env, body.tenant, body.goalId, result);
  countActionResult(body.tenant, body.goalId, result.status === "ok");
}

export async function handleActions(batch: MessageBatch<ActionMessage>, env: Env): Promise<void> {
  const db = database(env);
  for (const message of batch.messages) {
    const body = message.body;
    const fields = {
      goal: body.goalId,
      tenant: body.tenant,
      action: body.planned.action,
      key: body.planned.key,
      attempt: message.attempts,
    };
    try {
      // A webhook's outbound allowance is asked for beside its claim (one round trip less
      // before it leaves); a duplicate delivery that finds the claim held spends one for nothing.
      const [{ token, prior, secrets }, allowed] = await Promise.all([
        claim(db, body),
        body.planned.kind === "webhook" ? spendOutbound(env, body.tenant) : true,
      ]);
      if (token === undefined) {
        log("info", "action_busy", fields);
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
        continue;
      }
      let released = false;
      try {
        if (prior) {
          await reportResult(env, body.tenant, body.goalId, prior as unknown as ActResult);
          log("info", "action_duplicate", fields);
          message.ack();
          continue;
        }
        if (!allowed) {
          const delaySeconds = await deferAction(env, body);
          if (delaySeconds === undefined) {
            await finish(env, body, overBudget(body), token);
            released = true;
            log("warn", "action", { ...fields, kind: body.planned.kind, status: "failed" });
          } else {
            log("warn", "action_deferred", {
              ...fields,
              deferred: (body.deferred ?? 0) + 1,
              delay_s: delaySeconds,
            });
          }
          message.ack();
          continue;
        }
        const outcome = await runAction(env, body, message.attempts, secrets);
        if (outcome.kind === "retry") {
          const delaySeconds = retryDelaySeconds(message.attempts);
          log("warn", "action_retry", {
            ...fields,
            error_message: outcome.error,
            delay_s: delaySeconds,
          });
          message.retry({ delaySeconds });
          continue;
        }
        observeAction(body.tenant, body.planned.kind, outcome.result.latency_ms);
        await finish(env, body, outcome.result, token);
        released = true;
        log("info", "action", {
          ...fields,
          kind: body.planned.kind,
          status: outcome.result.status,
          latency_ms: outcome.result.latency_ms,
        });
        message.ack();
      } finally {
        if (!released) await releaseRun(db, body.planned.key, token);
      }
    } catch (error) {
      log("error", "action_fault", { ...fields, ...describeError(error) });
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}

/** The dead-letter consumer: an action that used up its retries is reported as failed. */
export async function handleDeadActions(
  batch: MessageBatch<ActionMessage>,
  env: Env,
): Promise<void> {
  const db = database(env);
  for (const message of batch.messages) {
    const body = message.body;
    try {
      // A duplicate of this action is running: ask again once its claim has surely ended.
      const { token, prior } = await claim(db, body);
      if (token === undefined) {
        message.retry({ delaySeconds: Math.ceil(claimMs(body) / 1000) });
        continue;
      }
      let released = false;
      try {
        if (!prior) {
          const result: ActResult = {
            action: body.planned.action,
            key: body.planned.key,
            status: "failed",
            latency_ms: 0,
            attempt: MAX_ATTEMPTS,
            at: Date.now(),
            error: `gave up after ${MAX_ATTEMPTS} attempts`,
            chain: body.planned.chain,
          };
          await finish(env, body, result, token);
          released = true;
        }
      } finally {
        if (!released) await releaseRun(db, body.planned.key, token);
      }
      log("warn", "action_dead_letter", {
        goal: body.goalId,
        tenant: body.tenant,
        action: body.planned.action,
        key: body.planned.key,
      });
      message.ack();
    } catch (error) {
      log("error", "dead_letter_fault", { goal: body.goalId, ...describeError(error) });
      message.retry();
    }
  }
}
