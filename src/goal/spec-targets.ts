/**
 * The registration-time half of the target rules (`outbound/targets.ts`):
 * every webhook URL and polled `http` source URL a spec names, in specs it
 * spawns too, judged by what the URL itself shows. What only DNS can tell
 * is checked before each request instead (`outbound/http.ts`).
 *
 * This walks the submitted JSON rather than the parsed spec, so its issues
 * join the schema's in the one 422. URLs the schema already refuses (not
 * http or https, not a URL) are left to the schema's own `INVALID_URL`.
 */
import { checkTarget, type LiteralRules } from "../outbound/index.ts";
import { SPEC_LIMITS, type SpecIssue } from "../spec/index.ts";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function judge(url: unknown, path: string, rules: LiteralRules, issues: SpecIssue[]): void {
  if (typeof url !== "string" || !URL.canParse(url)) return;
  const { protocol } = new URL(url);
  if (protocol !== "http:" && protocol !== "https:") return;
  const check = checkTarget(url, rules);
  if (!check.ok) issues.push({ path, code: "TARGET_REFUSED", message: check.reason });
}

/**
 * Issues for the targets a spec may not reach (`TARGET_REFUSED`), with the
 * dotted paths `validateGoalSpec` uses (`act.notify.webhook`,
 * `observe.price.url`, `act.child.spawn.spec.act.x.webhook`).
 */
export function targetIssues(
  input: unknown,
  rules: LiteralRules,
  prefix = "",
  depth = 0,
): SpecIssue[] {
  const issues: SpecIssue[] = [];
  if (!isObject(input) || depth > SPEC_LIMITS.spawnDepth) return issues;
  if (isObject(input.observe)) {
    for (const [name, source] of Object.entries(input.observe)) {
      if (isObject(source) && source.from === "http")
        judge(source.url, `${prefix}observe.${name}.url`, rules, issues);
    }
  }
  if (isObject(input.act)) {
    for (const [name, action] of Object.entries(input.act)) {
      if (!isObject(action)) continue;
      if ("webhook" in action) judge(action.webhook, `${prefix}act.${name}.webhook`, rules, issues);
      if (isObject(action.spawn)) {
        const nested = `${prefix}act.${name}.spawn.spec.`;
        issues.push(...targetIssues(action.spawn.spec, rules, nested, depth + 1));
      }
    }
  }
  return issues;
}
