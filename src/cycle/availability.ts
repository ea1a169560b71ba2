/**
 * Which names can be trusted this cycle. An observed name with no
 * observation yet, or one older than its source's `max_age`, is
 * insufficient; an oriented name is unavailable when its formula failed or
 * anything it reads is unavailable. Whatever reads an unavailable name is
 * never evaluated, so a missing value can never look like a crossed threshold.
 */
import { type CompiledGoal, formatDuration, getOwn, type Reads } from "../spec/index.ts";
import type { GoalState } from "./state.ts";

/** Why a name cannot be used this cycle. */
export type Unavailable =
  | { readonly kind: "insufficient"; readonly reasons: readonly string[] }
  | { readonly kind: "error"; readonly code: string; readonly message: string };

/** Unavailable names (observed and oriented) with why; a name not in it is available. */
export type Availability = Map<string, Unavailable>;

/** The observed names that are missing or stale at `now`. */
export function sourceAvailability(
  goal: CompiledGoal,
  state: GoalState,
  now: number,
): Availability {
  const unavailable: Availability = new Map();
  for (const source of goal.sources) {
    const latest = getOwn(state.latest, source.name);
    if (latest === undefined) {
      unavailable.set(source.name, {
        kind: "insufficient",
        reasons: [`${source.name} has no observation yet`],
      });
      continue;
    }
    const age = now - latest.at;
    if (source.maxAgeMs !== null && age > source.maxAgeMs) {
      unavailable.set(source.name, {
        kind: "insufficient",
        reasons: [
          `${source.name} is stale (observed ${formatDuration(age)} ago, max_age ${formatDuration(source.maxAgeMs)})`,
        ],
      });
    }
  }
  return unavailable;
}

/**
 * Why something reading `reads` cannot be evaluated, or undefined when it
 * can. An error wins over missing data: it will not go away by waiting.
 */
export function blockerOf(reads: Reads, unavailable: Availability): Unavailable | undefined {
  const reasons: string[] = [];
  for (const name of [...reads.oriented, ...reads.observed]) {
    const blocker = unavailable.get(name);
    if (blocker === undefined) continue;
    if (blocker.kind === "error") return blocker;
    for (const reason of blocker.reasons) if (!reasons.includes(reason)) reasons.push(reason);
  }
  return reasons.length > 0 ? { kind: "insufficient", reasons } : undefined;
}
