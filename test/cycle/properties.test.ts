import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  type ActResult,
  type GoalState,
  initialState,
  type Observation,
  runCycle,
} from "../../src/cycle/index.ts";
import { goalOf } from "./helpers.ts";

const KEEP = 5;

const goal = goalOf({
  keep: KEEP,
  params: { limit: 10 },
  observe: {
    a: { from: "push", max_age: "2m" },
    b: { from: "record", collection: "c" },
    c: { from: "stream", topic: "t", max_age: "30s" },
  },
  orient: {
    mean_a: "mean(history.a)",
    sum: "a + b",
    ratio: "sum / (b - limit)",
    count: "coalesce(prev.count, 0) + 1",
  },
  decide: {
    policy: "best",
    rules: [
      {
        id: "high",
        when: "mean_a > limit",
        for: "1m",
        keep_for: "2m",
        score: "mean_a",
        do: "hook",
      },
      { id: "ratio", when: "ratio > 1", cooldown: "5m", score: "ratio", do: ["hook", "save"] },
      { id: "text", when: "c == 'go'", score: "1", do: "save" },
      { id: "failed", when: "failed.hook or act.hook.status == 'failed'", score: "0", do: "hook" },
    ],
  },
  act: {
    hook: {
      webhook: "https://h.example/",
      body: { v: "=sum", n: "=count" },
      expect: "a < limit",
      within: "3m",
    },
    save: { record: { collection: "out", key: "=concat('k', cycle)", value: ["=ratio", "=c"] } },
  },
  guard: { max_actions_per_hour: 7, approve: ["save"] },
  done: "count > 1000",
});

// Mostly plausible numbers, so rules match, hold and fire; sometimes anything at all.
const value = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -20, max: 40 }) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom("go", "stop", null, true, Number.NaN, -0) },
  { weight: 1, arbitrary: fc.anything() },
);

const observation = fc.record({
  name: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom("a", "b", "c") },
    { weight: 1, arbitrary: fc.constantFrom("zzz", "constructor", "__proto__") },
  ),
  value,
  at: fc.oneof(fc.integer({ min: -10_000, max: 60_000 }), fc.constant(Number.NaN)),
  source: fc.constantFrom("push", "record", "stream", "signal"),
  id: fc.option(fc.constantFrom("x1", "x2", "x3"), { nil: undefined }),
}) as fc.Arbitrary<Observation>;

const actResult = fc.record({
  action: fc.constantFrom("hook", "save", "nope"),
  key: fc.constantFrom("g:1:high:hook", "g:2:ratio:save", "other"),
  status: fc.constantFrom("ok", "failed", "error"),
  value: fc.option(value, { nil: undefined }),
  http_status: fc.option(fc.integer({ min: 100, max: 599 }), { nil: undefined }),
  latency_ms: fc.nat(5000),
  attempt: fc.integer({ min: 1, max: 4 }),
  at: fc.integer({ min: 0, max: 60_000 }),
}) as fc.Arbitrary<ActResult>;

const step = fc.record({
  gap: fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 0, max: 90_000 }) },
    fc.integer({ min: 0, max: 900_000 }),
  ),
  trigger: fc.constantFrom("alarm", "push", "act", "manual"),
  observations: fc.array(observation, { maxLength: 8 }),
  actResults: fc.array(actResult, { maxLength: 2 }),
});

const timeline = fc.array(step, { minLength: 1, maxLength: 30 });

type Steps = typeof timeline extends fc.Arbitrary<infer T> ? T : never;

/** Runs `steps` from `state` at time `start`, as the Durable Object would, one cycle per step. */
function run(steps: Steps, state: GoalState = initialState(goal, 0), start = 0) {
  let now = start;
  let current = state;
  const results = [];
  for (const s of steps) {
    now += s.gap;
    const result = runCycle(goal, current, {
      goalId: "g",
      now,
      trigger: s.trigger,
      observations: s.observations.map((o) => ({ ...o, at: o.at + now - 30_000 })),
      actResults: s.actResults.map((r) => ({ ...r, at: r.at + now - 60_000 })),
    });
    results.push(result);
    current = result.state;
  }
  return { results, now };
}

describe("any timeline of observations", () => {
  test("never makes a cycle throw, keeps state JSON, and keeps histories within keep", () => {
    fc.assert(
      fc.property(timeline, (steps) => {
        for (const result of run(steps).results) {
          expect(JSON.parse(JSON.stringify(result.state))).toEqual(result.state);
          expect(JSON.parse(JSON.stringify(result.receipt))).toEqual(result.receipt);
          for (const entries of Object.values(result.state.history))
            expect(entries.length).toBeLessThanOrEqual(KEEP);
          expect(
            Object.keys(result.state.history).every((name) => ["a", "b", "c"].includes(name)),
          ).toBe(true);
          if (!result.done || result.receipt.verdicts.length > 0)
            expect(result.verdicts).toHaveLength(4);
          expect(result.state.actionTimes.length).toBeLessThanOrEqual(7);
        }
      }),
      { numRuns: 150 },
    );
  });

  test("is decided the same way every time (the cycle is a pure function)", () => {
    fc.assert(
      fc.property(timeline, (steps) => {
        expect(JSON.stringify(run(steps).results)).toBe(JSON.stringify(run(steps).results));
      }),
      { numRuns: 50 },
    );
  });

  test("decides the same after a restart at any point: the JSON round trip of the state changes nothing", () => {
    fc.assert(
      fc.property(timeline, fc.nat(), (steps, at) => {
        const cut = at % steps.length;
        const whole = run(steps).results.map((r) => r.receipt);
        const before = run(steps.slice(0, cut));
        const stored = JSON.parse(
          JSON.stringify(before.results.at(-1)?.state ?? initialState(goal, 0)),
        );
        const after = run(steps.slice(cut), stored, before.now).results.map((r) => r.receipt);
        expect([...before.results.map((r) => r.receipt), ...after]).toEqual(whole);
      }),
      { numRuns: 50 },
    );
  });
});
