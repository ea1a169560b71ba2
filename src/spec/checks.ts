/**
 * The checks of a parsed spec that a schema cannot express: limits, names,
 * references between sections, and guards. Formulas are checked when they
 * are compiled (`compile.ts`).
 */
import { hostAllowed, isHostPattern, urlHost } from "./hosts.ts";
import type { SpecIssue } from "./issues.ts";
import { isIdentifier, isReservedName, RULE_ID } from "./names.ts";
import type { GoalSpec, RuleSpec } from "./schema.ts";
import { SPEC_LIMITS } from "./schema.ts";

/** Every semantic issue of a parsed spec (empty when it is sound). */
export function checkSpec(spec: GoalSpec): SpecIssue[] {
  return [
    ...checkLimits(spec),
    ...checkNames(spec),
    ...checkRules(spec),
    ...checkModel(spec),
    ...checkActs(spec),
  ];
}

/** Policy `model` needs `decide.model`, and `decide.model` is only read under it. */
function checkModel(spec: GoalSpec): SpecIssue[] {
  const { policy, model } = spec.decide;
  if (policy === "model" && model === undefined) {
    return [
      {
        path: "decide.model",
        code: "MODEL_REQUIRED",
        message: 'policy "model" needs decide.model: {provider, model}',
      },
    ];
  }
  if (policy === "model" && Object.hasOwn(spec.act, "none")) {
    return [
      {
        path: "act.none",
        code: "RESERVED_NAME",
        message:
          'with policy "model", "none" is the model\'s answer for doing nothing; name the action otherwise',
      },
    ];
  }
  if (policy !== "model" && model !== undefined) {
    return [
      {
        path: "decide.model",
        code: "MODEL_UNUSED",
        message: `decide.model is only used with policy "model" (the policy is "${policy}")`,
      },
    ];
  }
  return [];
}

function checkLimits(spec: GoalSpec): SpecIssue[] {
  const counts = [
    ["observe", Object.keys(spec.observe).length, SPEC_LIMITS.sources, "sources"],
    // Each is a request to someone else's server every cycle, at a cadence as short as 1s.
    ["observe", polledSources(spec), SPEC_LIMITS.polled, "polled http sources"],
    ["orient", Object.keys(spec.orient).length, SPEC_LIMITS.orient, "orient formulas"],
    ["decide.rules", spec.decide.rules.length, SPEC_LIMITS.rules, "rules"],
    ["act", Object.keys(spec.act).length, SPEC_LIMITS.actions, "actions"],
  ] as const;
  return counts
    .filter(([, count, limit]) => count > limit)
    .map(([path, count, limit, what]) => ({
      path,
      code: "SPEC_LIMIT",
      message: `at most ${limit} ${what} (got ${count})`,
    }));
}

function polledSources(spec: GoalSpec): number {
  return Object.values(spec.observe).filter((source) => source.from === "http").length;
}

/** Params, observed and oriented names share one namespace that formulas read bare. */
function checkNames(spec: GoalSpec): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const seen = new Map<string, string>();
  const sections = [
    ["params", Object.keys(spec.params)],
    ["observe", Object.keys(spec.observe)],
    ["orient", Object.keys(spec.orient)],
  ] as const;
  for (const [section, names] of sections) {
    for (const name of names) {
      const path = `${section}.${name}`;
      if (!isIdentifier(name)) {
        issues.push({ path, code: "INVALID_NAME", message: identifierMessage(name) });
      } else if (isReservedName(name)) {
        issues.push({
          path,
          code: "RESERVED_NAME",
          message: `"${name}" is reserved (the loop provides it, or it is a keyword of the formula language)`,
        });
      }
      const first = seen.get(name);
      if (first !== undefined) {
        issues.push({
          path,
          code: "DUPLICATE_NAME",
          message: `"${name}" is already declared in ${first}; params, observe and orient share one namespace`,
        });
      } else {
        seen.set(name, section);
      }
    }
  }
  for (const name of Object.keys(spec.act)) {
    if (!isIdentifier(name)) {
      issues.push({ path: `act.${name}`, code: "INVALID_NAME", message: identifierMessage(name) });
    } else if (name.startsWith("__")) {
      issues.push({
        path: `act.${name}`,
        code: "RESERVED_NAME",
        message: "names starting with __ are reserved",
      });
    }
  }
  return issues;
}

function identifierMessage(name: string): string {
  return `"${name}" is not a name: use letters, digits and _, starting with a letter or _ (at most 64)`;
}

/** The action names a rule's `do` lists, in order. */
export function ruleActions(rule: RuleSpec): string[] {
  return typeof rule.do === "string" ? [rule.do] : [...rule.do];
}

function checkRules(spec: GoalSpec): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const ids = new Set<string>();
  spec.decide.rules.forEach((rule, index) => {
    const at = `decide.rules.${index}`;
    if (!RULE_ID.test(rule.id)) {
      issues.push({
        path: `${at}.id`,
        code: "INVALID_NAME",
        message: `"${rule.id}" is not a rule id: use letters, digits, _ and -, starting with a letter or _ (at most 64)`,
      });
    }
    if (ids.has(rule.id)) {
      issues.push({
        path: `${at}.id`,
        code: "DUPLICATE_RULE",
        message: `rule id "${rule.id}" is used twice`,
      });
    }
    ids.add(rule.id);
    const actions = ruleActions(rule);
    actions.forEach((action, i) => {
      const path = typeof rule.do === "string" ? `${at}.do` : `${at}.do.${i}`;
      if (!Object.hasOwn(spec.act, action)) {
        issues.push({ path, code: "UNKNOWN_ACTION", message: `no action "${action}" in act` });
      } else if (actions.indexOf(action) !== i) {
        issues.push({ path, code: "DUPLICATE_ACTION", message: `"${action}" is listed twice` });
      }
    });
    if (spec.decide.policy === "best" && rule.score === undefined) {
      issues.push({
        path: `${at}.score`,
        code: "SCORE_REQUIRED",
        message: 'with policy "best" every rule needs a score formula',
      });
    }
  });
  return issues;
}

function checkActs(spec: GoalSpec): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const allow = spec.guard.allow_hosts;
  allow?.forEach((entry, index) => {
    if (!isHostPattern(entry)) {
      issues.push({
        path: `guard.allow_hosts.${index}`,
        code: "INVALID_HOST",
        message: `"${entry}" is not a host name or *.domain pattern`,
      });
    }
  });
  spec.guard.approve.forEach((name, index) => {
    if (!Object.hasOwn(spec.act, name)) {
      issues.push({
        path: `guard.approve.${index}`,
        code: "UNKNOWN_ACTION",
        message: `no action "${name}" in act`,
      });
    }
  });
  for (const [name, action] of Object.entries(spec.act)) {
    if ("webhook" in action && allow !== undefined) {
      const host = urlHost(action.webhook);
      if (!hostAllowed(host, allow)) {
        issues.push({
          path: `act.${name}.webhook`,
          code: "HOST_NOT_ALLOWED",
          message: `host "${host}" is not in guard.allow_hosts`,
        });
      }
    }
    if (action.expect !== undefined && action.within === undefined) {
      issues.push({
        path: `act.${name}.within`,
        code: "EXPECT_WITHIN",
        message: "expect needs within (how long the effect may take)",
      });
    }
    if (action.within !== undefined && action.expect === undefined) {
      issues.push({
        path: `act.${name}.expect`,
        code: "EXPECT_WITHIN",
        message: "within needs expect (the effect to check)",
      });
    }
  }
  return issues;
}
