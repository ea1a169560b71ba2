/**
 * A goal's loop with its consequences played back to it, as the runtime
 * would: every planned action's result, the record change a record action
 * makes when the goal observes that record, and a signal a goal sends itself
 * come back as inputs carrying the action's chain, in batches the caller
 * chooses. Used to check that one arrival causes a bounded number of actions.
 */
import {
  type ActResult,
  type CycleInput,
  type GoalState,
  initialState,
  type Observation,
  type PlannedAction,
  runCycle,
} from "../../src/cycle/index.ts";
import type { CompiledGoal } from "../../src/spec/index.ts";

/** How a consequence fares: the status of an action's result, by the action and its index. */
export type Outcome = (action: PlannedAction, index: number) => ActResult["status"];

export interface ChainRun {
  actions: PlannedAction[];
  cycles: number;
  state: GoalState;
  /** Every verdict status seen, with its guard when blocked. */
  verdicts: { rule: string; status: string; guard?: string }[];
}

/**
 * Pushes `values` once, then plays back everything the actions cause until
 * nothing is left (or `maxCycles`, which fails the caller's bound). `batch`
 * picks how many waiting consequences the next cycle takes (at least one).
 */
export function runChain(
  goal: CompiledGoal,
  values: Record<string, unknown>,
  outcome: Outcome,
  batch: (waiting: number, cycle: number) => number,
  maxCycles = 5000,
): ChainRun {
  const goalId = "g_self";
  let now = 1_000_000;
  let state = initialState(goal, now);
  const observed = new Set(goal.sources.map((source) => source.name));
  const recordNames = goal.spec.observe;
  const waiting: ({ kind: "obs"; value: Observation } | { kind: "act"; value: ActResult })[] = [];
  const run: ChainRun = { actions: [], cycles: 0, state, verdicts: [] };
  let input: CycleInput = {
    goalId,
    now,
    trigger: "push",
    observations: Object.entries(values).map(([name, value]) => ({
      name,
      value,
      at: now,
      source: "push",
    })),
  };
  for (;;) {
    const result = runCycle(goal, state, input);
    state = result.state;
    run.cycles += 1;
    for (const v of result.verdicts) {
      run.verdicts.push({ rule: v.rule, status: v.status, ...(v.guard ? { guard: v.guard } : {}) });
    }
    for (const action of result.actions) {
      const index = run.actions.length;
      run.actions.push(action);
      if (action.dry_run || action.awaiting_approval) continue;
      const at = now + 1;
      const status = outcome(action, index);
      waiting.push({
        kind: "act",
        value: {
          action: action.action,
          key: action.key,
          status,
          latency_ms: 1,
          attempt: 1,
          at,
          chain: action.chain,
          ...(status === "ok" ? { value: { n: index } } : { error: "no" }),
        },
      });
      if (action.kind === "record" && status === "ok") {
        for (const [name, source] of Object.entries(recordNames)) {
          if (source.from !== "record" || source.collection !== action.payload.collection) continue;
          if (source.key !== undefined && source.key !== action.payload.key) continue;
          const value = action.payload.value;
          const field =
            source.path === undefined
              ? value
              : typeof value === "object" && value !== null && !Array.isArray(value)
                ? ((value as Record<string, unknown>)[source.path] ?? null)
                : null;
          waiting.push({
            kind: "obs",
            value: {
              name,
              value: field,
              at,
              source: "record",
              id: `record:${action.payload.collection}/${action.payload.key}@${index}`,
              chain: action.chain,
            },
          });
        }
      }
      if (action.kind === "signal" && action.payload.goal === goalId && status === "ok") {
        if (observed.has(action.payload.name)) {
          waiting.push({
            kind: "obs",
            value: {
              name: action.payload.name,
              value: action.payload.value,
              at,
              source: "signal",
              id: action.key,
              chain: action.chain,
            },
          });
        }
      }
      if (action.kind === "spawn" && status === "ok") {
        // The sub-goal's report later: a second result of the spawn action.
        waiting.push({
          kind: "act",
          value: {
            action: action.action,
            key: action.key,
            status: "ok",
            value: { status: "done" },
            latency_ms: 0,
            attempt: 2,
            at: at + 1,
            chain: action.chain,
          },
        });
      }
    }
    if (waiting.length === 0 || run.cycles >= maxCycles) break;
    const take = Math.max(1, Math.min(waiting.length, batch(waiting.length, run.cycles)));
    const next = waiting.splice(0, take);
    now += 1 + (run.cycles % 7);
    input = {
      goalId,
      now,
      trigger: next[0]?.kind === "act" ? "act" : "record",
      observations: next.flatMap((item) => (item.kind === "obs" ? [item.value] : [])),
      actResults: next.flatMap((item) => (item.kind === "act" ? [item.value] : [])),
    };
  }
  run.state = state;
  return run;
}
