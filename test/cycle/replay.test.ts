/**
 * Replay is exact: a goal run pass by pass as its Durable Object runs it
 * (`planPass`, which logs each cycle's whole input) and the replay of that
 * log from the goal's first snapshot produce the same receipts, for random
 * specs and random timelines of pushes (late and repeated ones included),
 * cadence ticks, act results, approvals, resumes and spec changes.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  carryOver as carry,
  type GoalState,
  initialState,
  type LoggedInput,
  type PlannedAction,
  type Receipt,
  replay,
  simulate,
} from "../../src/cycle/index.ts";
import { type Loaded, planPass, type StoredReceipt } from "../../src/goal/pass.ts";
import {
  type ApprovalRecord,
  type GoalMeta,
  type InboxItem,
  keys,
  newMeta,
} from "../../src/goal/store.ts";
import type { CompiledGoal } from "../../src/spec/index.ts";
import { goalOf } from "./helpers.ts";

type Event =
  | { kind: "push"; dt: number; values: Record<string, unknown>; late: number; id?: string }
  | { kind: "alarm"; dt: number }
  | { kind: "results"; dt: number; statuses: ("ok" | "failed" | "error")[] }
  | { kind: "decide"; dt: number; approve: boolean }
  | { kind: "resume"; dt: number }
  | { kind: "spec"; dt: number };

/** What the goal's storage would hold, and what it wrote per cycle. */
interface Lived {
  receipts: StoredReceipt[];
  log: LoggedInput[];
  base: GoalState;
}

/** Runs the goal as its object does: each event becomes one pass over what was loaded. */
function live(versions: readonly CompiledGoal[], events: readonly Event[]): Lived {
  const [first] = versions;
  if (first === undefined) throw new Error("no spec");
  let now = 1_700_000_000_000;
  let goal = first;
  let meta: GoalMeta = newMeta(
    { id: "g_replay", tenant: "t", spec: goal.spec, parent: null, createdAt: now },
    now,
  );
  let state = initialState(goal, now);
  const base = structuredClone(state);
  const lived: Lived = { receipts: [], log: [], base };
  let outstanding: PlannedAction[] = [];
  const approvals = new Map<string, ApprovalRecord>();
  let seq = 0;
  const item = (value: InboxItem): [string, InboxItem] => [keys.inbox(++seq), value];
  for (const event of events) {
    now += event.dt;
    let inbox: [string, InboxItem][] = [];
    let cadence = false;
    switch (event.kind) {
      case "push":
        inbox = [
          item({
            kind: "observations",
            trigger: "push",
            observations: Object.entries(event.values).map(([name, value]) => ({
              name,
              value,
              at: now - event.late,
              source: "push",
              ...(event.id === undefined ? {} : { id: event.id }),
            })),
            at: now,
            bytes: 10,
          }),
        ];
        break;
      case "alarm":
        cadence = true;
        break;
      case "results":
        inbox = outstanding
          .filter((action) => !action.awaiting_approval && !action.dry_run)
          .map((action, i) =>
            item({
              kind: "act_result",
              result: {
                action: action.action,
                key: action.key,
                status: event.statuses[i % event.statuses.length] ?? "ok",
                value: { i },
                latency_ms: i,
                attempt: 1,
                at: now - 1,
                chain: action.chain,
              },
              at: now,
              bytes: 10,
            }),
          );
        outstanding = outstanding.filter((action) => action.awaiting_approval);
        break;
      case "decide": {
        const pending = [...approvals.values()].find((record) => record.status === "pending");
        if (pending === undefined) continue;
        pending.status = event.approve ? "approved" : "rejected";
        inbox = [
          item({
            kind: "decision",
            decision: {
              action: pending.action,
              key: pending.key,
              decision: event.approve ? "approved" : "rejected",
              by: { key_id: "k_1", name: "ops" },
              reason: "because",
              at: now,
              chain: pending.planned.chain,
            },
            at: now,
            bytes: 10,
          }),
        ];
        break;
      }
      case "resume":
        meta = { ...meta, resumedAt: now, cadenceAt: now };
        continue;
      case "spec": {
        const next = versions[meta.specVersion];
        if (next === undefined) continue;
        // What `update` does: a new version, the state carried over.
        goal = next;
        meta = { ...meta, spec: next.spec, specVersion: meta.specVersion + 1 };
        state = carry(next, state);
        continue;
      }
    }
    const expiring = new Map(
      [...approvals].filter(([, record]) => record.status === "pending" && record.expiresAt <= now),
    );
    const loaded: Loaded = {
      meta,
      goal,
      state,
      now,
      cadence,
      inbox,
      polled: [],
      polls: {},
      expiring,
      loadMs: 0,
    };
    const plan = planPass(loaded);
    // Storage keeps structured clones; so does this.
    lived.log.push(structuredClone(plan.writes[keys.log(plan.receipt.cycle)] as LoggedInput));
    lived.receipts.push(structuredClone(plan.receipt));
    state = plan.result.state;
    meta = plan.meta;
    for (const action of plan.result.actions) {
      outstanding.push(action);
      const record = plan.writes[keys.approval(action.key)] as ApprovalRecord | undefined;
      if (record !== undefined) approvals.set(action.key, { ...record });
    }
    for (const decision of plan.result.receipt.decisions) {
      const record = approvals.get(decision.key);
      if (record && decision.decision === "expired") record.status = "expired";
    }
  }
  return lived;
}

