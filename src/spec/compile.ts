/**
 * Compiles a checked spec into a `CompiledGoal`: every formula (orient
 * values, `when`, `score`, `expect`, `done`, every `=` in a template) is
 * compiled with the names the loop will provide, so an unknown name or
 * function is reported at registration with its position, not at 3 a.m.
 */
import { type CompiledFormula, compile, FormulaError, type ParamSpec } from "../formula/index.ts";
import { ruleActions } from "./checks.ts";
import type {
  CompiledAction,
  CompiledCheck,
  CompiledGoal,
  CompiledModel,
  CompiledPayload,
  CompiledRule,
  FormulaResolver,
} from "./compiled-goal.ts";
import { parseDuration } from "./duration.ts";
import {
  type DeclaredNames,
  mergeReads,
  NO_READS,
  readsOf,
  unknownReferences,
} from "./formula-reads.ts";
import { urlHost } from "./hosts.ts";
import { joinPath, type SpecIssue } from "./issues.ts";
import { isIdentifier, isReservedName } from "./names.ts";
import { orderOrient } from "./orient-order.ts";
import { CYCLE_BUDGET, type GoalSpec } from "./schema.ts";
import { type ActionSpec, actionKind } from "./schema-act.ts";
import { DEFAULT_TIMEOUT_MS } from "./schema-primitives.ts";
import { compileTemplate, type TemplateNode, templateFormulas } from "./template.ts";

/** The variables every formula may read besides the goal's own names. */
export const LOOP_VARIABLES = ["history", "prev", "now", "cycle", "act", "failed"] as const;

/** What compiling needs besides the spec. */
export interface CompileSpecOptions {
  readonly formulas?: FormulaResolver | undefined;
  /** Validates a `spawn` action's spec (as a whole goal spec); issue paths relative to that spec. */
  readonly validateSpawn: (
    input: unknown,
  ) => { ok: true; spec: GoalSpec } | { ok: false; issues: readonly SpecIssue[] };
}

/** Compiles `spec`; returns the goal, or every issue found. */
export function compileSpec(
  spec: GoalSpec,
  options: CompileSpecOptions,
): { ok: true; goal: CompiledGoal } | { ok: false; issues: SpecIssue[] } {
  const issues: SpecIssue[] = [];
  const names: DeclaredNames = {
    params: new Set(Object.keys(spec.params)),
    observed: new Set(Object.keys(spec.observe)),
    oriented: new Set(Object.keys(spec.orient)),
    actions: new Set(Object.keys(spec.act)),
  };
  // Only valid names: checkSpec reports the others, and they must not make every formula fail too.
  // Default null: the language requires every declared param at evaluation, but a name that is
  // unavailable this cycle is only ever missing for formulas that do not read it (see availability.ts).
  const declared: ParamSpec[] = [
    ...[...names.params, ...names.observed, ...names.oriented].filter(
      (name) => isIdentifier(name) && !isReservedName(name),
    ),
    ...LOOP_VARIABLES,
  ]
    .filter((name, index, all) => all.indexOf(name) === index)
    .map((name) => ({ name, default: null }));

  const compileAt = (source: string, path: string): CompiledFormula | undefined => {
    try {
      const formula = compile(source, { params: declared, formulas: options.formulas });
      for (const message of unknownReferences(formula, names)) {
        issues.push({ path, code: "UNKNOWN_REFERENCE", message });
      }
      if (formula.weight > CYCLE_BUDGET) {
        issues.push({
          path,
          code: "FORMULA_BUDGET",
          message: `evaluating this formula can take up to ${formula.weight} work units through its fn. calls; a whole cycle may spend ${CYCLE_BUDGET}`,
        });
      }
      return formula;
    } catch (error) {
      issues.push(formulaIssue(path, error));
      return undefined;
    }
  };
  const check = (source: string, path: string): CompiledCheck | undefined => {
    const formula = compileAt(source, path);
    return formula === undefined ? undefined : { formula, reads: readsOf(formula, names) };
  };

  const oriented = new Map<string, CompiledCheck>();
  for (const [name, source] of Object.entries(spec.orient)) {
    const compiled = check(source, `orient.${name}`);
    if (compiled !== undefined) oriented.set(name, compiled);
  }
  const order = orderOrient(
    [...oriented.keys()],
    (name) => oriented.get(name)?.reads.oriented ?? [],
  );
  if (!order.ok) {
    issues.push({
      path: `orient.${order.cycle[0] ?? ""}`,
      code: "ORIENT_CYCLE",
      message: `orient formulas form a cycle: ${order.cycle.join(" → ")}`,
    });
  }

  const rules: CompiledRule[] = [];
  spec.decide.rules.forEach((rule, index) => {
    const when = check(rule.when, `decide.rules.${index}.when`);
    const score =
      rule.score === undefined ? null : check(rule.score, `decide.rules.${index}.score`);
    if (when === undefined || score === undefined) return;
    rules.push({
      id: rule.id,
      when,
      score,
      forMs: durationOrNull(rule.for),
      keepForMs: durationOrNull(rule.keep_for),
      cooldownMs: durationOrNull(rule.cooldown),
      actions: ruleActions(rule),
    });
  });

  const approve = new Set(spec.guard.approve);
  const actions = new Map<string, CompiledAction>();
  for (const [name, action] of Object.entries(spec.act)) {
    const at = `act.${name}`;
    const payload = compilePayload(action, at, compileAt, options, issues);
    const expect = action.expect === undefined ? null : check(action.expect, `${at}.expect`);
    if (payload === undefined || expect === undefined) continue;
    if (payload.kind === "formula" && options.formulas !== undefined) {
      if (options.formulas(payload.name) === undefined) {
        issues.push({
          path: `${at}.formula.name`,
          code: "UNKNOWN_FORMULA",
          message: `no registered formula "${payload.name}"`,
        });
      }
    }
    actions.set(name, {
      name,
      kind: actionKind(action),
      payload,
      reads: payloadTemplates(payload)
        .flatMap(templateFormulas)
        .reduce((reads, { formula }) => mergeReads(reads, readsOf(formula, names)), NO_READS),
      expect,
      withinMs: durationOrNull(action.within),
      approve: approve.has(name),
      description: action.description ?? null,
    });
  }

  const done = spec.done === undefined ? null : check(spec.done, "done");
  if (issues.length > 0 || !order.ok || done === undefined) return { ok: false, issues };

  const goal: CompiledGoal = {
    spec,
    name: spec.name,
    everyMs: parseDuration(spec.every) ?? 60_000,
    keep: spec.keep,
    params: spec.params,
    sources: Object.entries(spec.observe).map(([name, source]) => ({
      name,
      from: source.from,
      maxAgeMs: durationOrNull(source.max_age),
    })),
    orient: order.order.flatMap((name) => {
      const compiled = oriented.get(name);
      return compiled === undefined ? [] : [{ name, ...compiled }];
    }),
    policy: spec.decide.policy,
    model: compileModel(spec),
    rules,
    actions,
    guard: {
      maxActionsPerHour: spec.guard.max_actions_per_hour,
      maxActionsPerChain: spec.guard.max_actions_per_chain,
      approveWithinMs: parseDuration(spec.guard.approve_within) ?? 86_400_000,
      allowHosts: spec.guard.allow_hosts?.map((host) => host.toLowerCase()) ?? null,
      dryRun: spec.guard.dry_run,
    },
    done,
    names,
  };
  return { ok: true, goal };
}

