import { describe, expect, test } from "vitest";
import { drive, goalOf, HOUR, MIN, verdict } from "./helpers.ts";

function goalWith(guard: Record<string, unknown>, rule: Record<string, unknown> = {}) {
  return goalOf({
    observe: { x: { from: "push" } },
    decide: { rules: [{ id: "r", when: "x > 0", do: "a", ...rule }] },
    act: {
      a: { webhook: "https://hooks.example/a", expect: "x == 0", within: "5m" },
      b: { webhook: "https://hooks.example/b" },
    },
    guard,
  });
}

describe("max_actions_per_hour", () => {
  test("blocks actions beyond the hourly budget and names the guard", () => {
    const loop = drive(goalWith({ max_actions_per_hour: 2 }));
    expect(loop.run(0, { x: 1 }).actions).toHaveLength(1);
    expect(loop.run(MIN, { x: 1 }).actions).toHaveLength(1);
    const third = loop.run(2 * MIN, { x: 1 });
    expect(third.actions).toEqual([]);
    expect(verdict(third, "r")).toMatchObject({ status: "blocked", guard: "max_actions_per_hour" });
    expect(verdict(third, "r").reason).toContain("next slot in 58m");
  });

  test("the budget is a rolling hour", () => {
    const loop = drive(goalWith({ max_actions_per_hour: 1 }));
    loop.run(0, { x: 1 });
    expect(loop.run(HOUR - 1, { x: 1 }).actions).toEqual([]);
    expect(loop.run(HOUR, { x: 1 }).actions).toHaveLength(1);
  });

  test("counts each action, so a rule can be partly blocked", () => {
    const loop = drive(goalWith({ max_actions_per_hour: 1 }, { do: ["a", "b"] }));
    const result = loop.run(0, { x: 1 });
    expect(result.actions.map((a) => a.action)).toEqual(["a"]);
    expect(verdict(result, "r")).toMatchObject({ status: "matched" });
    expect(verdict(result, "r").reason).toContain("blocked by max_actions_per_hour");
  });

  test("dry-run actions count toward the budget, so a rehearsal shows what a live goal could do", () => {
    const loop = drive(goalWith({ max_actions_per_hour: 1, dry_run: true }));
    expect(loop.run(0, { x: 1 }).actions).toHaveLength(1);
    expect(verdict(loop.run(MIN, { x: 1 }), "r").status).toBe("blocked");
  });
});

describe("dry_run", () => {
  test("actions are planned and recorded with dry_run, and no expectation is tracked", () => {
    const loop = drive(goalWith({ dry_run: true }));
    const result = loop.run(0, { x: 1 });
    expect(result.actions).toEqual([expect.objectContaining({ action: "a", dry_run: true })]);
    expect(verdict(result, "r").reason).toBe("fires a (dry run)");
    expect(loop.state.expectations).toEqual([]);
  });
});

describe("approve", () => {
  const goal = goalWith({ approve: ["a"] }, { cooldown: "1m" });

  test("an action needing approval is planned awaiting approval and the rule is blocked by approve", () => {
    const result = drive(goal).run(0, { x: 1 });
    expect(result.actions).toEqual([
      expect.objectContaining({ action: "a", awaiting_approval: true }),
    ]);
    expect(verdict(result, "r")).toMatchObject({ status: "blocked", guard: "approve" });
  });

  test("while it waits the rule does not ask again, even after its cooldown", () => {
    const loop = drive(goal);
    loop.run(0, { x: 1 });
    const later = loop.run(10 * MIN, { x: 1 });
    expect(later.actions).toEqual([]);
    expect(verdict(later, "r")).toMatchObject({ status: "blocked", guard: "approve" });
    expect(verdict(later, "r").reason).toContain(
      "g1:1:r:a is still awaiting approval (asked 10m ago, expires in 23h50m)",
    );
  });

  test("the action's result (approved and run, or rejected) ends the wait", () => {
    const loop = drive(goal);
    loop.run(0, { x: 1 });
    const rejected = { action: "a", key: "g1:1:r:a", status: "failed", error: "rejected" } as const;
    const result = loop.run(
      MIN,
      { x: 1 },
      {
        actResults: [{ ...rejected, latency_ms: 0, attempt: 1, at: MIN }],
        trigger: "act",
      },
    );
    expect(result.actions).toEqual([
      expect.objectContaining({ key: "g1:2:r:a", awaiting_approval: true }),
    ]);
  });

  test("other actions of the rule run at once", () => {
    const both = goalWith({ approve: ["a"] }, { do: ["a", "b"] });
    const result = drive(both).run(0, { x: 1 });
    expect(result.actions.map((a) => [a.action, a.awaiting_approval])).toEqual([
      ["a", true],
      ["b", false],
    ]);
    expect(verdict(result, "r")).toMatchObject({
      status: "matched",
      reason: "fires b; awaiting approval: a",
    });
  });
});
