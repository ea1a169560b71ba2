/**
 * A record action's message as a goal's cycle plans it, delivered straight to
 * the Worker's queue consumer: for the tests of what a record action may write.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { ActionMessage } from "../../src/queues.ts";
import type { JsonValue } from "../../src/spec/json.ts";
import { storeRows } from "../store-sql.ts";

type Worker = {
  queue(batch: MessageBatch<ActionMessage>, env: Env, ctx: ExecutionContext): Promise<void>;
};
const worker = (await import("../../src/index.ts")).default as unknown as Worker;

/** A record action writing `value` at `collection`/`key` for `tenant`, with a fresh action key. */
export function recordMessage(
  tenant: string,
  collection: string,
  key: string,
  value: JsonValue,
): ActionMessage {
  return {
    tenant,
    goalId: "g_00000000000000000000",
    cycle: 1,
    planned: {
      action: "save",
      rule: "r",
      kind: "record",
      key: `g_record:${crypto.randomUUID()}:r:save`,
      payload: { collection, key, value },
      chain: { id: "record:1", depth: 1 },
      dry_run: false,
      awaiting_approval: false,
    },
  };
}

/** Delivers the message once; returns whether it was acked and the action's stored result. */
export async function deliver(message: ActionMessage) {
  const id = crypto.randomUUID();
  const batch = createMessageBatch<ActionMessage>("faas-actions", [
    { id, timestamp: new Date(), attempts: 1, body: message },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  const result = await getQueueResult(batch, ctx);
  const [run] = await storeRows<{ result: string }>(
    "SELECT result FROM action_runs WHERE `key` = ?",
    [message.planned.key],
  );
  return { acked: result.explicitAcks.includes(id), result: JSON.parse(run?.result ?? "{}") };
}
