/**
 * The registered formulas a goal spec refers to, found before it is compiled
 * so that the runtime can load them and hand `validateGoalSpec` a synchronous
 * resolver over them.
 */
import { referencedFormulas } from "../formula/index.ts";
import type { JsonValue } from "./json.ts";
import { type GoalSpec, GoalSpecSchema, SPEC_LIMITS } from "./schema.ts";
import type { ActionSpec } from "./schema-act.ts";
import { templateSources } from "./template.ts";

/**
 * Every registered formula a spec input names, sorted and unique: the
 * `fn.NAME` calls in any of its formulas (orient, `when`, `score`, `expect`,
 * `done`, every `=` string of a template) and the `formula` actions' names,
 * in the specs its `spawn` actions carry too, as deep as `validateGoalSpec`
 * follows them. Only formulas count: a URL, a record key written as text or a
 * string literal that reads like `fn.x(1)` does not. The input is read the way
 * `validateGoalSpec` reads it, through the schema; a spec the schema refuses is
 * never compiled, so it names nothing.
 */
export function specReferences(input: unknown): string[] {
  const names = new Set<string>();
  collect(input, 0, names);
  return [...names].sort();
}

function collect(input: unknown, depth: number, names: Set<string>): void {
  const parsed = GoalSpecSchema.safeParse(input);
  if (!parsed.success) return;
  for (const source of specFormulas(parsed.data)) {
    for (const name of referencedFormulas(source)) names.add(name);
  }
  for (const action of Object.values(parsed.data.act)) {
    if ("formula" in action) names.add(action.formula.name);
    if ("spawn" in action && depth + 1 <= SPEC_LIMITS.spawnDepth) {
      collect(action.spawn.spec, depth + 1, names);
    }
  }
}

/** The sources of every formula `compileSpec` compiles for this spec (its spawned specs aside). */
function specFormulas(spec: GoalSpec): string[] {
  const sources = Object.values(spec.orient);
  for (const rule of spec.decide.rules) {
    sources.push(rule.when);
    if (rule.score !== undefined) sources.push(rule.score);
  }
  for (const action of Object.values(spec.act)) {
    sources.push(...actionTemplates(action).flatMap(templateSources));
    if (action.expect !== undefined) sources.push(action.expect);
  }
  if (spec.done !== undefined) sources.push(spec.done);
  return sources;
}

/** The templates of an action as written: the same fields `compilePayload` compiles. */
function actionTemplates(action: ActionSpec): JsonValue[] {
  if ("webhook" in action) return action.body === undefined ? [] : [action.body];
  if ("formula" in action) return action.formula.args === undefined ? [] : [action.formula.args];
  if ("record" in action) return [action.record.key, action.record.value];
  if ("signal" in action) return [action.signal.value];
  return [];
}
