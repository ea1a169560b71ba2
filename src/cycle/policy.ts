/**
 * The second half of decide: which matched rules act. A rule that is
 * matched (its condition true and held) or kept is a candidate.
 *
 * - `first`: the first candidate in rule order acts; later ones are superseded.
 * - `all`: every candidate acts.
 * - `best`: every candidate's `score` is evaluated; the highest acts, and a
 *   tie goes to the rule written first. A score that cannot be evaluated
 *   (missing data, an error, not a number) takes that rule out of the running.
 *
 * A kept or cooling-down winner still wins: it stands for the situation the
 * goal is in, so under `first` or `best` lower rules do not act meanwhile.
 */

import type { Policy } from "../spec/index.ts";
import { type Availability, blockerOf } from "./availability.ts";
import type { Assessment } from "./decide.ts";
import { evaluateSafely } from "./evaluate.ts";
import type { Verdict } from "./receipt.ts";

/** A candidate chosen to act, with its score under `best`. */
export interface Winner {
  assessment: Assessment;
  score?: number;
}

/** The policy's choice. */
export interface Choice {
  winners: Winner[];
  /** Verdicts of every rule that is not a winner, by rule id. */
  verdicts: Map<string, Verdict>;
}

/** The policies that rules apply by themselves (policy `model` falls back to `first`). */
export type RulePolicy = Exclude<Policy, "model">;

/** Applies the goal's policy to the assessed rules. */
export function choose(
  policy: RulePolicy,
  assessments: readonly Assessment[],
  vars: Readonly<Record<string, unknown>>,
  unavailable: Availability,
): Choice {
  const verdicts = new Map<string, Verdict>();
  const candidates: Winner[] = [];
  for (const assessment of assessments) {
    const { rule, phase, reason, values, code } = assessment;
    if (phase === "active" || phase === "kept") {
      const scored = policy === "best" ? score(assessment, vars, unavailable) : { assessment };
      if ("status" in scored) verdicts.set(rule.id, scored);
      else candidates.push(scored);
      continue;
    }
    const verdict: Verdict = { rule: rule.id, status: phase, reason };
    if (values !== undefined) verdict.values = values;
    if (code !== undefined) verdict.code = code;
    verdicts.set(rule.id, verdict);
  }
  const winners = pick(policy, candidates);
  for (const candidate of candidates) {
    if (winners.includes(candidate)) continue;
    const { rule, values } = candidate.assessment;
    const verdict: Verdict = {
      rule: rule.id,
      status: "superseded",
      reason: supersededReason(policy, candidate, winners[0]),
    };
    if (values !== undefined) verdict.values = values;
    if (candidate.score !== undefined) verdict.score = candidate.score;
    verdicts.set(rule.id, verdict);
  }
  return { winners, verdicts };
}

function pick(policy: RulePolicy, candidates: Winner[]): Winner[] {
  if (policy === "all") return candidates;
  if (policy === "first") return candidates.slice(0, 1);
  let best: Winner | undefined;
  for (const candidate of candidates) {
    // Strictly greater: on a tie the earlier rule stays.
    if (best === undefined || (candidate.score ?? 0) > (best.score ?? 0)) best = candidate;
  }
  return best === undefined ? [] : [best];
}

function supersededReason(policy: RulePolicy, loser: Winner, winner: Winner | undefined): string {
  const id = winner?.assessment.rule.id ?? "?";
  if (policy !== "best") return `rule ${id} matched first`;
  if (loser.score === winner?.score) return `tie at score ${loser.score}; rule ${id} comes first`;
  return `rule ${id} scored ${winner?.score} (this rule ${loser.score})`;
}

function score(
  assessment: Assessment,
  vars: Readonly<Record<string, unknown>>,
  unavailable: Availability,
): Winner | Verdict {
  const { rule, values } = assessment;
  const base = values === undefined ? {} : { values };
  if (rule.score === null) return { assessment, score: 0 };
  const blocker = blockerOf(rule.score.reads, unavailable);
  if (blocker?.kind === "error") {
    return {
      rule: rule.id,
      status: "error",
      reason: `score: ${blocker.message}`,
      code: blocker.code,
      ...base,
    };
  }
  if (blocker !== undefined) {
    const reason = `insufficient data for score: ${blocker.reasons.join("; ")}`;
    return { rule: rule.id, status: "insufficient_data", reason, ...base };
  }
  const result = evaluateSafely(rule.score.formula, vars);
  if (!result.ok) {
    return {
      rule: rule.id,
      status: "error",
      reason: `score: ${result.message}`,
      code: result.code,
      ...base,
    };
  }
  if (typeof result.value !== "number") {
    const reason = `score must be a number, got ${JSON.stringify(result.value)}`;
    return { rule: rule.id, status: "error", reason, code: "SCORE_NOT_NUMBER", ...base };
  }
  return { assessment, score: result.value === 0 ? 0 : result.value };
}
