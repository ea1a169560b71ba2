/**
 * One arrival causes a bounded number of actions, whatever the spec: a cycle
 * started only by consequences of actions never fires a rule that was
 * already matched, and what still loops (a rule that turns true again on each
 * consequence) stops at `guard.max_actions_per_chain`.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { GUARD_DEFAULTS } from "../../src/spec/index.ts";
import { runChain } from "./chains.ts";
import { goalOf } from "./helpers.ts";

const always = { batch: () => 1, ok: () => "ok" as const };

describe("one push into a goal whose rules stay true", () => {
  test("two rules under policy all act once each: the results never re-fire either rule", () => {
    const goal = goalOf({
      every: "1h",
      observe: { x: { from: "push" } },
      decide: {
        policy: "all",
        rules: [
          { id: "r1", when: "x > 0", do: "a1" },
          { id: "r2", when: "x > 0", do: "a2" },
        ],
      },
      act: {
        a1: { webhook: "https://one.example/", body: { x: "=x" } },
        a2: { webhook: "https://two.example/", body: { x: "=x" } },
      },
    });
    for (const status of ["ok", "failed", "error"] as const) {
      const run = runChain(goal, { x: 1 }, () => status, always.batch);
      expect(run.actions.map((a) => a.action)).toEqual(["a1", "a2"]);
      expect(run.cycles).toBe(3);
      const echoes = run.verdicts.slice(2);
      expect(echoes.every((v) => v.status === "already_matched")).toBe(true);
    }
  });

  test("four rules with formula, record, signal and spawn actions act once each", () => {
    const goal = goalOf({
      every: "1h",
      observe: { x: { from: "push" }, y: { from: "record", collection: "c", key: "k", path: "v" } },
      decide: {
        policy: "all",
        rules: [
          { id: "r1", when: "x > 0", do: "calc" },
          { id: "r2", when: "x > 0", do: "save" },
          { id: "r3", when: "x > 0", do: "ping" },
          { id: "r4", when: "x > 0", do: "child" },
        ],
      },
      act: {
        calc: { formula: { name: "f", args: { x: "=x" } } },
        save: { record: { collection: "c", key: "k", value: { v: "=x" } } },
        ping: { signal: { goal: "g_self", name: "x", value: "=x + 1" } },
        child: { spawn: { spec: { name: "child" } } },
      },
    });
    const run = runChain(goal, { x: 1 }, always.ok, always.batch);
    expect(run.actions.map((a) => a.action).sort()).toEqual(["calc", "child", "ping", "save"]);
  });

  test("a retry on failure fires when the result turns its rule true, and not again on the next failure", () => {
    const goal = goalOf({
      observe: { x: { from: "push" } },
      decide: {
        policy: "all",
        rules: [
          { id: "send", when: "x > 0", do: "a" },
          { id: "retry", when: "act.a.status == 'failed'", do: "a" },
        ],
      },
      act: { a: { webhook: "https://h.example/" } },
    });
    const run = runChain(goal, { x: 1 }, () => "failed", always.batch);
    expect(run.actions.map((a) => a.rule)).toEqual(["send", "retry"]);
  });

  test("a rule that turns true again on every consequence stops at max_actions_per_chain, blocked and saying why", () => {
    const spec = (guard: Record<string, unknown>) =>
      goalOf({
        observe: {
          go: { from: "push" },
          n: { from: "record", collection: "c", key: "k", path: "n" },
        },
        orient: { seen: "coalesce(n, 0)" },
        decide: { rules: [{ id: "bump", when: "go and cycle % 2 == 1", do: "save" }] },
        act: { save: { record: { collection: "c", key: "k", value: { n: "=cycle" } } } },
        guard,
      });
    // Results and record changes in cycles of their own: the rule is false and true by turns.
    for (const [guard, bound] of [
      [{}, GUARD_DEFAULTS.maxActionsPerChain],
      [{ max_actions_per_chain: 3 }, 3],
    ] as const) {
      const run = runChain(spec(guard), { go: true }, always.ok, always.batch);
      expect(run.actions).toHaveLength(bound);
      const blocked = run.verdicts.filter((v) => v.status === "blocked");
      expect(blocked.length).toBeGreaterThan(0);
      expect(blocked.every((v) => v.guard === "max_actions_per_chain")).toBe(true);
      expect(run.actions.map((a) => a.chain.depth)).toEqual(run.actions.map((_, i) => i + 1));
    }
  });
});

// Random specs built from parts that can feed back: conditions on the push, on results, on
// failures, on the records and signals the goal's own actions make, and on the cycle number.
const conditions = fc.constantFrom(
  "x > 0",
  "true",
  "cycle % 2 == 0",
  "cycle % 3 != 1",
  "act.hook.status == 'ok'",
  "act.hook.status != 'ok'",
  "act.save.attempt >= 0",
  "failed.hook or act.calc.status == 'failed'",
  "coalesce(y, 0) != coalesce(prev.seen, -1)",
  "coalesce(y, 0) < 1000",
  "coalesce(s, 0) >= 0",
  "act.child.attempt == 2",
);
const actionNames = fc.constantFrom("hook", "calc", "save", "ping", "child");

const rule = fc.record({
  when: conditions,
  do: fc.uniqueArray(actionNames, { minLength: 1, maxLength: 3 }),
  cooldown: fc.constantFrom(undefined, undefined, "1ms", "5ms", "1m"),
  for: fc.constantFrom(undefined, undefined, undefined, "1ms", "10ms"),
  keep_for: fc.constantFrom(undefined, undefined, "2ms", "1m"),
});

const randomSpec = fc.record({
  policy: fc.constantFrom("first", "all", "best"),
  rules: fc.array(rule, { minLength: 1, maxLength: 5 }),
  chain: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
  hour: fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
  dryRun: fc.boolean(),
});

describe("one push into any goal", () => {
  test("causes at most max_actions_per_chain actions, and the loop comes to rest", () => {
    fc.assert(
      fc.property(
        randomSpec,
        fc.array(fc.constantFrom("ok", "failed", "error"), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 8 }),
        (shape, statuses, batches) => {
          const goal = goalOf({
            every: "1h",
            observe: {
              x: { from: "push" },
              y: { from: "record", collection: "c", key: "k", path: "v" },
              s: { from: "push" },
            },
            orient: { seen: "coalesce(y, 0)" },
            decide: {
              policy: shape.policy,
              rules: shape.rules.map((r, i) => ({
                id: `r${i}`,
                when: r.when,
                do: r.do,
                score: `${i % 3}`,
                ...(r.cooldown ? { cooldown: r.cooldown } : {}),
                ...(r.for ? { for: r.for } : {}),
                ...(r.keep_for ? { keep_for: r.keep_for } : {}),
              })),
            },
            act: {
              hook: { webhook: "https://h.example/", body: { x: "=x" } },
              calc: { formula: { name: "f", args: { x: "=x" } } },
              save: { record: { collection: "c", key: "k", value: { v: "=cycle" } } },
              ping: { signal: { goal: "g_self", name: "s", value: "=cycle" } },
              child: { spawn: { spec: { name: "child" } } },
            },
            guard: {
              ...(shape.chain === undefined ? {} : { max_actions_per_chain: shape.chain }),
              ...(shape.hour === undefined ? {} : { max_actions_per_hour: shape.hour }),
              dry_run: shape.dryRun,
            },
          });
          const bound = shape.chain ?? GUARD_DEFAULTS.maxActionsPerChain;
          const run = runChain(
            goal,
            { x: 1, s: 0, y: 0 },
            (_, i) => statuses[i % statuses.length] ?? "ok",
            (_, cycle) => batches[cycle % batches.length] ?? 1,
          );
          expect(run.actions.length).toBeLessThanOrEqual(bound);
          expect(run.cycles).toBeLessThan(5000);
          expect(new Set(run.actions.map((a) => a.chain.id)).size).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
