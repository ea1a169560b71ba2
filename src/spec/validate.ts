/**
 * `validateGoalSpec`: the one entry from untrusted JSON to a runnable goal.
 * Schema first (shapes, defaults), then the checks across sections, then
 * every formula compiled; all issues are collected so a user fixes a spec
 * in one round trip rather than one error at a time.
 */

import { checkSpec } from "./checks.ts";
import { compileSpec } from "./compile.ts";
import type { CompiledGoal, FormulaResolver } from "./compiled-goal.ts";
import { fromZodIssues, type SpecIssue } from "./issues.ts";
import { GoalSpecSchema, SPEC_LIMITS } from "./schema.ts";

/** Options of `validateGoalSpec`. */
export interface ValidateOptions {
  /** Resolves `fn.NAME` calls and `formula` actions to registered formulas. Without it, any `fn.` call is an issue. */
  formulas?: FormulaResolver;
}

/** The outcome of `validateGoalSpec`. */
export type GoalValidation = { ok: true; goal: CompiledGoal } | { ok: false; issues: SpecIssue[] };

/**
 * Parses, checks and compiles a goal spec. On failure `issues` lists every
 * problem found with its dotted path (`orient.avg_price`,
 * `decide.rules.0.when`, `act.order.body.qty`), a stable code, a message,
 * and for formula errors the position and hint. The checks:
 *
 * - the schema (types, unknown keys, durations, URLs, defaults);
 * - at most 32 sources, 64 orient formulas, 64 rules, 32 actions (`SPEC_LIMIT`);
 * - names are identifiers (`INVALID_NAME`), not reserved (`RESERVED_NAME`,
 *   see `RESERVED_NAMES`), and not used twice across params, observe and
 *   orient (`DUPLICATE_NAME`); rule ids unique (`DUPLICATE_RULE`);
 * - every action a rule's `do` or `guard.approve` names exists (`UNKNOWN_ACTION`);
 * - with `allow_hosts`, every webhook's host is allowed (`HOST_NOT_ALLOWED`);
 * - with policy `best`, every rule has a `score` (`SCORE_REQUIRED`);
 * - policy `model` comes with `decide.model` (`MODEL_REQUIRED`), `decide.model`
 *   only with it (`MODEL_UNUSED`), and no action is then named `none`
 *   (`RESERVED_NAME`: it is the model's answer for doing nothing);
 * - `expect` and `within` come together (`EXPECT_WITHIN`);
 * - every formula compiles (the formula's own code, e.g. `FORMULA_SYNTAX`),
 *   reads only what exists (`UNKNOWN_REFERENCE`: `history.X`, `prev.X`,
 *   `act.X`, `failed.X`), and orient formulas have no cycle (`ORIENT_CYCLE`);
 * - a `formula` action names a registered formula (`UNKNOWN_FORMULA`, only
 *   checked when a resolver is given);
 * - a `spawn` action's spec is itself a valid goal spec (its issues prefixed
 *   `act.NAME.spawn.spec.`), nested at most three deep (`SPAWN_DEPTH`).
 *
 * The 64 KiB limit on the spec's JSON is the HTTP layer's to check.
 */
export function validateGoalSpec(input: unknown, options: ValidateOptions = {}): GoalValidation {
  return validateAt(input, options.formulas, 0);
}

function validateAt(
  input: unknown,
  formulas: FormulaResolver | undefined,
  depth: number,
): GoalValidation {
  const parsed = GoalSpecSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: fromZodIssues(parsed.error.issues) };
  const issues = checkSpec(parsed.data);
  const compiled = compileSpec(parsed.data, {
    formulas,
    validateSpawn: (nested) => {
      if (depth + 1 > SPEC_LIMITS.spawnDepth) {
        const message = `spawned goals may nest at most ${SPEC_LIMITS.spawnDepth} deep`;
        return { ok: false, issues: [{ path: "", code: "SPAWN_DEPTH", message }] };
      }
      const result = validateAt(nested, formulas, depth + 1);
      return result.ok ? { ok: true, spec: result.goal.spec } : result;
    },
  });
  if (issues.length === 0 && compiled.ok) return compiled;
  return { ok: false, issues: [...issues, ...(compiled.ok ? [] : compiled.issues)] };
}
