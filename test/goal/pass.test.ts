/**
 * A goal's pass as a pure function (runs in Node): what one cycle writes,
 * deletes and sends, and when the alarm fires next.
 */
import { describe, expect, test } from "vitest";
import { initialState } from "../../src/cycle/index.ts";
import {
  type AlarmInputs,
  ARRIVAL_GRACE_MS,
  alarmPass,
  type Loaded,
  nextAlarmAt,
  planPass,
} from "../../src/goal/pass.ts";
import { type GoalMeta, type InboxItem, keys, newMeta } from "../../src/goal/store.ts";
import { goalOf } from "../cycle/helpers.ts";

const goal = goalOf({
  every: "1m",
  observe: { x: { from: "push" } },
  decide: { policy: "all", rules: [{ id: "r", when: "x > 0", do: ["hook", "order"] }] },
  act: { hook: { webhook: "https://h.example/" }, order: { webhook: "https://erp.example/" } },
  guard: { approve: ["order"], approve_within: "1h" },
});

function loaded(meta: GoalMeta, inbox: [string, InboxItem][], now = 1000): Loaded {
  return {
    meta,
    goal,
    state: initialState(goal, 0),
    now,
    cadence: false,
    inbox,
    polled: [],
    polls: {},
    expiring: new Map(),
    loadMs: 0,
  };
}

const push = (x: number, bytes = 40): InboxItem => ({
  kind: "observations",
  trigger: "push",
  observations: [{ name: "x", value: x, at: 900, source: "push" }],
  at: 900,
  bytes,
});

describe("planPass", () => {
  const meta = {
    ...newMeta({ id: "g_1", tenant: "t", spec: goal.spec, parent: null, createdAt: 0 }, 0),
    cadenceAt: 60_000,
    inboxItems: 2,
    inboxBytes: 100,
  };

  test("writes the state, receipt and the cycle's whole input; sends the action; holds the one awaiting approval", () => {
    const plan = planPass(loaded(meta, [[keys.inbox(1), push(5)]]));
    expect(plan.receipt.cycle).toBe(1);
    expect(plan.writes[keys.log(1)]).toEqual({
      cycle: 1,
      specVersion: 1,
      now: 1000,
      trigger: "push",
      observations: [{ name: "x", value: 5, at: 900, source: "push" }],
    });
    expect([...plan.outbox.keys()].sort()).toEqual([
      keys.outboxAction("g_1:1:r:hook"),
      keys.outboxApproval("g_1:1:r:order"),
      keys.outboxCycle(1),
    ]);
    expect(plan.writes[keys.approval("g_1:1:r:order")]).toMatchObject({
      status: "pending",
      rule: "r",
      requestedAt: 1000,
      expiresAt: 1000 + 3_600_000,
    });
    expect(plan.deletes).toEqual([keys.inbox(1)]);
    // What the inbox held is counted down; the cadence is untouched by an arrival.
    expect(plan.meta).toMatchObject({
      inboxItems: 1,
      inboxBytes: 60,
      lastCycle: 1,
      cadenceAt: 60_000,
    });
    expect(meta.lastCycle).toBe(0);
  });

  test("a cadence cycle sets the next cadence, takes the resume into account and clears it", () => {
    const plan = planPass({ ...loaded({ ...meta, resumedAt: 500 }, []), cadence: true });
    expect(plan.input).toMatchObject({ trigger: "alarm", resumedAt: 500 });
    expect(plan.meta).toMatchObject({ cadenceAt: 61_000, resumedAt: null });
  });

  test("every 500th cycle leaves a snapshot for replay to start from", () => {
    const state = { ...initialState(goal, 0), cycle: 499 };
    const plan = planPass({ ...loaded(meta, [[keys.inbox(1), push(0)]]), state });
    expect(plan.writes[keys.snapshot(500)]).toEqual({
      cycle: 500,
      specVersion: 1,
      state: plan.result.state,
    });
    expect(
      planPass(loaded(meta, [[keys.inbox(1), push(0)]])).writes[keys.snapshot(1)],
    ).toBeUndefined();
  });
});

describe("nextAlarmAt", () => {
  const base: AlarmInputs = {
    now: 1000,
    status: "active",
    failures: 0,
    retryAt: 0,
    cadenceAt: 61_000,
    waiting: false,
    again: false,
    copiesAt: undefined,
    state: undefined,
  };
  test("the cadence when nothing else is due", () => expect(nextAlarmAt(base)).toBe(61_000));
  test("arrivals left waiting: at once, or after a grace when a cycle runs for them anyway", () => {
    expect(nextAlarmAt({ ...base, waiting: true })).toBe(1001);
    expect(nextAlarmAt({ ...base, waiting: true, again: true })).toBe(1000 + ARRIVAL_GRACE_MS);
  });
  test("a failing goal retries at its backoff, whatever waits, even when done", () => {
    expect(nextAlarmAt({ ...base, failures: 2, retryAt: 9000, waiting: true })).toBe(9000);
    expect(nextAlarmAt({ ...base, status: "done", failures: 1, retryAt: 5000 })).toBe(5000);
  });
  test("the D1 copies or an approval's expiry when sooner than the cadence", () => {
    expect(nextAlarmAt({ ...base, copiesAt: 2000 })).toBe(2000);
    const state = initialState(goal, 0);
    state.approvals.order = { key: "k", rule: "r", since: 0, cycle: 1, expiresAt: 30_000 };
    expect(nextAlarmAt({ ...base, state })).toBe(30_000);
  });
  test("never in the past; none for a paused or done goal", () => {
    expect(nextAlarmAt({ ...base, cadenceAt: 10 })).toBe(1001);
    expect(nextAlarmAt({ ...base, status: "paused" })).toBeNull();
    expect(nextAlarmAt({ ...base, status: "done" })).toBeNull();
  });
});

describe("alarmPass", () => {
  const meta = {
    ...newMeta({ id: "g_1", tenant: "t", spec: goal.spec, parent: null, createdAt: 0 }, 0),
    cadenceAt: 60_000,
  };
  const state = initialState(goal, 0);
  state.approvals.order = { key: "k", rule: "r", since: 0, cycle: 1, expiresAt: 30_000 };
  test("a due cadence, something waiting, or a failing goal: a cadence cycle", () => {
    expect(alarmPass({ now: 60_000, meta, state, waiting: false, early: true })).toBe("alarm");
    expect(alarmPass({ now: 1000, meta, state, waiting: true, early: true })).toBe("alarm");
    expect(
      alarmPass({ now: 1000, meta: { ...meta, failures: 1 }, state, waiting: false, early: true }),
    ).toBe("alarm");
  });
  test("an approval that expired before the cadence: an expiry cycle", () => {
    expect(alarmPass({ now: 30_000, meta, state, waiting: false, early: false })).toBe("expiry");
  });
  test("early for the copies: only the copies", () => {
    expect(alarmPass({ now: 1000, meta, state, waiting: false, early: true })).toBe("copies");
  });
});
