/**
 * The goal spec: the JSON a user registers with `POST /v1/goals`, as zod
 * schemas. Parsing applies the defaults (`every` 1m, `keep` 100, policy
 * `first`, timeouts 5s); `validateGoalSpec` then checks what a schema cannot
 * (names, references, formulas) and compiles the goal.
 */
import { z } from "zod";
import { MAX_DURATION_MS } from "./duration.ts";
import { ActionSchema } from "./schema-act.ts";
import { SourceSchema } from "./schema-observe.ts";
import {
  boundedDuration,
  DurationSchema,
  FormulaSourceSchema,
  JsonSchema,
} from "./schema-primitives.ts";

/**
 * The work units one cycle may spend evaluating the goal's formulas (see
 * formula/budget.ts): beyond it, what is left to evaluate that cycle fails
 * with FORMULA_BUDGET in the receipt. A formula that alone could need more,
 * through its fn. calls, is refused at registration.
 */
export const CYCLE_BUDGET = 500_000;

/** The most sources (polled ones among them), orient formulas, rules and actions one goal may declare. */
export const SPEC_LIMITS = {
  sources: 32,
  /** Of the sources, those polled over HTTP each cadence cycle (`from: "http"`). */
  polled: 10,
  orient: 64,
  rules: 64,
  actions: 32,
  /** Most actions one rule may name in `do`. */
  actionsPerRule: 8,
  /** Longest history a goal may keep per observed name. */
  keep: 1000,
  /** How deeply `spawn` specs may nest (a spawned goal spawning a goal …). */
  spawnDepth: 3,
} as const;

/** One rule of `decide`. */
export const RuleSchema = z.strictObject({
  /** Unique among the goal's rules; part of idempotency keys. */
  id: z.string(),
  /** A formula that must evaluate to a boolean. */
  when: FormulaSourceSchema,
  /** The condition must have held this long before the rule matches (pending until then). */
  for: DurationSchema.optional(),
  /** The rule stays matched (without firing again) this long after the condition was last true. */
  keep_for: DurationSchema.optional(),
  /** After firing, the rule does not fire again for this long. */
  cooldown: DurationSchema.optional(),
  /** With policy `best`: a formula giving a number; the highest wins. */
  score: FormulaSourceSchema.optional(),
  /** The action or actions to run when the rule fires. */
  do: z.union([z.string(), z.array(z.string()).min(1).max(SPEC_LIMITS.actionsPerRule)]),
});

/** The defaults of `decide.model`. */
export const MODEL_DEFAULTS = {
  /** Values of each observed name's history the model is shown, newest last. */
  history: 10,
  timeout: "10s",
  /** Model calls in any rolling hour; beyond it the rules decide without a call. */
  maxCallsPerHour: 30,
} as const;

/**
 * `decide.model`, with policy `model`: which model chooses, among the actions
 * `act` declares (and "none"), what the goal does each cycle. The model's URL
 * and key are the deployment's (OPENAI_BASE_URL, OPENAI_API_KEY, the AI
 * binding), never the spec's: a tenant cannot send the service's key anywhere.
 */
export const ModelSchema = z.strictObject({
  provider: z
    .enum(["openai", "workers-ai"])
    .describe(
      "`openai`: the deployment's OpenAI-compatible chat-completions endpoint (OPENAI_BASE_URL, OPENAI_API_KEY); `workers-ai`: its AI binding",
    ),
  model: z.string().min(1).max(256).describe("the provider's model id"),
  instructions: z
    .string()
    .max(4000)
    .optional()
    .describe("what the model should aim for, added to the system message"),
  history: z
    .number()
    .int()
    .min(0)
    .max(100)
    .default(MODEL_DEFAULTS.history)
    .describe(
      `values of each observed name's history shown to the model, newest last (default ${MODEL_DEFAULTS.history})`,
    ),
  timeout: boundedDuration(1000, 60_000, "between 1s and 60s")
    .default(MODEL_DEFAULTS.timeout)
    .describe(
      `how long one call may take (default ${MODEL_DEFAULTS.timeout}); then the rules decide`,
    ),
  max_calls_per_hour: z
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(MODEL_DEFAULTS.maxCallsPerHour)
    .describe(
      `model calls in any rolling hour (default ${MODEL_DEFAULTS.maxCallsPerHour}); beyond it the rules decide without a call`,
    ),
});

