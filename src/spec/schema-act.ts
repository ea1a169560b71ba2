/**
 * The `act` section: what each named action does. An action has exactly one
 * kind key (`webhook`, `formula`, `record`, `signal`, `spawn`) and may declare
 * the effect it should have (`expect`, checked for `within` after it runs).
 */
import { z } from "zod";
import { zodIssueCode } from "./issues.ts";
import { IDENTIFIER } from "./names.ts";
import {
  DurationSchema,
  FormulaSourceSchema,
  HeadersSchema,
  HttpUrlSchema,
  TemplateSchema,
  TimeoutSchema,
} from "./schema-primitives.ts";

const common = {
  /** What the action does, for a model choosing among actions (policy `model`); plain text. */
  description: z.string().max(1000).optional(),
  /** A formula over later observations that should turn true once the action took effect. */
  expect: FormulaSourceSchema.optional(),
  /** How long after the action runs `expect` has to turn true. Required with `expect`. */
  within: DurationSchema.optional(),
};

/** POST a templated JSON body to a URL. */
export const WebhookActionSchema = z.strictObject({
  webhook: HttpUrlSchema,
  body: TemplateSchema.optional(),
  headers: HeadersSchema.optional(),
  timeout: TimeoutSchema,
  ...common,
});

/** Evaluate a registered formula with templated arguments; the result is observed as `act.NAME.value`. */
export const FormulaActionSchema = z.strictObject({
  formula: z.strictObject({
    name: z.string().min(1).max(128),
    version: z.number().int().min(1).optional(),
    args: TemplateSchema.optional(),
  }),
  ...common,
});

/** Upsert a record; `key` may itself be a formula (`"=concat('order-', cycle)"`). */
export const RecordActionSchema = z.strictObject({
  record: z.strictObject({
    collection: z.string().min(1).max(128),
    key: z.string().min(1).max(256),
    value: TemplateSchema,
  }),
  ...common,
});

/** Send an observation `name` with a templated value to another goal. */
export const SignalActionSchema = z.strictObject({
  signal: z.strictObject({
    goal: z.string().min(1).max(128),
    name: z.string().regex(IDENTIFIER, "must be an identifier"),
    value: TemplateSchema,
  }),
  ...common,
});

/**
 * Create a sub-goal from a full goal spec (validated like any goal, see
 * `validateGoalSpec`); the spec is sent as written, with no templates.
 */
export const SpawnActionSchema = z.strictObject({
  spawn: z.strictObject({ spec: z.record(z.string(), z.unknown()) }),
  ...common,
});

const KINDS = {
  webhook: WebhookActionSchema,
  formula: FormulaActionSchema,
  record: RecordActionSchema,
  signal: SignalActionSchema,
  spawn: SpawnActionSchema,
} as const;

/** The kinds of action. */
export type ActionKind = keyof typeof KINDS;

/** The action kinds in the order messages list them. */
export const ACTION_KINDS: readonly ActionKind[] = [
  "webhook",
  "formula",
  "record",
  "signal",
  "spawn",
];

/** An action as written in a spec, told apart by which kind key it has. */
export type ActionSpec =
  | z.output<typeof WebhookActionSchema>
  | z.output<typeof FormulaActionSchema>
  | z.output<typeof RecordActionSchema>
  | z.output<typeof SignalActionSchema>
  | z.output<typeof SpawnActionSchema>;

/**
 * One action. A union of the five strict shapes would report every shape's
 * complaints at once; picking the shape by its kind key first gives one clear
 * message ("has both webhook and record") or the chosen shape's own issues.
 */
export const ActionSchema = z.unknown().transform((input, ctx): ActionSpec => {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    ctx.issues.push({
      code: "custom",
      input,
      message: `must be an object with one of ${ACTION_KINDS.join(", ")}`,
      params: { code: "SPEC_TYPE" },
    });
    return z.NEVER;
  }
  const kinds = ACTION_KINDS.filter((kind) => Object.hasOwn(input, kind));
  const [kind] = kinds;
  if (kinds.length !== 1 || kind === undefined) {
    ctx.issues.push({
      code: "custom",
      input,
      message:
        kinds.length === 0
          ? `must have exactly one of ${ACTION_KINDS.join(", ")}`
          : `must have exactly one of ${ACTION_KINDS.join(", ")}, not ${kinds.join(" and ")}`,
      params: { code: "ACTION_KIND" },
    });
    return z.NEVER;
  }
  const parsed = KINDS[kind].safeParse(input);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const path = issue.path.map((segment) =>
      typeof segment === "symbol" ? String(segment) : segment,
    );
    const code = zodIssueCode(issue);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        ctx.issues.push({
          code: "custom",
          input,
          path: [...path, key],
          message: `unknown key "${key}"`,
          params: { code },
        });
      }
      continue;
    }
    ctx.issues.push({ code: "custom", input, path, message: issue.message, params: { code } });
  }
  return z.NEVER;
});

/** The kind of a parsed action. */
export function actionKind(action: ActionSpec): ActionKind {
  if ("webhook" in action) return "webhook";
  if ("formula" in action) return "formula";
  if ("record" in action) return "record";
  if ("signal" in action) return "signal";
  return "spawn";
}
