/**
 * What travels on the queues. Actions go out on ACTIONS; everything that
 * comes back to goals (act results, record changes, stream events, goal
 * updates, signals) travels on OBSERVATIONS.
 */
import type { ActResult, Chain, Observation, PlannedAction, Trigger } from "./cycle/index.ts";

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
