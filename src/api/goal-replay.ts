/**
 * `POST /v1/goals/:id/replay`: the goal's recorded inputs run again, with
 * no side effects. With no spec, each recorded cycle runs with the spec
 * version it ran with (carried over where the spec changed, as the goal
 * did), so the receipts are the goal's own, exactly, and the answer says
 * whether they match the stored ones. With a spec, the same inputs run
 * through it ("what if").
 */
import type { Context } from "hono";
import type { z } from "zod";
import { hasScope } from "../auth/scopes.ts";
import { type Receipt, type ReplayInput, replaying } from "../cycle/index.ts";
import type { GoalRow } from "../db/schema.ts";
import { invalidSpec } from "../goal/lifecycle.ts";
import { REPLAY_MODEL_CALLS, withFreshAnswers } from "../goal/model-replay.ts";
import { validateWithFormulas } from "../goal/spec-formulas.ts";
import { goalStub } from "../goal/stub.ts";
import type { CompiledGoal } from "../spec/index.ts";
import type { AppEnv } from "./context.ts";
import { ApiError } from "./errors.ts";
import type { ReplayBody, ReplayResult } from "./goal-schemas.ts";
import { runBudgeted, SIMULATION_BUDGET } from "./run-budgeted.ts";
import { receiptOut } from "./time.ts";

/** The parts of a stored receipt that replay reproduces (the shell adds timings, poll notes, the spec version). */
function comparable(
  receipt: Receipt & { polls?: unknown; duration_ms?: unknown; spec_version?: unknown },
): string {
  const { polls: _polls, duration_ms: _duration, spec_version: _version, ...rest } = receipt;
  return JSON.stringify(rest);
}

export async function replayGoal(
  c: Context<AppEnv>,
  row: GoalRow,
  body: z.infer<typeof ReplayBody>,
): Promise<Response> {
  // Asking the model again spends money and the tenant's outbound budget: a write, not a read.
  if (body.call_model && !hasScope(c.get("principal"), "goals:write")) {
    throw new ApiError(403, "FORBIDDEN", "call_model needs the scope goals:write", {
      required: "goals:write",
    });
  }
  const stub = goalStub(c.env, row.id);
  const recorded = await stub.recorded(row.tenant);
  if (!recorded) throw new ApiError(404, "NOT_FOUND", `no goal ${row.id}`);
  const empty: Omit<z.infer<typeof ReplayResult>, "cycles"> & { cycles: Receipt[] } = {
    cycles: [],
    replayed: 0,
    from_cycle: null,
    to_cycle: null,
    next_after: null,
  };
  const { record } = recorded;
  if (record === null) return c.json(empty);
  const db = c.get("db");
  const compiled = new Map<number, CompiledGoal>();
  if (body.spec !== undefined) {
    const validation = await validateWithFormulas(db, row.tenant, body.spec);
    if (!validation.ok) throw invalidSpec(validation.issues);
  }
  const versions = new Set([
    record.base.specVersion,
    ...record.log.map((entry) => entry.specVersion),
  ]);
  for (const version of versions) {
    const spec = body.spec ?? record.specs[version];
    if (spec === undefined) {
      throw new ApiError(409, "REPLAY_INCOMPLETE", `spec version ${version} is no longer kept`);
    }
    const validation = await validateWithFormulas(db, row.tenant, spec);
    if (!validation.ok) {
      if (body.spec !== undefined) throw invalidSpec(validation.issues);
      throw new ApiError(409, "REPLAY_INCOMPLETE", `spec version ${version} no longer compiles`, {
        issues: validation.issues,
      });
    }
    compiled.set(version, validation.goal);
    if (body.spec !== undefined) break;
  }
  const one = body.spec === undefined ? undefined : [...compiled.values()][0];
  const first = one ?? compiled.get(record.base.specVersion);
  if (first === undefined) throw new Error("the base spec version was not compiled");
  const input: ReplayInput = {
    goalId: row.id,
    base: record.base.state,
    baseVersion: record.base.specVersion,
    log: record.log,
    goalFor: (version) => {
      const goal = one ?? compiled.get(version);
      if (goal === undefined) throw new Error(`spec version ${version} was not compiled`);
      return goal;
    },
  };
  // What if the model were asked again: fresh answers for the first cycles that call it.
  const fresh = body.call_model
    ? await withFreshAnswers(c.env, row.tenant, input, REPLAY_MODEL_CALLS, SIMULATION_BUDGET)
    : undefined;
  const cycles = replaying(fresh === undefined ? input : { ...input, log: fresh.log });
  const receipts = await runBudgeted(row.tenant, first, cycles, "replay");
  const after = body.after;
  const window =
    after === undefined
      ? receipts.slice(Math.max(0, receipts.length - body.limit))
      : receipts.filter((receipt) => receipt.cycle > after).slice(0, body.limit);
  const result: typeof empty = {
    cycles: window,
    replayed: receipts.length,
    from_cycle: receipts[0]?.cycle ?? null,
    to_cycle: receipts.at(-1)?.cycle ?? null,
    next_after: window.at(-1)?.cycle ?? null,
    ...(fresh === undefined ? {} : { model_calls: fresh.calls }),
  };
  if (body.spec === undefined && window.length > 0) {
    const first = window[0]?.cycle ?? 0;
    const stored = (await stub.receipts(row.tenant, { cycle: first - 1 }, window.length * 2)) ?? [];
    const byCycle = new Map(
      stored.filter((receipt) => !("fault" in receipt)).map((receipt) => [receipt.cycle, receipt]),
    );
    const compared = window.filter((receipt) => byCycle.has(receipt.cycle));
    result.compared = {
      receipts: compared.length,
      differing: compared
        .filter((receipt) => {
          const original = byCycle.get(receipt.cycle);
          return original === undefined || comparable(original) !== comparable(receipt);
        })
        .map((receipt) => receipt.cycle),
    };
  }
  // The goal's own specs: each receipt says which version it ran with, as the stored ones do.
  const versionOf = new Map(record.log.map((entry) => [entry.cycle, entry.specVersion]));
  const shown = result.cycles.map((receipt) => {
    const version = body.spec === undefined ? versionOf.get(receipt.cycle) : undefined;
    return receiptOut(version === undefined ? receipt : { ...receipt, spec_version: version });
  });
  return c.json({ ...result, cycles: shown });
}