/** A stored receipt without what the shell adds. */
function pure(receipt: StoredReceipt): Receipt {
  const { polls: _polls, duration_ms: _duration, spec_version: _version, ...rest } = receipt;
  return rest;
}

const conditions = fc.constantFrom(
  "x > 2",
  "x > 0 and y < 5",
  "mean(history.x) > 1",
  "x != prev.last",
  "act.hook.status == 'failed'",
  "act.save.status == 'rejected'",
  "failed.hook",
  "y == null",
  "cycle % 2 == 0",
);

const ruleArb = fc.record({
  when: conditions,
  do: fc.uniqueArray(fc.constantFrom("hook", "save", "calc"), { minLength: 1, maxLength: 2 }),
  for: fc.constantFrom(undefined, undefined, "1s", "3s"),
  keep_for: fc.constantFrom(undefined, undefined, "2s"),
  cooldown: fc.constantFrom(undefined, undefined, "1s", "10s"),
});

const specArb = fc.record({
  policy: fc.constantFrom("first", "all", "best"),
  rules: fc.array(ruleArb, { minLength: 1, maxLength: 4 }),
  approve: fc.subarray(["hook", "save"]),
  approveWithin: fc.constantFrom("2s", "1m"),
  maxAge: fc.constantFrom(undefined, "3s"),
  keep: fc.integer({ min: 1, max: 6 }),
  perChain: fc.constantFrom(undefined, 2),
  perHour: fc.constantFrom(undefined, 3),
});

type SpecShape = typeof specArb extends fc.Arbitrary<infer T> ? T : never;

function specFrom(shape: SpecShape, variant: number): CompiledGoal {
  return goalOf({
    every: "2s",
    keep: shape.keep,
    observe: {
      x: { from: "push", ...(shape.maxAge ? { max_age: shape.maxAge } : {}) },
      y: { from: "push" },
    },
    orient: { last: "x", avg: "mean(history.x)" },
    decide: {
      policy: shape.policy,
      rules: shape.rules.map((rule, i) => ({
        id: `r${i}`,
        when: variant === 0 ? rule.when : `${rule.when} or x > ${10 + variant}`,
        do: rule.do,
        score: `x * ${i + 1}`,
        ...(rule.for ? { for: rule.for } : {}),
        ...(rule.keep_for ? { keep_for: rule.keep_for } : {}),
        ...(rule.cooldown ? { cooldown: rule.cooldown } : {}),
      })),
    },
    act: {
      hook: {
        webhook: "https://h.example/",
        body: { x: "=x", avg: "=avg" },
        expect: "x < 1",
        within: "4s",
      },
      save: { record: { collection: "c", key: "=concat('k', cycle)", value: "=history.x" } },
      calc: { formula: { name: "f", args: { x: "=x" } } },
    },
    guard: {
      approve: shape.approve,
      approve_within: shape.approveWithin,
      ...(shape.perChain ? { max_actions_per_chain: shape.perChain } : {}),
      ...(shape.perHour ? { max_actions_per_hour: shape.perHour } : {}),
    },
  });
}

const value = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -3, max: 15 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, "text", true, 2.5) },
);

