/**
 * The OBSERVATIONS queue consumer: delivers act results and pushed
 * observations to their goal, and fans record changes, stream events and goal
 * updates out to every goal of the tenant that watches them.
 */

import { database } from "../db/client.ts";
import { subscribers } from "../db/goals.ts";
import { describeError, log } from "../observability/log.ts";
import type { GoalEvent, ObservationMessage } from "../queues.ts";
import { goalStub } from "./stub.ts";
import { recordTargets } from "./subscriptions.ts";

async function fanOut(
  env: Env,
  message: Exclude<ObservationMessage, { type: "observations" | "act_result" }>,
) {
  const db = database(env);
  const targets =
    message.type === "record"
      ? recordTargets(message.collection, message.key)
      : message.type === "stream"
        ? [message.topic]
        : [message.goalId];
  const ids = await subscribers(db, message.tenant, message.type, targets);
  // The goal's view is read only when some goal watches it.
  const view =
    message.type === "goal" && ids.length > 0
      ? await goalStub(env, message.goalId).view(message.tenant)
      : undefined;
  await Promise.all(ids.map((id) => goalStub(env, id).deliverEvent(message, view ?? undefined)));
  if (message.type === "goal") await reportToParent(env, message);
}

/**
 * How a spawned goal's end counts for the spawn action: done is a success;
 * deleted (before it was done) is a failure. No goal is ever set to `failed`
 * today (a failing cycle backs off and retries); it would be reported too.
 */
const ENDS = new Map<string, { status: "ok" | "failed"; error?: string }>([
  ["done", { status: "ok" }],
  ["failed", { status: "failed", error: "failed" }],
  ["deleted", { status: "failed", error: "was deleted" }],
]);

/** A spawned goal that ended reports to its parent as a second result of the spawn action. */
async function reportToParent(env: Env, event: GoalEvent): Promise<void> {
  const end = ENDS.get(event.status);
  if (!event.parent || !end) return;
  await goalStub(env, event.parent.goalId).deliverActResult(event.tenant, {
    action: event.parent.action,
    key: event.parent.key,
    status: end.status,
    value: { goal: event.goalId, status: event.status },
    latency_ms: 0,
    attempt: 2,
    at: event.at,
    ...(event.parent.chain === undefined ? {} : { chain: event.parent.chain }),
    ...(end.error ? { error: `goal ${event.goalId} ${end.error}` } : {}),
  });
}

export async function handleObservations(
  batch: MessageBatch<ObservationMessage>,
  env: Env,
): Promise<void> {
  for (const message of batch.messages) {
    const body = message.body;
    try {
      if (body.type === "act_result") {
        await goalStub(env, body.goalId).deliverActResult(body.tenant, body.result);
      } else if (body.type === "observations") {
        await goalStub(env, body.goalId).observe(body.tenant, body.observations, body.trigger);
      } else {
        await fanOut(env, body);
      }
      message.ack();
    } catch (error) {
      log("error", "observation_fault", {
        type: body.type,
        tenant: body.tenant,
        ...describeError(error),
      });
      message.retry({ delaySeconds: Math.min(2 ** message.attempts, 60) });
    }
  }
}
