/**
 * The variables every formula of a goal sees: each param by name, each
 * observed name's latest value (when fresh), each oriented name (once
 * evaluated), `history.NAME`, `prev.NAME`, `act.NAME`, `failed.NAME`, `now`
 * and `cycle`.
 */

import { type CompiledGoal, getOwn, isRecord, type JsonValue, toJsonValue } from "../spec/index.ts";
import type { Availability } from "./availability.ts";
import type { GoalState } from "./state.ts";

/** The shape of `act.NAME` before the action ever ran: every field null, attempt 0. */
const NO_RESULT = {
  status: null,
  value: null,
  http_status: null,
  latency_ms: null,
  attempt: 0,
  at: null,
  key: null,
  error: null,
} as const;

/**
 * The cycle's variables before orienting. Stale and missing observed names
 * are left out (nothing that reads them is evaluated); oriented names are
 * added by the orient step as they are computed.
 */
export function buildVars(
  goal: CompiledGoal,
  state: GoalState,
  unavailable: Availability,
  now: number,
  cycle: number,
): Record<string, unknown> {
  const vars: Record<string, unknown> = Object.fromEntries(Object.entries(goal.params));
  for (const source of goal.sources) {
    const latest = getOwn(state.latest, source.name);
    if (latest !== undefined && !unavailable.has(source.name)) vars[source.name] = latest.value;
  }
  const actions = [...goal.actions.keys()];
  vars.history = Object.fromEntries(
    goal.sources.map((source) => [
      source.name,
      (getOwn(state.history, source.name) ?? []).map((entry) => entry.value),
    ]),
  );
  vars.prev = Object.fromEntries(
    goal.orient.map((orient) => [orient.name, getOwn(state.oriented, orient.name) ?? null]),
  );
  vars.act = Object.fromEntries(
    actions.map((name) => {
      const record = getOwn(state.acts, name);
      return [name, record === undefined ? NO_RESULT : { ...record }];
    }),
  );
  vars.failed = Object.fromEntries(
    actions.map((name) => [name, getOwn(state.failed, name) === true]),
  );
  vars.now = now;
  vars.cycle = cycle;
  return vars;
}

/** The value at a dotted path of `vars` (own properties only), or null. */
export function valueAt(vars: Readonly<Record<string, unknown>>, path: string): unknown {
  let current: unknown = vars;
  for (const segment of path.split(".")) {
    if (!isRecord(current) || !Object.hasOwn(current, segment)) return null;
    current = current[segment];
  }
  return current;
}

/** Longer arrays are summarized in receipts, which must stay small. */
const SHOWN_ARRAY_LENGTH = 10;

/**
 * The values a formula read, by path, for a receipt: `{"stock": 12,
 * "history.price": {length: 100, last: 4.2}}`. Arrays longer than ten are
 * summarized as their length and last element.
 */
export function valuesRead(
  paths: readonly string[],
  vars: Readonly<Record<string, unknown>>,
): Record<string, JsonValue> {
  return Object.fromEntries(paths.map((path) => [path, toShown(valueAt(vars, path))]));
}

function toShown(value: unknown): JsonValue {
  if (Array.isArray(value) && value.length > SHOWN_ARRAY_LENGTH) {
    return { length: value.length, last: toShown(value[value.length - 1]) };
  }
  return toJsonValue(value);
}
