/**
 * A goal ready to run: its spec parsed and checked, every formula compiled,
 * orient formulas in dependency order, durations in milliseconds. Built once
 * per spec version by `validateGoalSpec`; not JSON (it holds compiled
 * formulas), so the shell stores the spec and compiles again after a restart.
 */
import type { CallableFormula, CompiledFormula } from "../formula/index.ts";
import type { DeclaredNames, Reads } from "./formula-reads.ts";
import type { JsonValue } from "./json.ts";
import type { ActionKind, GoalSpec, Policy, SourceKind } from "./schema.ts";
import type { TemplateNode } from "./template.ts";

/** Resolves `fn.NAME` to a registered formula (the shell passes one backed by the registry). */
export type FormulaResolver = (name: string) => CallableFormula | undefined;

/** A formula with what it reads. */
export interface CompiledCheck {
  readonly formula: CompiledFormula;
  readonly reads: Reads;
}

/** One observed name. */
export interface CompiledSource {
  readonly name: string;
  readonly from: SourceKind;
  /** Older than this the latest value is stale; null: never stale once observed. */
  readonly maxAgeMs: number | null;
}

/** One orient formula. */
export interface CompiledOrient extends CompiledCheck {
  readonly name: string;
}

/** One rule. */
export interface CompiledRule {
  readonly id: string;
  readonly when: CompiledCheck;
  readonly score: CompiledCheck | null;
  readonly forMs: number | null;
  readonly keepForMs: number | null;
  readonly cooldownMs: number | null;
  /** Action names, in the order written. */
  readonly actions: readonly string[];
}

/** The templated parts of an action, by kind; rendered into a planned action's payload. */
export type CompiledPayload =
  | {
      readonly kind: "webhook";
      readonly url: string;
      readonly host: string;
      readonly headers: Readonly<Record<string, string>>;
      readonly timeoutMs: number;
      readonly body: TemplateNode | null;
    }
  | {
      readonly kind: "formula";
      readonly name: string;
      readonly version: number | null;
      readonly args: TemplateNode | null;
    }
  | {
      readonly kind: "record";
      readonly collection: string;
      readonly key: TemplateNode;
      readonly value: TemplateNode;
    }
  | {
      readonly kind: "signal";
      readonly goal: string;
      readonly name: string;
      readonly value: TemplateNode;
    }
  | { readonly kind: "spawn"; readonly spec: GoalSpec };

/** One action. */
export interface CompiledAction {
  readonly name: string;
  readonly kind: ActionKind;
  readonly payload: CompiledPayload;
  /** What the action's templates read. */
  readonly reads: Reads;
  readonly expect: CompiledCheck | null;
  readonly withinMs: number | null;
  /** True when the action waits for a person's approval (`guard.approve`). */
  readonly approve: boolean;
  /** What the action does, as the spec says it (shown to a model choosing among actions). */
  readonly description: string | null;
}

/** `decide.model`, resolved (policy `model`). */
export interface CompiledModel {
  readonly provider: "openai" | "workers-ai";
  readonly model: string;
  readonly instructions: string | null;
  /** Values of each observed name's history shown to the model. */
  readonly history: number;
  readonly timeoutMs: number;
  readonly maxCallsPerHour: number;
}

/** The guard section, resolved. */
export interface CompiledGuard {
  readonly maxActionsPerHour: number;
  readonly maxActionsPerChain: number;
  readonly approveWithinMs: number;
  /** Null: any host; else exact hosts and `*.suffix` patterns, lower-cased. */
  readonly allowHosts: readonly string[] | null;
  readonly dryRun: boolean;
}

/** A validated, compiled goal. */
export interface CompiledGoal {
  /** The spec with defaults applied (plain JSON; what the shell stores and shows). */
  readonly spec: GoalSpec;
  readonly name: string;
  readonly everyMs: number;
  readonly keep: number;
  readonly params: Readonly<Record<string, JsonValue>>;
  readonly sources: readonly CompiledSource[];
  /** In dependency order: each formula after the oriented names it reads. */
  readonly orient: readonly CompiledOrient[];
  readonly policy: Policy;
  /** With policy `model`: the model; else null. */
  readonly model: CompiledModel | null;
  readonly rules: readonly CompiledRule[];
  readonly actions: ReadonlyMap<string, CompiledAction>;
  readonly guard: CompiledGuard;
  readonly done: CompiledCheck | null;
  readonly names: DeclaredNames;
}

export type { ActionKind, Policy, SourceKind } from "./schema.ts";
