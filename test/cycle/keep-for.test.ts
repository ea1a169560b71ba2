import { describe, expect, test } from "vitest";
import { drive, goalOf, MIN, verdict } from "./helpers.ts";

/** An alarm and its all-clear over a value that hovers around 10. */
function alarmGoal(keepFor?: string) {
  return goalOf({
    observe: { level: { from: "push" } },
    decide: {
      policy: "first",
      rules: [
        {
          id: "high",
          when: "level > 10",
          ...(keepFor === undefined ? {} : { keep_for: keepFor }),
          do: "page",
        },
        { id: "clear", when: "level <= 10", do: "resolve" },
      ],
    },
    act: {
      page: { webhook: "https://hooks.example/page" },
      resolve: { webhook: "https://hooks.example/resolve" },
    },
  });
}

const HOVER = [11, 9, 11, 9, 11, 9, 11, 9];

function firings(keepFor?: string): Record<string, number> {
  const loop = drive(alarmGoal(keepFor));
  const count: Record<string, number> = { page: 0, resolve: 0 };
  HOVER.forEach((level, i) => {
    for (const action of loop.run(i * MIN, { level }).actions)
      count[action.action] = (count[action.action] ?? 0) + 1;
  });
  return count;
}

describe("keep_for: hysteresis", () => {
  test("without keep_for a value hovering at the threshold flaps between page and resolve", () => {
    expect(firings()).toEqual({ page: 4, resolve: 4 });
  });

  test("with keep_for the rule stays matched through the dips, so the all-clear never fires", () => {
    expect(firings("5m")).toEqual({ page: 4, resolve: 0 });
  });

  test("a dip within keep_for is kept: matched for the policy, but it does not fire again", () => {
    const loop = drive(alarmGoal("5m"));
    loop.run(0, { level: 11 });
    const dip = loop.run(1 * MIN, { level: 9 });
    expect(verdict(dip, "high")).toMatchObject({ status: "kept" });
    expect(verdict(dip, "high").reason).toContain("4m more");
    expect(verdict(dip, "clear")).toMatchObject({
      status: "superseded",
      reason: "rule high matched first",
    });
    expect(dip.actions).toEqual([]);
  });

  test("keep_for is measured from the last time the condition was true", () => {
    const loop = drive(alarmGoal("3m"));
    loop.run(0, { level: 11 });
    loop.run(2 * MIN, { level: 11 });
    expect(verdict(loop.run(4 * MIN, { level: 9 }), "high").status).toBe("kept");
    const after = loop.run(5 * MIN, { level: 9 });
    expect(verdict(after, "high").status).toBe("false");
    expect(verdict(after, "clear").status).toBe("matched");
  });

  test("while kept, the condition coming back matches at once without a new for wait", () => {
    const goal = goalOf({
      observe: { level: { from: "push" } },
      decide: {
        rules: [{ id: "high", when: "level > 10", for: "2m", keep_for: "5m", do: "page" }],
      },
      act: { page: { webhook: "https://hooks.example/page" } },
    });
    const loop = drive(goal);
    loop.run(0, { level: 11 });
    expect(verdict(loop.run(2 * MIN, { level: 11 }), "high").status).toBe("matched");
    expect(verdict(loop.run(3 * MIN, { level: 9 }), "high").status).toBe("kept");
    expect(verdict(loop.run(4 * MIN, { level: 11 }), "high").status).toBe("matched");
  });

  test("with a cooldown as well, a hovering value pages exactly once", () => {
    const goal = goalOf({
      observe: { level: { from: "push" } },
      decide: {
        rules: [{ id: "high", when: "level > 10", keep_for: "5m", cooldown: "1h", do: "page" }],
      },
      act: { page: { webhook: "https://hooks.example/page" } },
    });
    const loop = drive(goal);
    const fired = HOVER.flatMap((level, i) => loop.run(i * MIN, { level }).actions);
    expect(fired).toHaveLength(1);
  });
});
