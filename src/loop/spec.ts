/**
 * The goal spec: the JSON a user registers with `POST /v1/goals`, as zod
 * schemas. Parsing applies the defaults (`every` 1m, `keep` 100, policy
 * `first`, timeouts 5s); `validateGoalSpec` then checks what a schema cannot
 * (names, references, formulas) and compiles the goal.
 */
import { z } from "zod";
import { ActionSchema } from "./spec-act.ts";
import { SourceSchema } from "./spec-observe.ts";
import {
  boundedDuration,
  DurationSchema,
  FormulaSourceSchema,
  JsonSchema,
} from "./spec-primitives.ts";

/** The most sources, orient formulas, rules and actions one goal may declare. */
export const SPEC_LIMITS = {
  sources: 32,
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

/** The `decide` section. */
export const DecideSchema = z.strictObject({
  policy: z.enum(["first", "all", "best"]).default("first"),
  rules: z.array(RuleSchema).default([]),
});

/** The `guard` section. */
export const GuardSchema = z.strictObject({
  /** At most this many actions planned in any rolling hour. */
  max_actions_per_hour: z.number().int().min(1).max(100_000).optional(),
  /** Webhook hosts allowed (`erp.example`, or `*.example.com` for its subdomains). */
  allow_hosts: z.array(z.string().min(1).max(253)).max(64).optional(),
  /** Plan and record actions but never run them. */
  dry_run: z.boolean().default(false),
  /** Actions that wait for a person's approval before they run. */
  approve: z.array(z.string()).max(32).default([]),
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

/** The decision policy: `first` match, `all` matches, or the `best` score. */
export type Policy = GoalSpec["decide"]["policy"];

export type { ActionKind, ActionSpec } from "./spec-act.ts";
export type { SourceKind, SourceSpec } from "./spec-observe.ts";