const eventArb: fc.Arbitrary<Event> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("push" as const),
      dt: fc.integer({ min: 0, max: 3000 }),
      values: fc.record({ x: value, y: value }, { requiredKeys: [] }),
      late: fc.constantFrom(0, 0, 500, 5000),
      id: fc.constantFrom(undefined, undefined, "dup-1", "dup-2"),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("alarm" as const),
      dt: fc.integer({ min: 0, max: 7000 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("results" as const),
      dt: fc.integer({ min: 1, max: 500 }),
      statuses: fc.array(fc.constantFrom("ok", "failed", "error"), { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("decide" as const),
      dt: fc.integer({ min: 1, max: 3000 }),
      approve: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("resume" as const),
      dt: fc.integer({ min: 0, max: 9000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("spec" as const),
      dt: fc.integer({ min: 0, max: 100 }),
    }),
  },
);

describe("replay", () => {
  test("with the goal's own spec versions reproduces every receipt exactly", () => {
    fc.assert(
      fc.property(specArb, fc.array(eventArb, { minLength: 1, maxLength: 40 }), (shape, events) => {
        const versions = [0, 1, 2].map((variant) => specFrom(shape, variant));
        const lived = live(versions, events);
        const replayed = replay({
          goalId: "g_replay",
          base: lived.base,
          baseVersion: 1,
          log: lived.log,
          goalFor: (version) => {
            const goal = versions[version - 1];
            if (goal === undefined) throw new Error(`no version ${version}`);
            return goal;
          },
        });
        expect(replayed).toEqual(lived.receipts.map(pure));
      }),
      { numRuns: 250 },
    );
  });

  test("with a changed spec runs the same inputs: same cycles, triggers and observations", () => {
    fc.assert(
      fc.property(
        specArb,
        specArb,
        fc.array(eventArb, { minLength: 1, maxLength: 30 }),
        (a, b, events) => {
          const lived = live(
            [specFrom(a, 0)],
            events.filter((e) => e.kind !== "spec"),
          );
          const whatIf = specFrom(b, 0);
          const replayed = replay({
            goalId: "g_replay",
            base: lived.base,
            baseVersion: 1,
            log: lived.log,
            goalFor: () => whatIf,
          });
          expect(replayed.map((r) => [r.cycle, r.trigger, r.at])).toEqual(
            lived.receipts.map((r) => [r.cycle, r.trigger, r.at]),
          );
          expect(replayed.map((r) => r.observed)).toEqual(lived.receipts.map((r) => r.observed));
        },
      ),
      { numRuns: 100 },
    );
  });

  test("a `for: 3s` goal's push, alarm and act cycles replay one for one, with their actions", () => {
    const goal = goalOf({
      every: "1s",
      observe: { x: { from: "push" } },
      decide: { rules: [{ id: "hold", when: "x > 5", for: "3s", do: "hook" }] },
      act: { hook: { webhook: "https://h.example/", body: { x: "=x" } } },
    });
    const events: Event[] = [
      { kind: "push", dt: 0, values: { x: 9 }, late: 0 },
      { kind: "alarm", dt: 1000 },
      { kind: "alarm", dt: 1000 },
      { kind: "alarm", dt: 1200 },
      { kind: "results", dt: 40, statuses: ["ok"] },
      { kind: "push", dt: 300, values: { x: 7 }, late: 200 },
      { kind: "alarm", dt: 700 },
    ];
    const lived = live([goal], events);
    expect(lived.receipts.map((r) => r.trigger)).toEqual([
      "push",
      "alarm",
      "alarm",
      "alarm",
      "act",
      "push",
      "alarm",
    ]);
    expect(lived.receipts.flatMap((r) => r.actions.map((a) => a.key))).toEqual([
      "g_replay:4:hold:hook",
      "g_replay:6:hold:hook",
      "g_replay:7:hold:hook",
    ]);
    const replayed = replay({
      goalId: "g_replay",
      base: lived.base,
      baseVersion: 1,
      log: lived.log,
      goalFor: () => goal,
    });
    expect(replayed).toEqual(lived.receipts.map(pure));
    // The old way (only cycles with observations, the last value per name, every trigger a push) does not.
    const lossy = simulate(
      goal,
      lived.log
        .filter((entry) => entry.observations.length > 0)
        .map((entry) => ({
          at: entry.now,
          values: Object.fromEntries(entry.observations.map((o) => [o.name, o.value])),
        })),
      { goalId: "g_replay" },
    );
    expect(lossy.length).toBeLessThan(lived.receipts.length);
  });
});