function compileModel(spec: GoalSpec): CompiledModel | null {
  const model = spec.decide.model;
  if (spec.decide.policy !== "model" || model === undefined) return null;
  return {
    provider: model.provider,
    model: model.model,
    instructions: model.instructions ?? null,
    history: model.history,
    timeoutMs: parseDuration(model.timeout) ?? 10_000,
    maxCallsPerHour: model.max_calls_per_hour,
  };
}

function durationOrNull(text: string | undefined): number | null {
  return text === undefined ? null : (parseDuration(text) ?? null);
}

function formulaIssue(path: string, error: unknown): SpecIssue {
  if (error instanceof FormulaError) {
    const issue: SpecIssue = { path, code: error.code, message: error.message };
    if (error.position !== undefined) issue.position = { ...error.position };
    if (error.hint !== undefined) issue.hint = error.hint;
    return issue;
  }
  // Anything else escaping compile() is a bug in the formula module; report it, never crash registration.
  return {
    path,
    code: "FORMULA_INTERNAL",
    message: error instanceof Error ? error.message : String(error),
  };
}

function compilePayload(
  action: ActionSpec,
  at: string,
  compileAt: (source: string, path: string) => CompiledFormula | undefined,
  options: CompileSpecOptions,
  issues: SpecIssue[],
): CompiledPayload | undefined {
  const template = (value: Parameters<typeof compileTemplate>[0], path: string): TemplateNode =>
    compileTemplate(value, path, compileAt);
  if ("webhook" in action) {
    return {
      kind: "webhook",
      url: action.webhook,
      host: urlHost(action.webhook),
      headers: action.headers ?? {},
      timeoutMs: parseDuration(action.timeout) ?? DEFAULT_TIMEOUT_MS,
      body: action.body === undefined ? null : template(action.body, `${at}.body`),
    };
  }
  if ("formula" in action) {
    const { formula } = action;
    return {
      kind: "formula",
      name: formula.name,
      version: formula.version ?? null,
      args: formula.args === undefined ? null : template(formula.args, `${at}.formula.args`),
    };
  }
  if ("record" in action) {
    const { record } = action;
    return {
      kind: "record",
      collection: record.collection,
      key: template(record.key, `${at}.record.key`),
      value: template(record.value, `${at}.record.value`),
    };
  }
  if ("signal" in action) {
    const { signal } = action;
    return {
      kind: "signal",
      goal: signal.goal,
      name: signal.name,
      value: template(signal.value, `${at}.signal.value`),
    };
  }
  const nested = options.validateSpawn(action.spawn.spec);
  if (nested.ok) return { kind: "spawn", spec: nested.spec };
  const path = `${at}.spawn.spec`;
  issues.push(...nested.issues.map((issue) => ({ ...issue, path: joinPath(path, issue.path) })));
  return undefined;
}

/** The templates of a payload, in a fixed order. */
export function payloadTemplates(payload: CompiledPayload): TemplateNode[] {
  switch (payload.kind) {
    case "webhook":
      return payload.body === null ? [] : [payload.body];
    case "formula":
      return payload.args === null ? [] : [payload.args];
    case "record":
      return [payload.key, payload.value];
    case "signal":
      return [payload.value];
    case "spawn":
      return [];
  }
}
