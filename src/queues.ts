/**
 * The queue contract: each queue this Worker consumes, by the name
 * wrangler.toml gives it, and the messages it carries. Actions go out on
 * ACTIONS (`faas-actions`; after their last retry the platform moves them to
 * `faas-actions-dlq`); everything that comes back to goals (act results,
 * record changes, stream events, goal updates, signals) travels on
 * OBSERVATIONS (`faas-observations`). `consumeBatch` hands a batch to its
 * queue's consumer and refuses a queue not named here.
 */
import type { ActResult, Chain, Observation, PlannedAction, Trigger } from "./cycle/index.ts";
import { log } from "./observability/log.ts";

/** The queues consumed, by the names in wrangler.toml's `[[queues.consumers]]`. */
export const QUEUE_NAMES = {
  actions: "faas-actions",
  deadActions: "faas-actions-dlq",
  observations: "faas-observations",
} as const;

/** Which queue, in this module's terms. */
export type QueueKey = keyof typeof QUEUE_NAMES;

/** The message each queue carries. */
export interface QueueMessages {
  actions: ActionMessage;
  deadActions: ActionMessage;
  observations: ObservationMessage;
}

/** A consumer for every queue: adding a queue here without one does not compile. */
export type QueueConsumers = {
  readonly [K in QueueKey]: (batch: MessageBatch<QueueMessages[K]>, env: Env) => Promise<void>;
};

/** The queue a batch came from, or undefined for a name this contract does not know. */
export function queueKey(name: string): QueueKey | undefined {
  const entries = Object.entries(QUEUE_NAMES) as [QueueKey, string][];
  return entries.find(([, queue]) => queue === name)?.[0];
}

/**
 * Hands `batch` to its queue's consumer. A batch from a queue this contract
 * does not name (wrangler.toml and this module drifted apart) is logged as an
 * error and thrown: the platform then retries every message of it and, after
 * the queue's retries, dead-letters it (if it has a dead-letter queue), and
 * the failed invocation shows in the Worker's errors. Acking it, as returning
 * would, loses the messages in silence; `retryAll()` would keep them but report
 * the invocation as a success.
 */
export async function consumeBatch(
  batch: MessageBatch<unknown>,
  env: Env,
  consumers: QueueConsumers,
): Promise<void> {
  const key = queueKey(batch.queue);
  if (key === undefined) {
    log("error", "queue_unknown", { queue: batch.queue, messages: batch.messages.length });
    throw new Error(`no consumer for queue ${batch.queue}: its batch is left to be retried`);
  }
  const consume = consumers[key] as (batch: MessageBatch<unknown>, env: Env) => Promise<void>;
  await consume(batch, env);
}

/** One planned action to run. */
export interface ActionMessage {
  tenant: string;
  goalId: string;
  cycle: number;
  planned: PlannedAction;
  /** How many times it was queued again to wait for its tenant's outbound budget (no attempt made). */
  deferred?: number;
}

/** A record was written or deleted. */
export interface RecordEvent {
  type: "record";
  tenant: string;
  collection: string;
  key: string;
  /** null when deleted. */
  value: unknown;
  version: number;
  at: number;
  /** Set when an action wrote the record: the change continues that action's chain. */
  chain?: Chain;
}

/** An event published to a stream topic. */
export interface StreamEvent {
  type: "stream";
  tenant: string;
  topic: string;
  event: unknown;
  id: string;
  at: number;
}

/** A goal's status changed, or it was deleted (observed by goals watching it and by its parent). */
export interface GoalEvent {
  type: "goal";
  tenant: string;
  goalId: string;
  /** The new status, or `deleted`. */
  status: string;
  at: number;
  /** Set for a spawned goal whose end this is: where to report it, and the spawn's chain. */
  parent?: { goalId: string; action: string; key: string; chain?: Chain };
}

export type ObservationMessage =
  | {
      type: "observations";
      tenant: string;
      goalId: string;
      trigger: Trigger;
      observations: Observation[];
    }
  | { type: "act_result"; tenant: string; goalId: string; result: ActResult }
  | RecordEvent
  | StreamEvent
  | GoalEvent;
