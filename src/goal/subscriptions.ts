/**
 * How things outside a goal reach it: which record keys, stream topics and
 * goals it watches (its subscriptions), and how one outside event becomes
 * observations of its declared names.
 */

import type { Observation } from "../cycle/index.ts";
import type { Subscription } from "../db/goals.ts";
import type { GoalEvent, RecordEvent, StreamEvent } from "../queues.ts";
import type { GoalSpec } from "../spec/index.ts";
import { readPath } from "./json-path.ts";

/** What the goal watches, for fan-out lookups. */
export function subscriptionsOf(spec: GoalSpec): Subscription[] {
  const subs: Subscription[] = [];
  for (const source of Object.values(spec.observe)) {
    if (source.from === "record") {
      subs.push({
        kind: "record",
        target: source.key === undefined ? source.collection : `${source.collection}/${source.key}`,
      });
    } else if (source.from === "stream") {
      subs.push({ kind: "stream", target: source.topic });
    } else if (source.from === "goal") {
      subs.push({ kind: "goal", target: source.goal });
    }
  }
  return subs;
}

/** The fan-out targets a record change reaches: its collection and its key. */
export function recordTargets(collection: string, key: string): string[] {
  return [collection, `${collection}/${key}`];
}

/** The observations one outside event makes for this goal (none when it does not watch it). */
export function observationsFor(
  spec: GoalSpec,
  event: RecordEvent | StreamEvent | GoalEvent,
  goalView?: unknown,
): Observation[] {
  const out: Observation[] = [];
  for (const [name, source] of Object.entries(spec.observe)) {
    if (
      event.type === "record" &&
      source.from === "record" &&
      source.collection === event.collection
    ) {
      if (source.key !== undefined && source.key !== event.key) continue;
      const value = event.value === null ? null : readPath(event.value, source.path);
      out.push({
        name,
        value: value ?? null,
        at: event.at,
        source: "record",
        id: `record:${event.collection}/${event.key}@${event.version}`,
        ...(event.chain === undefined ? {} : { chain: event.chain }),
      });
    } else if (
      event.type === "stream" &&
      source.from === "stream" &&
      source.topic === event.topic
    ) {
      out.push({
        name,
        value: readPath(event.event, source.path) ?? null,
        at: event.at,
        source: "stream",
        id: `stream:${event.id}`,
      });
    } else if (event.type === "goal" && source.from === "goal" && source.goal === event.goalId) {
      const value = readPath(goalView ?? { status: event.status }, source.path);
      out.push({
        name,
        value: value ?? null,
        at: event.at,
        source: "goal",
        id: `goal:${event.goalId}:${event.status}:${event.at}`,
      });
    }
  }
  return out;
}