/** The `decide` section. */
export const DecideSchema = z.strictObject({
  policy: z
    .enum(["first", "all", "best", "model"])
    .default("first")
    .describe(
      "`first` matching rule, `all` matching rules, the `best` score, or `model`: a model chooses among the declared actions, the rules (as `first`) deciding when it cannot",
    ),
  /** With policy `model`: the model and its limits. */
  model: ModelSchema.optional(),
  rules: z.array(RuleSchema).default([]),
});

/**
 * The defaults of the guards that bound what a goal may do without being
 * told: every goal has them, and a spec may raise or lower them.
 */
export const GUARD_DEFAULTS = {
  /** Actions planned in any rolling hour. */
  maxActionsPerHour: 100,
  /** Actions one causal chain (one push, one cadence tick, one arrival and all it causes) may cause. */
  maxActionsPerChain: 20,
  /** How long an action waits for approval before it expires. */
  approveWithin: "24h",
} as const;

/** The `guard` section. */
export const GuardSchema = z.strictObject({
  /** At most this many actions planned in any rolling hour (dry-run and held ones included). */
  max_actions_per_hour: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(GUARD_DEFAULTS.maxActionsPerHour)
    .describe(
      `actions planned in any rolling hour, dry-run and held ones included (default ${GUARD_DEFAULTS.maxActionsPerHour}); beyond it a rule is blocked`,
    ),
  /** At most this many actions caused by one chain: one arrival and everything it leads to. */
  max_actions_per_chain: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(GUARD_DEFAULTS.maxActionsPerChain)
    .describe(
      `actions one causal chain may cause in this goal: one push, cadence tick or other arrival, and every result, record change and signal its actions lead to (default ${GUARD_DEFAULTS.maxActionsPerChain}); beyond it a rule is blocked`,
    ),
  /** Webhook hosts allowed (`erp.example`, or `*.example.com` for its subdomains). */
  allow_hosts: z
    .array(z.string().min(1).max(253))
    .max(64)
    .optional()
    .describe("webhook hosts allowed (`erp.example`, `*.example.com`); absent: any public host"),
  /** Plan and record actions but never run them. */
  dry_run: z.boolean().default(false).describe("plan and record actions, never run them"),
  /** Actions that wait for a person's approval before they run. */
  approve: z
    .array(z.string())
    .max(32)
    .default([])
    .describe(
      "names of actions (keys of `act`) that wait for a person's approval (POST /v1/goals/:id/approvals/:key/approve or /reject) before they run",
    ),
  /** How long an action waits for approval before it expires (`act.NAME.status` "expired"). */
  approve_within: boundedDuration(1000, MAX_DURATION_MS, "between 1s and 365d")
    .default(GUARD_DEFAULTS.approveWithin)
    .describe(
      `how long an action waits for approval before it expires and comes back as act.NAME.status "expired" (default ${GUARD_DEFAULTS.approveWithin})`,
    ),
});

/** A whole goal spec. */
export const GoalSpecSchema = z.strictObject({
  name: z.string().min(1).max(128),
  every: boundedDuration(1000, Number.MAX_SAFE_INTEGER, "at least 1s").default("1m"),
  params: z.record(z.string(), JsonSchema).default({}),
  observe: z.record(z.string(), SourceSchema).default({}),
  keep: z.number().int().min(1).max(SPEC_LIMITS.keep).default(100),
  orient: z.record(z.string(), FormulaSourceSchema).default({}),
  decide: DecideSchema.prefault({}),
  act: z.record(z.string(), ActionSchema).default({}),
  guard: GuardSchema.prefault({}),
  /** When this formula turns true the goal is done and its loop stops. */
  done: FormulaSourceSchema.optional(),
});

/** A goal spec as a user writes it (defaults optional). */
export type GoalSpecInput = z.input<typeof GoalSpecSchema>;

/** A goal spec after parsing: defaults applied. Plain JSON. */
export type GoalSpec = z.output<typeof GoalSpecSchema>;

/** One rule after parsing. */
export type RuleSpec = z.output<typeof RuleSchema>;

/** The `guard` section after parsing. */
export type GuardSpec = z.output<typeof GuardSchema>;

/** `decide.model` after parsing. */
export type ModelSpec = z.output<typeof ModelSchema>;

/** The decision policy: `first` match, `all` matches, the `best` score, or a `model`'s choice. */
export type Policy = GoalSpec["decide"]["policy"];

export type { ActionKind, ActionSpec } from "./schema-act.ts";
export type { SourceKind, SourceSpec } from "./schema-observe.ts";
