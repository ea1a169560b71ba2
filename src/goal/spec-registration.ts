/**
 * Checks made only when a spec is registered (created, replaced, spawned),
 * never when a stored spec is compiled again: a goal registered before a
 * check existed keeps running. They walk the submitted JSON, as the target
 * checks do, so their issues join the schema's in the one 422.
 * - The goal's `name` must show something: one of only white space names nothing.
 * - A record action's `collection`, and its `key` when written out (not a
 *   formula), follow the `/v1/records` rule (`RECORD_SEGMENT`): otherwise
 *   every run of the action would fail.
 */
import { RECORD_SEGMENT, SPEC_LIMITS, type SpecIssue } from "../spec/index.ts";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const SEGMENT_RULE = "must be 1-128 of A-Z a-z 0-9 _ . - (the /v1/records rule)";

/** A template string's literal text (`"==x"` is `"=x"`), or undefined for a formula. */
function literalText(text: string): string | undefined {
  if (text.startsWith("==")) return text.slice(1);
  return text.startsWith("=") ? undefined : text;
}

export function registrationIssues(input: unknown, prefix = "", depth = 0): SpecIssue[] {
  const issues: SpecIssue[] = [];
  if (!isObject(input) || depth > SPEC_LIMITS.spawnDepth) return issues;
  if (typeof input.name === "string" && input.name !== "" && input.name.trim() === "") {
    issues.push({
      path: `${prefix}name`,
      code: "SPEC_FORMAT",
      message: "must have a character other than white space (a blank name names nothing)",
    });
  }
  if (!isObject(input.act)) return issues;
  for (const [name, action] of Object.entries(input.act)) {
    if (!isObject(action)) continue;
    if (isObject(action.record)) {
      const { collection, key } = action.record;
      if (typeof collection === "string" && !RECORD_SEGMENT.test(collection)) {
        issues.push({
          path: `${prefix}act.${name}.record.collection`,
          code: "SPEC_FORMAT",
          message: SEGMENT_RULE,
        });
      }
      const text = typeof key === "string" ? literalText(key) : undefined;
      if (text !== undefined && !RECORD_SEGMENT.test(text)) {
        issues.push({
          path: `${prefix}act.${name}.record.key`,
          code: "SPEC_FORMAT",
          message: `${SEGMENT_RULE}, or a formula ("=concat('order-', cycle)")`,
        });
      }
    }
    if (isObject(action.spawn)) {
      const nested = `${prefix}act.${name}.spawn.spec.`;
      issues.push(...registrationIssues(action.spawn.spec, nested, depth + 1));
    }
  }
  return issues;
}
