/**
 * The observe step: applying what arrived to the state. Observations become
 * each name's latest value and a bounded history; act results become
 * `act.NAME`. Delivery is at least once, so repeats are recognized and
 * applied once; values are made JSON-safe before they are kept.
 */
import { type CompiledGoal, getOwn, toJsonValue } from "../spec/index.ts";
import type { ActResult, Observation } from "./input.ts";
import type { AppliedActResult, DecisionEntry, IgnoredInput, ObservedEntry } from "./receipt.ts";
import { type GoalState, type HistoryEntry, SEEN_ID_LIMIT } from "./state.ts";

/** What the observe step applied and left out. */
export interface Observed {
  observed: Record<string, ObservedEntry[]>;
  actResults: AppliedActResult[];
  decisions: DecisionEntry[];
  ignored: IgnoredInput[];
}

/**
 * What the state remembers of an applied observation id: the id per name, so
 * one event observed by several names (two paths of one record, two stream
 * sources on one topic) is applied once by each.
 */
function seenKey(id: string, name: string): string {
  return `${id}#${name}`;
}

/** A finite time, or `fallback`. */
function timeOr(at: unknown, fallback: number): number {
  return typeof at === "number" && Number.isFinite(at) ? at : fallback;
}

/**
 * Applies observations in time order (ties keep their arrival order). A late
 * observation (older than the name's latest) goes into its place in the
 * history but does not replace the latest value. Mutates `state`.
 */
export function applyObservations(
  goal: CompiledGoal,
  state: GoalState,
  observations: readonly Observation[],
  now: number,
  into: Observed,
): void {
  const declared = new Set(goal.sources.map((source) => source.name));
  const ordered = observations
    .map((observation, index) => ({ observation, index, at: timeOr(observation.at, now) }))
    .sort((a, b) => a.at - b.at || a.index - b.index);
  const seen = new Set(state.seenIds);
  for (const { observation, at } of ordered) {
    const name = String(observation.name);
    const id = typeof observation.id === "string" ? observation.id : undefined;
    if (!declared.has(name)) {
      into.ignored.push({ name, reason: "not observed by this goal" });
      continue;
    }
    const once = id === undefined ? undefined : seenKey(id, name);
    if (once !== undefined && seen.has(once)) {
      into.ignored.push({ name, reason: `observation ${id} was already applied` });
      continue;
    }
    if (once !== undefined) {
      seen.add(once);
      state.seenIds.push(once);
    }
    const value = toJsonValue(observation.value);
    const entry: HistoryEntry = { at, value };
    state.history[name] = insertBounded(getOwn(state.history, name) ?? [], entry, goal.keep);
    const latest = getOwn(state.latest, name);
    if (latest === undefined || at >= latest.at) {
      state.latest[name] = { value, at, source: observation.source };
    }
    const applied: ObservedEntry = { value, at, source: observation.source };
    if (id !== undefined) applied.id = id;
    into.observed[name] = [...(getOwn(into.observed, name) ?? []), applied];
  }
  if (state.seenIds.length > SEEN_ID_LIMIT)
    state.seenIds.splice(0, state.seenIds.length - SEEN_ID_LIMIT);
}

/** `history` with `entry` inserted in time order (after equal times), keeping the newest `keep`. */
function insertBounded(history: HistoryEntry[], entry: HistoryEntry, keep: number): HistoryEntry[] {
  let index = history.length;
  while (index > 0 && (history[index - 1]?.at ?? 0) > entry.at) index--;
  const next = [...history.slice(0, index), entry, ...history.slice(index)];
  return next.length > keep ? next.slice(next.length - keep) : next;
}

/**
 * Applies act results in time order: each becomes `act.NAME` unless a newer
 * one is already there; a repeat of the same key and attempt is ignored. A
 * result ends the wait for approval of its key and starts the clock of an
 * `expect` that waited for approval. Mutates `state`.
 */
export function applyActResults(
  goal: CompiledGoal,
  state: GoalState,
  results: readonly ActResult[],
  now: number,
  into: Observed,
): void {
  const ordered = results
    .map((result, index) => ({ result, index, at: timeOr(result.at, now) }))
    .sort((a, b) => a.at - b.at || a.index - b.index);
  for (const { result, at } of ordered) {
    const name = String(result.action);
    const action = goal.actions.get(name);
    if (action === undefined) {
      into.ignored.push({ name, reason: "not an action of this goal" });
      continue;
    }
    const key = String(result.key);
    const attempt = timeOr(result.attempt, 0);
    const last = getOwn(state.acts, name);
    if (
      last !== undefined &&
      last.key === key &&
      last.attempt === attempt &&
      last.status === result.status
    ) {
      into.ignored.push({
        name,
        reason: `result of ${key} attempt ${attempt} was already applied`,
      });
      continue;
    }
    if (last === undefined || at >= last.at) {
      state.acts[name] = {
        key,
        status: result.status,
        value: toJsonValue(result.value ?? null),
        http_status: typeof result.http_status === "number" ? timeOr(result.http_status, 0) : null,
        latency_ms: timeOr(result.latency_ms, 0),
        attempt,
        at,
        error: typeof result.error === "string" ? result.error : null,
      };
    }
    if (getOwn(state.approvals, name)?.key === key) delete state.approvals[name];
    for (const expectation of state.expectations) {
      if (expectation.key === key && expectation.deadline === null) {
        expectation.deadline = at + (action.withinMs ?? 0);
      }
    }
    const applied: AppliedActResult = { action: name, key, status: result.status, attempt, at };
    if (typeof result.http_status === "number") applied.http_status = result.http_status;
    if (typeof result.error === "string") applied.error = result.error.slice(0, 500);
    into.actResults.push(applied);
  }
}
