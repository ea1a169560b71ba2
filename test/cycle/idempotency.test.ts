import { describe, expect, test } from "vitest";
import { actionKey } from "../../src/cycle/index.ts";
import { drive, goalOf, MIN } from "./helpers.ts";

const goal = goalOf({
  observe: { x: { from: "push" } },
  decide: {
    policy: "all",
    rules: [
      { id: "one", when: "x > 0", do: ["a", "b"] },
      { id: "two", when: "x > 0", do: "a" },
    ],
  },
  act: { a: { webhook: "https://h.example/a" }, b: { webhook: "https://h.example/b" } },
});

describe("idempotency keys", () => {
  test("are goal id, cycle, rule and action", () => {
    const result = drive(goal, "goal-42").run(0, { x: 1 });
    expect(result.actions.map((a) => a.key)).toEqual([
      "goal-42:1:one:a",
      "goal-42:1:one:b",
      "goal-42:1:two:a",
    ]);
    expect(actionKey("goal-42", 1, "one", "a")).toBe("goal-42:1:one:a");
  });

  test("are the same when a cycle is run again from the same state (a retried alarm)", () => {
    const loop = drive(goal);
    loop.run(0, { x: 1 });
    const before = loop.state;
    const first = loop.run(MIN, { x: 1 });
    loop.state = before;
    const retry = loop.run(MIN, { x: 1 });
    expect(retry.actions.map((a) => a.key)).toEqual(first.actions.map((a) => a.key));
  });

  test("are unique across cycles, rules and actions", () => {
    const loop = drive(goal);
    const keys = [0, 1, 2, 3].flatMap((i) => loop.run(i * MIN, { x: 1 }).actions.map((a) => a.key));
    expect(keys).toHaveLength(12);
    expect(new Set(keys).size).toBe(12);
  });
});
