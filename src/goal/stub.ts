/**
 * The one way code outside the Durable Object reaches a goal. The stub is
 * typed by the class's own method signatures: the runtime's generic RPC types
 * are too deep for the receipt types to check.
 */
import type { Goal } from "./goal-object.ts";

export type GoalRpc = Pick<
  Goal,
  | "start"
  | "update"
  | "setPaused"
  | "destroy"
  | "observe"
  | "observePayload"
  | "deliverActResult"
  | "deliverEvent"
  | "view"
  | "receipts"
  | "recorded"
  | "approvals"
  | "decide"
  | "ensureAlarm"
  | "specAt"
  | "liveTicket"
  | "fetch"
>;

/** The goal's Durable Object (addressed by goal id). */
export function goalStub(env: Env, id: string): GoalRpc {
  return env.GOAL.getByName(id) as unknown as GoalRpc;
}
